from django.urls import path

from . import views

urlpatterns = [
    path("activities/<int:activity_id>/completion/", views.completion_report, name="completion_report"),
    path("activities/<int:activity_id>/completion/review/", views.completion_review, name="completion_review"),
    path("completion-files/<int:file_id>/", views.completion_file, name="completion_file"),
    path("completion-files/<int:file_id>/remove/", views.completion_file_delete, name="completion_file_delete"),
    path("completion-reports/", views.completion_list, name="completion_list"),
    path("mou/", views.mou_list, name="mou_list"),
    path("mou/<str:period>/<str:owner>/<int:owner_id>/", views.mou_report, name="mou_report"),
    path("mou/<str:period>/<str:owner>/<int:owner_id>/review/", views.mou_review, name="mou_review"),
    path("instalments/", views.instalment_list, name="instalment_list"),
    path("unit-reports/", views.unit_report_list, name="unit_report_list"),
    path("unit-reports/<str:owner>/<int:owner_id>/<int:year>/<int:month>/", views.unit_report, name="unit_report"),
    path(
        "unit-reports/<str:owner>/<int:owner_id>/<int:year>/<int:month>/review/",
        views.unit_report_review,
        name="unit_report_review",
    ),
]
