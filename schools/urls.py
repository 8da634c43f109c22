from django.urls import path

from . import views

urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/local-data-template.csv", views.import_template, name="import_template"),
    path("imports/<uuid:run_uuid>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:run_uuid>/apply/", views.import_apply, name="import_apply"),
]
