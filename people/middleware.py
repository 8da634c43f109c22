"""The tenant comes from the URL: /p/<partnership_slug>/... is checked before any page view runs.

Anonymous people are sent to log in; a signed-in person with no active membership (and not a
platform admin) gets the same 404 as a partnership that does not exist. API views authenticate
by token as well as session, so they make the same check after authentication, in their default
permission class ``people.permissions.PartnershipMember``.

Every request under a partnership's address runs inside that partnership's scope (django-scopes):
a query on tenant data sees that partnership's rows only, whatever the view's selector asks for. The
platform admin reads across partnerships and says so. Any other request has no scope, so a tenant query
there raises instead of returning every partnership's rows.
"""

from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled
from rest_framework.views import APIView

from people.tenancy import attach, partnership_of_request, resolve_tenant


class PartnershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.partnership = None
        request.memberships = []
        request.roles = frozenset()
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.namespace == "admin" or match.app_name == "admin":
            with scopes_disabled():  # the platform admin (superusers only) works across partnerships
                return self.get_response(request)
        slug = match.kwargs.get("partnership_slug")
        if slug is None:
            return self.get_response(request)
        partnership = partnership_of_request(request, slug)
        # An unknown slug gets the scope of no partnership: the check below answers 404 before any view.
        with scope(partnership=partnership if partnership is not None else []):
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
        tenant = resolve_tenant(request.user, slug, request=request)
        attach(request, tenant)
        request.session["partnership_slug"] = tenant.partnership.slug
        return None
