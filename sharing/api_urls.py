from django.urls import path

from . import api

urlpatterns = [
    path("schools/<str:urn>/judgements/", api.SchoolJudgementsView.as_view(), name="api_school_judgements"),
    path("judgements/", api.JudgementListView.as_view(), name="api_judgement_list"),
]
