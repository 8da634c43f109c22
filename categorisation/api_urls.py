from django.urls import path

from . import api

urlpatterns = [
    path(
        "schools/<str:urn>/categorisations/",
        api.SchoolCategorisationsView.as_view(),
        name="api_school_categorisations",
    ),
    path("categorisations/", api.CategorisationListView.as_view(), name="api_categorisation_list"),
]
