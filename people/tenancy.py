"""Resolving the tenant named in a URL for a user: the one check pages and the API share."""

from dataclasses import dataclass, field

from django.http import Http404

from partnership.models import Partnership
from partnership.roles import PLATFORM_ADMIN
from people.models import Membership
from people.selectors import memberships_for_user


@dataclass(frozen=True)
class Tenant:
    partnership: Partnership
    memberships: list[Membership] = field(default_factory=list)
    roles: frozenset[str] = frozenset()


def partnership_of_request(request, slug: str) -> Partnership | None:
    """The partnership a request's address names, read once per request (the middleware reads it to enter
    its scope; the membership checks reuse it)."""
    found = getattr(request, "_partnership_of_url", None)
    if found is None or found[0] != slug:
        found = (slug, Partnership.objects.filter(slug=slug).first())
        request._partnership_of_url = found
    return found[1]


def resolve_tenant(user, slug: str, *, request=None) -> Tenant:
    """The partnership and the user's roles in it, or Http404 alike for a missing one and an outsider."""
    if request is not None:
        partnership = partnership_of_request(request, slug)
    else:
        partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None or not user.is_authenticated:
        raise Http404("No such partnership.")
    memberships = memberships_for_user(user, partnership)
    roles = {m.role for m in memberships}
    if user.is_superuser:
        roles.add(PLATFORM_ADMIN)
    if not roles:
        raise Http404("No such partnership.")
    return Tenant(partnership=partnership, memberships=memberships, roles=frozenset(roles))


def attach(request, tenant: Tenant) -> None:
    request.partnership = tenant.partnership
    request.memberships = tenant.memberships
    request.roles = tenant.roles
