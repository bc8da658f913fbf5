from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("universities/<int:pk>/", views.university_detail, name="university_detail"),
    path("tambons/", views.tambon_list, name="tambon_list"),
    path("tambons/<int:pk>/", views.tambon_detail, name="tambon_detail"),
    path("", include("tambon.roster.urls")),
]
