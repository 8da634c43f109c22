from django.urls import path

from . import views

urlpatterns = [
    path("categorisation/", views.categorisation_home, name="categorisation_home"),
    path("categorisation/runs/", views.run_list, name="categorisation_run_list"),
    path("categorisation/runs/<uuid:run_uuid>/", views.run_detail, name="categorisation_run_detail"),
    path("categorisation/runs/<uuid:run_uuid>/confirm/", views.run_confirm, name="categorisation_run_confirm"),
    path("categorisation/runs/<uuid:run_uuid>/resume/", views.run_resume, name="categorisation_run_resume"),
    path("categorisation/runs/<uuid:run_uuid>/letters.zip", views.run_letters_zip, name="categorisation_letters_zip"),
    path("categorisation/runs/<uuid:run_uuid>/schools/<str:urn>/", views.result_detail,
         name="categorisation_result"),
    path("categorisation/runs/<uuid:run_uuid>/schools/<str:urn>/letter.pdf", views.result_letter,
         name="categorisation_letter"),
    path("categorisation/schools/<str:urn>/", views.school_history, name="categorisation_school"),
    path("categorisation/frameworks/clone/", views.framework_clone_view, name="categorisation_framework_clone"),
    path("categorisation/frameworks/<slug:framework_slug>/edit/", views.framework_edit_view,
         name="categorisation_framework_edit"),
    path("categorisation/frameworks/<slug:framework_slug>/what-if/", views.framework_whatif,
         name="categorisation_framework_whatif"),
]
