"""The tenant comes from the URL: /p/<partnership_slug>/... is checked before any page view runs.

Anonymous people are sent to log in; a signed-in person with no active membership (and not a
platform admin) gets the same 404 as a partnership that does not exist. API views authenticate
by token as well as session, so they make the same check after authentication, in
``partnership.api.TenantAPIMixin``.
"""

from django.contrib.auth.views import redirect_to_login
from rest_framework.views import APIView

from .tenancy import attach, resolve_tenant


class PartnershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.partnership = None
        request.memberships = []
        request.roles = frozenset()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("partnership_slug")
        if slug is None:
            return None
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        tenant = resolve_tenant(request.user, slug)
        attach(request, tenant)
        request.session["partnership_slug"] = tenant.partnership.slug
        return None
