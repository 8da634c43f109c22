from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from partnership import api as partnership_api
from partnership import views as partnership_views

tenant_patterns = [
    path("", include("partnership.urls")),
    path("", include("schools.urls")),
    path("", include("categorisation.urls")),
]

urlpatterns = [
    path("", partnership_views.choose_partnership, name="home"),
    path("healthz", partnership_views.healthz, name="healthz"),
    path("p/<slug:partnership_slug>/", include(tenant_patterns)),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        partnership_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/p/<slug:partnership_slug>/", include("schools.api_urls")),
    path("api/me/", partnership_api.MeView.as_view(), name="api_me"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_docs"),
]

handler403 = "partnership.views.permission_denied"
handler404 = "partnership.views.page_not_found"
