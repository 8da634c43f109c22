from django.urls import path

from . import views

urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/<str:urn>/", views.school_detail, name="school_detail"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<slug:cluster_slug>/", views.cluster_detail, name="cluster_detail"),
]
