"""Reads of memberships: every selector takes the partnership it reads within, but the cross-partnership
reads of one person's own memberships (which partnerships they may enter)."""

from django.db import models
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from partnership.models import Partnership

from .models import Invitation, Membership


def partnerships_for_user(user) -> models.QuerySet[Partnership]:
    """The partnerships the person may enter: a read of their own memberships across partnerships, on
    purpose, so outside any one partnership's scope."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    with scopes_disabled():
        mine = Membership.objects.active().filter(user=user).values("partnership")
        return Partnership.objects.filter(pk__in=mine)


def my_memberships(user) -> models.QuerySet[Membership]:
    """The person's own active memberships in every partnership (for /api/me/): across partnerships, on purpose."""
    with scopes_disabled():
        return Membership.objects.active().filter(user=user).select_related("partnership", "school", "cluster")


def memberships_for_user(user, partnership: Partnership) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.for_partnership(partnership).active().filter(user=user).select_related("school", "cluster")
    )


def membership_list(partnership: Partnership, *, include_ended: bool = False) -> models.QuerySet[Membership]:
    qs = Membership.objects.for_partnership(partnership).select_related("user", "school", "cluster")
    return qs if include_ended else qs.active()


def get_membership(partnership: Partnership, membership_uuid) -> Membership:
    """The membership of this partnership, or 404: another partnership's answers like a missing one."""
    return get_object_or_404(membership_list(partnership, include_ended=True), uuid=membership_uuid)


def invitations_waiting(partnership):
    """Invitations not yet answered, as the officer typed them: never the account's own name."""
    return (
        Invitation.objects.for_partnership(partnership)
        .filter(accepted_at__isnull=True, declined_at__isnull=True)
        .select_related("school", "cluster", "invited_by")
        .order_by("-created_at")
    )


def pending_invitations_for(user) -> list[Invitation]:
    """Invitations waiting for this person, across every partnership: the person's own, so unscoped."""
    with scopes_disabled():
        return list(
            Invitation.objects.filter(user=user, accepted_at__isnull=True, declined_at__isnull=True)
            .select_related("partnership", "school", "cluster", "invited_by")
            .order_by("created_at")
        )
