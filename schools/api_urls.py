from django.urls import path

from . import api

urlpatterns = [
    path("schools/", api.SchoolListView.as_view(), name="api_school_list"),
    path("schools/<str:urn>/", api.SchoolDetailView.as_view(), name="api_school_detail"),
    path("clusters/", api.ClusterListView.as_view(), name="api_cluster_list"),
    path("clusters/<slug:cluster_slug>/", api.ClusterDetailView.as_view(), name="api_cluster_detail"),
    path("inspections/", api.InspectionListView.as_view(), name="api_inspection_list"),
    path("results/", api.ResultListView.as_view(), name="api_result_list"),
    path("benchmarks/", api.BenchmarkListView.as_view(), name="api_benchmark_list"),
]
