from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="opendata_index"),
    path("catalog.jsonld", views.catalogue, name="opendata_catalogue"),
    path("<slug:code>/", views.programme, name="opendata_programme"),
    path("<slug:code>/<slug:slug>.<str:extension>", views.download, name="opendata_download"),
]
