from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from config.health import healthz
from partnership import views as partnership_views
from people import api as people_api
from people import views as people_views

tenant_patterns = [
    path("", include("dashboards.urls")),
    path("", include("partnership.urls")),
    path("", include("people.urls")),
    path("", include("schools.urls")),
    path("", include("sharing.urls")),
    path("", include("categorisation.urls")),
    path("", include("funding.urls")),
]

api_patterns = [
    path("", include("schools.api_urls")),
    path("", include("sharing.api_urls")),
    path("", include("categorisation.api_urls")),
    path("", include("funding.api_urls")),
]

urlpatterns = [
    path("", people_views.choose_partnership, name="home"),
    path("healthz", healthz, name="healthz"),
    path("help/", partnership_views.service_page, {"page": "help"}, name="help"),
    path("privacy/", partnership_views.service_page, {"page": "privacy"}, name="privacy"),
    path("accessibility/", partnership_views.service_page, {"page": "accessibility"}, name="accessibility"),
    path("cookies/", partnership_views.service_page, {"page": "cookies"}, name="cookies"),
    path("p/<slug:partnership_slug>/", include(tenant_patterns)),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        people_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("accounts/invitations/<uuid:invitation_uuid>/", people_views.invitation_respond, name="invitation_respond"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/p/<slug:partnership_slug>/", include(api_patterns)),
    path("api/me/", people_api.MeView.as_view(), name="api_me"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        # Redoc styles itself with inline <style> elements and parses the schema in a blob: worker.
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api_schema", template_name="api/redoc.html")
        ),
        name="api_docs",
    ),
]

handler403 = "partnership.views.permission_denied"
handler404 = "partnership.views.page_not_found"
