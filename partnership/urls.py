from django.urls import path

from . import views

urlpatterns = [
    path("", views.partnership_home, name="partnership_home"),
    path("people/", views.people_list, name="people_list"),
    path("people/invite/", views.people_invite, name="people_invite"),
    path("people/<uuid:membership_uuid>/", views.people_detail, name="people_detail"),
    path("audit/", views.audit_list, name="audit_list"),
    path("sharing/<str:urn>/", views.sharing_detail, name="sharing_detail"),
]
