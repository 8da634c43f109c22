from django.urls import path

from . import views

FRAMEWORK = "categorisation/frameworks/<slug:framework_slug>/"

urlpatterns = [
    path("categorisation/", views.categorisation_home, name="categorisation_home"),
    path("categorisation/runs/", views.run_list, name="categorisation_run_list"),
    path("categorisation/runs/<uuid:run_uuid>/", views.run_detail, name="categorisation_run_detail"),
    path("categorisation/runs/<uuid:run_uuid>/progress.json", views.run_progress, name="categorisation_run_progress"),
    path("categorisation/runs/<uuid:run_uuid>/results.csv", views.run_export, name="categorisation_run_export"),
    path("categorisation/runs/<uuid:run_uuid>/confirm/", views.run_confirm, name="categorisation_run_confirm"),
    path("categorisation/runs/<uuid:run_uuid>/resume/", views.run_resume, name="categorisation_run_resume"),
    path("categorisation/runs/<uuid:run_uuid>/withdraw/", views.run_withdraw, name="categorisation_run_withdraw"),
    path("categorisation/runs/<uuid:run_uuid>/due-date/", views.run_due_date, name="categorisation_run_due_date"),
    path(
        "categorisation/runs/<uuid:run_uuid>/letters/retry/",
        views.run_letters_retry,
        name="categorisation_letters_retry",
    ),
    path("categorisation/runs/<uuid:run_uuid>/letters.zip", views.run_letters_zip, name="categorisation_letters_zip"),
    path("categorisation/runs/<uuid:run_uuid>/schools/<str:urn>/", views.result_detail, name="categorisation_result"),
    path(
        "categorisation/runs/<uuid:run_uuid>/schools/<str:urn>/letter.pdf",
        views.result_letter,
        name="categorisation_letter",
    ),
    path("categorisation/schools/<str:urn>/", views.school_history, name="categorisation_school"),
    path("categorisation/letter-template/", views.letter_template_edit, name="categorisation_letter_template"),
    # The LA's judgements of a school for a year: the facts categorisation reads from the LA.
    path("schools/<str:urn>/judgements/<str:year>/", views.school_judgements, name="school_judgements"),
    path("categorisation/frameworks/clone/", views.framework_clone_view, name="categorisation_framework_clone"),
    path(FRAMEWORK + "edit/", views.framework_edit_view, name="categorisation_framework_edit"),
    path(FRAMEWORK + "edit/details/", views.framework_details, name="categorisation_framework_details"),
    path(FRAMEWORK + "edit/thresholds/", views.framework_parameters, name="categorisation_framework_parameters"),
    path(FRAMEWORK + "edit/rows/", views.framework_rows, name="categorisation_framework_rows"),
    path(
        FRAMEWORK + "edit/categories/new/", views.framework_category_add, name="categorisation_framework_category_add"
    ),
    path(
        FRAMEWORK + "edit/categories/<int:number>/", views.framework_category, name="categorisation_framework_category"
    ),
    path(
        FRAMEWORK + "edit/categories/<int:number>/move/",
        views.framework_category_move,
        name="categorisation_framework_category_move",
    ),
    path(
        FRAMEWORK + "edit/categories/<int:number>/criteria/<int:position>/move/",
        views.framework_criterion_move,
        name="categorisation_framework_criterion_move",
    ),
    path(
        FRAMEWORK + "edit/categories/<int:number>/remove/",
        views.framework_category_remove,
        name="categorisation_framework_category_remove",
    ),
    path(FRAMEWORK + "edit/json/", views.framework_json, name="categorisation_framework_json"),
    path(FRAMEWORK + "export.json", views.framework_export, name="categorisation_framework_export"),
    path(FRAMEWORK + "what-if/", views.framework_whatif, name="categorisation_framework_whatif"),
]
