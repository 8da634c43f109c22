"""Reads for the sharing pages: every selector takes the partnership it reads within."""

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partnership.models import Partnership
from partnership.roles import is_la
from schools.models import School

from . import permissions, rules
from .models import ConcernRegisterEntry, MemorandumStatus, StrategicPartnerGrant, SupportRelationship


def get_support(partnership: Partnership, support_uuid) -> SupportRelationship:
    return get_object_or_404(
        SupportRelationship.objects.for_partnership(partnership).select_related("supporter", "supported"),
        uuid=support_uuid,
    )


def get_partner_grant(partnership: Partnership, grant_uuid) -> StrategicPartnerGrant:
    return get_object_or_404(
        StrategicPartnerGrant.objects.for_partnership(partnership).select_related("membership__user", "school"),
        uuid=grant_uuid,
    )


def get_register_entry(partnership: Partnership, entry_uuid) -> ConcernRegisterEntry:
    return get_object_or_404(
        ConcernRegisterEntry.objects.for_partnership(partnership).select_related("school", "added_by"),
        uuid=entry_uuid,
    )


def _is_current(obj, today: date) -> bool:
    """Not ended, and not past its end date: running now or starting later."""
    return obj.ended_at is None and (obj.ends_on is None or obj.ends_on >= today)


def sharing_overview(user, roles, partnership: Partnership, *, today: date | None = None) -> dict:
    """What the partnership's data sharing page shows to this person.

    LA officers see every record. Anyone else who manages a school's sharing (its headteacher, its named
    data controller) sees every school's memorandum answer (each member's ``because`` sentences say it
    already) but the data controller only of the schools they manage, and the supports and partner
    grants of those schools only. Register entries and their count come from
    ``register_entries_visible_to``, so a confidential entry leaks through neither.
    """
    today = today or timezone.localdate()
    is_la_person = is_la(roles)
    managed = set(permissions.schools_managed_by(user, roles, partnership).values_list("pk", flat=True))
    current = {
        m.school_id: m
        for m in MemorandumStatus.objects.for_partnership(partnership)
        .filter(superseded_at__isnull=True)
        .select_related("data_controller")
    }
    groups: dict[str, list] = {value: [] for value, _ in MemorandumStatus.Status.choices}
    groups["none"] = []
    for school in School.objects.for_partnership(partnership).only("id", "urn", "name").order_by("name"):
        answer = current.get(school.pk)
        groups[answer.status if answer else "none"].append(
            {"school": school, "answer": answer, "managed": is_la_person or school.pk in managed}
        )
    labels = dict(MemorandumStatus.Status.choices, none="Not recorded")
    memorandum = [
        {"status": status, "label": labels[status], "rows": rows, "count": len(rows)} for status, rows in groups.items()
    ]
    supports = SupportRelationship.objects.for_partnership(partnership).select_related(
        "supporter", "supported", "granted_by", "ended_by"
    )
    grants = StrategicPartnerGrant.objects.for_partnership(partnership).select_related(
        "membership__user", "school", "granted_by", "ended_by"
    )
    if not is_la_person:
        supports = supports.filter(Q(supporter_id__in=managed) | Q(supported_id__in=managed))
        grants = grants.filter(school_id__in=managed)
    supports, grants = list(supports), list(grants.order_by("membership__user__username", "school__name", "-id"))
    for support in supports:
        support.can_end = support.ended_at is None and (is_la_person or support.supported_id in managed)
    register = list(rules.register_entries_visible_to(user, partnership).select_related("school"))
    return {
        "is_la": is_la_person,
        "memorandum": memorandum,
        "school_count": sum(group["count"] for group in memorandum),
        "supports_current": [s for s in supports if _is_current(s, today)],
        "supports_ended": [s for s in supports if not _is_current(s, today)],
        "grants_current": [g for g in grants if _is_current(g, today)],
        "grants_ended": [g for g in grants if not _is_current(g, today)],
        "register": register,
        "register_count": len(register),
        "today": today,
    }
