"""The membership check for the API, as its default permission class (settings REST_FRAMEWORK).

Kept apart from people/api.py: DRF imports its default permission classes while it loads its own views.
"""

from rest_framework.permissions import BasePermission

from .tenancy import attach, resolve_tenant


class PartnershipMember(BasePermission):
    """The default permission class of every API view (settings REST_FRAMEWORK): a signed-in caller, and
    under /api/p/<partnership_slug>/, after token or session authentication, the same tenant check as
    pages (an outsider's answer is the 404 of a missing partnership). It sets request.partnership and
    request.roles for get_queryset to pass to a selector; the middleware has entered the partnership's
    scope already."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        slug = view.kwargs.get("partnership_slug")
        if slug is not None:
            attach(request, resolve_tenant(request.user, slug, request=request._request))
        return True
