"""Reads: every selector takes the partnership it reads within."""

from django.db import models
from django.shortcuts import get_object_or_404

from .models import AuditEvent, Membership, Partnership


def partnerships_for_user(user) -> models.QuerySet[Partnership]:
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=Membership.objects.active().filter(user=user).values("partnership"))


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


def audit_for_object(partnership: Partnership, obj: models.Model, *, limit: int = 50) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_partnership(partnership)
        .filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")[:limit]
    )


def audit_list(partnership: Partnership) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.for_partnership(partnership)
