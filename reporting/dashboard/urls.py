from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:widget>.xlsx", views.dashboard_export, name="dashboard_export"),
    path("networks/<int:network_id>/", views.dashboard, name="dashboard_network"),
    path("networks/<int:network_id>/export/<slug:widget>.xlsx", views.dashboard_export,
         name="dashboard_network_export"),
    path("networks/<int:network_id>/universities/<int:university_id>/", views.dashboard, name="dashboard_university"),
    path("networks/<int:network_id>/universities/<int:university_id>/export/<slug:widget>.xlsx",
         views.dashboard_export, name="dashboard_university_export"),
    path("networks/<int:network_id>/tambons/<int:tambon_id>/", views.dashboard, name="dashboard_tambon"),
    path("networks/<int:network_id>/tambons/<int:tambon_id>/export/<slug:widget>.xlsx", views.dashboard_export,
         name="dashboard_tambon_export"),
    path("units/<int:unit_id>/", views.dashboard, name="dashboard_unit"),
    path("units/<int:unit_id>/export/<slug:widget>.xlsx", views.dashboard_export, name="dashboard_unit_export"),
]  # fmt: skip
