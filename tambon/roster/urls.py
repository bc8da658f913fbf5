from django.urls import path

from . import views

urlpatterns = [
    path("tambons/<int:pk>/team/", views.team, name="roster_team"),
    path("tambons/<int:pk>/team/accept/", views.team_accept, name="roster_team_accept"),
    path("tambons/<int:pk>/team/export.xlsx", views.team_export, name="roster_team_export"),
    path("roster/contracts/<int:pk>/<slug:action>/", views.contract_action, name="roster_contract_action"),
    path("universities/<int:pk>/roster/", views.university_roster, name="roster_university"),
    path("universities/<int:pk>/roster/template.xlsx", views.university_template, name="roster_template"),
    path("universities/<int:pk>/roster/export.xlsx", views.university_export, name="roster_university_export"),
    path("universities/<int:pk>/roster/certificates/", views.certificates, name="roster_certificates"),
    path("roster/export.xlsx", views.national_export, name="roster_national_export"),
    path("roster/imports/<int:pk>/", views.import_detail, name="roster_import_detail"),
    path("roster/imports/<int:pk>/progress/", views.import_progress, name="roster_import_progress"),
    path("roster/imports/<int:pk>/errors.xlsx", views.import_errors, name="roster_import_errors"),
    path("roster/imports/<int:pk>/confirm/", views.import_confirm, name="roster_import_confirm"),
]
