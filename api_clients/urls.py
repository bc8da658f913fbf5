from django.urls import path

from . import views

urlpatterns = [
    path("", views.client_list, name="api_client_list"),
    path("<int:pk>/rotate/", views.client_rotate, name="api_client_rotate"),
    path("<int:pk>/revoke/", views.client_revoke, name="api_client_revoke"),
]
