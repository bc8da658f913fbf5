from django.urls import path

from . import views

urlpatterns = [
    path("tambons/<int:tambon_id>/budget/", views.budget_table, name="budget_table"),
    path("tambons/<int:tambon_id>/budget/setup/", views.budget_init, name="budget_init"),
    path("tambons/<int:tambon_id>/budget/lines/<int:line_id>/", views.line_edit, name="line_edit"),
    path("tambons/<int:tambon_id>/budget/activities/new/", views.activity_edit, name="activity_create"),
    path("tambons/<int:tambon_id>/budget/activities/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path("tambons/<int:tambon_id>/budget.xlsx", views.budget_export_tambon, name="budget_export_tambon"),
    path(
        "universities/<int:university_id>/budget.xlsx", views.budget_export_university, name="budget_export_university"
    ),
    path("tambons/<int:tambon_id>/reports/<int:year>/<int:month>/", views.report_detail, name="report_detail"),
    path("tambons/<int:tambon_id>/reports/<int:year>/<int:month>/review/", views.report_review, name="report_review"),
    path("tambons/<int:tambon_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("tambons/<int:tambon_id>/evidence/<int:evidence_id>/remove/", views.evidence_delete, name="evidence_delete"),
    path("reviews/", views.review_list, name="review_list"),
]
