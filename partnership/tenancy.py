"""Resolving the tenant named in a URL for a user: the one check pages and the API share."""

from dataclasses import dataclass, field

from django.http import Http404

from .models import Membership, Partnership
from .roles import PLATFORM_ADMIN
from .selectors import memberships_for_user


@dataclass(frozen=True)
class Tenant:
    partnership: Partnership
    memberships: list[Membership] = field(default_factory=list)
    roles: frozenset[str] = frozenset()


def resolve_tenant(user, slug: str) -> Tenant:
    """The partnership and the user's roles in it, or Http404 alike for a missing one and an outsider."""
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
