from django.urls import path

from . import views

urlpatterns = [
    path("", views.partnership_home, name="partnership_home"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/export.csv", views.school_export, name="school_export"),
    path("schools/<str:urn>/", views.school_detail, name="school_detail"),
    path("clusters/<slug:cluster_slug>/", views.cluster_detail, name="cluster_detail"),
]
