from django.urls import path

from . import views

urlpatterns = [
    # The fixed paths come before sharing/<urn>/, which would otherwise take "policy" as a URN.
    path("sharing/", views.sharing_overview, name="sharing_overview"),
    path("sharing/policy/", views.sharing_policy, name="sharing_policy"),
    path("sharing/supports/new/", views.sharing_support_start, name="sharing_support_start"),
    path("sharing/supports/<uuid:support_uuid>/end/", views.sharing_support_end, name="sharing_support_end"),
    path("sharing/partners/new/", views.sharing_partner_grant, name="sharing_partner_grant"),
    path("sharing/partners/<uuid:grant_uuid>/end/", views.sharing_partner_grant_end, name="sharing_partner_grant_end"),
    path("sharing/register/new/", views.sharing_register_add, name="sharing_register_add"),
    path("sharing/register/<uuid:entry_uuid>/notice/", views.sharing_register_notice, name="sharing_register_notice"),
    path("sharing/<str:urn>/memorandum/", views.sharing_memorandum, name="sharing_memorandum"),
    path("sharing/<str:urn>/", views.sharing_detail, name="sharing_detail"),
]
