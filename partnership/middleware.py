"""The tenant comes from the URL: /p/<partnership_slug>/... is checked before any view runs.

Anonymous people are sent to log in; a signed-in person with no active membership (and not a
platform admin) gets the same 404 as a partnership that does not exist.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from .models import Partnership
from .roles import PLATFORM_ADMIN
from .selectors import memberships_for_user


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
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            raise Http404("No such partnership.")
        memberships = memberships_for_user(request.user, partnership)
        roles = {m.role for m in memberships}
        if request.user.is_superuser:
            roles.add(PLATFORM_ADMIN)
        if not roles:
            raise Http404("No such partnership.")
        request.partnership = partnership
        request.memberships = memberships
        request.roles = frozenset(roles)
        request.session["partnership_slug"] = partnership.slug
        return None
