from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from assessment.api import views as assessment_api
from reporting import api as reporting_api
from reporting.dashboard import api as dashboard_api
from tambon.api import views as tambon_api
from tambon.programmes import programme_switch
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
