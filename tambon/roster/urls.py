from django.urls import path

from . import chain_views, views

urlpatterns = [
    path("tambons/<int:pk>/team/", views.team, name="roster_team"),
    path("tambons/<int:pk>/team/accept/", views.team_accept, name="roster_team_accept"),
    path("tambons/<int:pk>/team/export.xlsx", views.team_export, name="roster_team_export"),
    path("roster/contracts/<int:pk>/<slug:action>/", views.contract_action, name="roster_contract_action"),
    path("universities/<int:pk>/roster/", views.university_roster, name="roster_university"),
    path("universities/<int:pk>/roster/template.xlsx", views.university_template, name="roster_template"),
    path("universities/<int:pk>/roster/export.xlsx", views.university_export, name="roster_university_export"),
    path("universities/<int:pk>/roster/certificates/", views.certificates, name="roster_certificates"),
    path("units/<int:unit_id>/roster/", views.unit_roster, name="roster_unit"),
    path("units/<int:unit_id>/roster/template.xlsx", views.unit_template, name="roster_unit_template"),
    path("units/<int:unit_id>/roster/certificates/", views.unit_certificates, name="roster_unit_certificates"),
    path("roster/export.xlsx", views.national_export, name="roster_national_export"),
    path("roster/imports/<int:pk>/", views.import_detail, name="roster_import_detail"),
    path("roster/imports/<int:pk>/progress/", views.import_progress, name="roster_import_progress"),
    path("roster/imports/<int:pk>/errors.xlsx", views.import_errors, name="roster_import_errors"),
    path("roster/imports/<int:pk>/confirm/", views.import_confirm, name="roster_import_confirm"),
    # the hiring chain (issue #15)
    path("universities/<int:pk>/roster/changes/", chain_views.changes, name="roster_changes"),
    path(
        "universities/<int:pk>/roster/changes/<slug:kind>.xlsx",
        chain_views.changes_export,
        name="roster_changes_export",
    ),
    path("roster/changes/<slug:kind>.xlsx", chain_views.national_changes_export, name="roster_national_changes_export"),
    path("universities/<int:pk>/wages/", chain_views.university_wages, name="roster_wages"),
    path("wages/", chain_views.national_wages, name="roster_wages_national"),
    path("tambons/<int:pk>/team/reports/<int:year>/<int:month>/", chain_views.work_reports, name="roster_work_reports"),
    path(
        "universities/<int:pk>/roster/summary/<int:year>/<int:month>/",
        chain_views.monthly_summary,
        name="roster_monthly_summary",
    ),
    path("me/report/<str:token>/", chain_views.personal_report, name="roster_personal_report"),
]
