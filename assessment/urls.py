from django.urls import path

from . import views

urlpatterns = [
    path("classes/", views.class_overview, name="class_overview"),
    path("classes/committee/", views.class_committee, name="class_committee"),
    path("reviews/accept/", views.assessments_accept_selected, name="assessments_accept_selected"),
    path("tambons/<int:pk>/", views.tambon_profile, name="tambon_profile"),
    path("tambons/<int:pk>/households/", views.households_import, name="households_import"),
    path("tambons/<int:pk>/activities/<str:stage>/", views.activity_assessment, name="activity_assessment"),
    path("tambons/<int:pk>/quarters/<str:quarter>/", views.tambon_assessment, name="tambon_assessment"),
    path("universities/<int:pk>/quarters/<str:quarter>/", views.university_assessment, name="university_assessment"),
    path("networks/<int:pk>/quarters/<str:quarter>/", views.network_assessment, name="network_assessment"),
    path("impact/", views.impact_list, name="impact_list"),
    path("impact/<str:owner>/<int:pk>/", views.impact_report, name="impact_report"),
    path("impact/<str:owner>/<int:pk>/review/", views.impact_review, name="impact_review"),
    path("impact/<str:owner>/<int:pk>/report.<str:fmt>", views.impact_export, name="impact_export"),
    path("<str:kind>/<int:pk>/review/", views.assessment_review, name="assessment_review"),
]
