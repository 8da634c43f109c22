from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("help/", views.service_page, {"page": "help"}, name="partnership_help"),
    path("privacy/", views.service_page, {"page": "privacy"}, name="partnership_privacy"),
    path("accessibility/", views.service_page, {"page": "accessibility"}, name="partnership_accessibility"),
    path("cookies/", views.service_page, {"page": "cookies"}, name="partnership_cookies"),
    path("service-pages/", views.service_pages_edit, name="service_pages_edit"),
]
