from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from assessment.api import views as assessment_api
from assessment.api import write as assessment_write
from reporting import api as reporting_api
from reporting import api_write as reporting_write
from reporting.dashboard import api as dashboard_api
from tambon.api import views as tambon_api
from tambon.programmes import programme_switch
from tambon.roster import api as roster_api
from tambon.roster.api import ContractViewSet

from . import export_views, views
from .security import twofactor
from .security.tokens import TokenObtainView

router = DefaultRouter()
router.register("tambons", tambon_api.TambonViewSet, basename="tambon")
router.register("networks", tambon_api.NetworkViewSet, basename="network")
router.register("universities", tambon_api.UniversityViewSet, basename="university")
router.register("roster/contracts", ContractViewSet, basename="roster-contract")
router.register("assessments/tambons", assessment_api.TambonAssessmentViewSet, basename="tambon-assessment")
router.register(
    "assessments/universities", assessment_api.UniversityAssessmentViewSet, basename="university-assessment"
)
router.register("assessments/networks", assessment_api.NetworkAssessmentViewSet, basename="network-assessment")
router.register("classifications", assessment_api.ClassificationViewSet, basename="classification")

api_urlpatterns = [
    path("classifications/distribution/", assessment_api.class_distribution, name="class_distribution_api"),
    path("", include(router.urls)),
    path("auth/token/", TokenObtainView.as_view(), name="api_token"),
    path("tambons/<int:tambon_id>/budget/", reporting_api.budget_table, name="api_budget_table"),
    path(
        "tambons/<int:tambon_id>/reports/<int:year>/<int:month>/",
        reporting_api.monthly_report,
        name="api_monthly_report",
    ),
    # writes: the pages' services, with versions, Idempotency-Key and structured errors (api_clients/writes.py)
    path(
        "tambons/<int:tambon_id>/lines/<int:line_id>/plan/",
        reporting_write.LinePlanView.as_view(),
        name="api_line_plan",
    ),
    path("tambons/<int:tambon_id>/activities/", reporting_write.ActivityView.as_view(), name="api_activity_create"),
    path(
        "tambons/<int:tambon_id>/activities/<int:activity_id>/",
        reporting_write.ActivityEditView.as_view(),
        name="api_activity_edit",
    ),
    path(
        "tambons/<int:tambon_id>/reports/<int:year>/<int:month>/file/",
        reporting_write.MonthlyReportFileView.as_view(),
        name="api_monthly_report_file",
    ),
    path(
        "tambons/<int:tambon_id>/reports/<int:year>/<int:month>/review/",
        reporting_write.MonthlyReportReviewView.as_view(),
        name="api_monthly_report_review",
    ),
    path(
        "activities/<int:activity_id>/completion/",
        reporting_write.CompletionReportFileView.as_view(),
        name="api_completion_file",
    ),
    path(
        "activities/<int:activity_id>/completion/review/",
        reporting_write.CompletionReviewView.as_view(),
        name="api_completion_review",
    ),
    path(
        "tambons/<int:tambon_id>/assessments/<str:quarter>/file/",
        assessment_write.TambonAssessmentFileView.as_view(),
        name="api_tambon_assessment_file",
    ),
    path(
        "assessments/<str:kind>/<int:pk>/review/",
        assessment_write.AssessmentReviewView.as_view(),
        name="api_assessment_review",
    ),
    path(
        "universities/<int:university_id>/roster/imports/",
        roster_api.RosterImportUploadView.as_view(),
        name="api_roster_import_upload",
    ),
    path(
        "units/<int:unit_id>/roster/imports/",
        roster_api.UnitRosterImportUploadView.as_view(),
        name="api_roster_unit_import_upload",
    ),
    path("roster/imports/<int:pk>/", roster_api.RosterImportView.as_view(), name="api_roster_import"),
    path(
        "roster/imports/<int:pk>/confirm/",
        roster_api.RosterImportConfirmView.as_view(),
        name="api_roster_import_confirm",
    ),
    path("dashboard/", dashboard_api.dashboard, name="api_dashboard"),
    path("dashboard/networks/<int:network_id>/", dashboard_api.dashboard, name="api_dashboard_network"),
    path(
        "dashboard/networks/<int:network_id>/universities/<int:university_id>/",
        dashboard_api.dashboard,
        name="api_dashboard_university",
    ),
    path(
        "dashboard/networks/<int:network_id>/tambons/<int:tambon_id>/",
        dashboard_api.dashboard,
        name="api_dashboard_tambon",
    ),
    path("dashboard/units/<int:unit_id>/", dashboard_api.dashboard, name="api_dashboard_unit"),
]

urlpatterns = [
    path("", include("tambon.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.deadlines.urls")),
    path("assessment/", include("assessment.urls")),
    path("dashboard/", include("reporting.dashboard.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", twofactor.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/enrol/", twofactor.two_factor_enrol, name="two_factor_enrol"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", views.health, name="health"),
    path("programme/", programme_switch, name="programme_switch"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("notifications/line/link/", views.line_link, name="line_link"),
    path("line/webhook/", views.line_webhook, name="line_webhook"),
    path("reports/<int:content_type_id>/<int:object_id>/comments/", views.report_comment, name="report_comment"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<int:pk>/restart/", export_views.export_restart, name="export_restart"),
    path("api-clients/", include("api_clients.urls")),
    path("open/", include("opendata.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # the split view serves Swagger UI's start-up script as a file (?script), so the page needs no inline script
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="pbm/swagger_ui.html"),
        name="api_docs",
    ),
]
