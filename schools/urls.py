from django.urls import path

from . import views

urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/export.csv", views.school_export, name="school_export"),
    path("schools/<str:urn>/", views.school_detail, name="school_detail"),
    path("schools/<str:urn>/judgements/<str:year>/", views.school_judgements, name="school_judgements"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<slug:cluster_slug>/", views.cluster_detail, name="cluster_detail"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/local-data-template.csv", views.import_template, name="import_template"),
    path("imports/<uuid:run_uuid>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:run_uuid>/apply/", views.import_apply, name="import_apply"),
]
