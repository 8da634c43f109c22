"""Reads of the audit trail: every selector takes the partnership it reads within."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone

from .audit_changes import Change, action_label, audit_changes, object_kind_label
from .models import AuditEvent, Partnership

__all__ = ["Change", "audit_changes", "action_label", "object_kind_label"]


def audit_for_object(partnership: Partnership, obj: models.Model, *, limit: int = 50) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_partnership(partnership)
        .filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")[:limit]
    )


def audit_list(
    partnership: Partnership,
    *,
    person: str = "",
    object_type: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> models.QuerySet[AuditEvent]:
    """The partnership's trail, newest first, narrowed by who (the actor's username, kept when the account
    goes), the kind of object, the action and the days it happened on (both ends included, in UK time)."""
    events = AuditEvent.objects.for_partnership(partnership).select_related("actor")
    if person:
        events = events.filter(actor_label=person)
    if object_type:
        events = events.filter(object_type=object_type)
    if action:
        events = events.filter(action=action)
    # Bounds as moments rather than created_at__date, so the created_at index serves them.
    if date_from:
        events = events.filter(created_at__gte=timezone.make_aware(datetime.combine(date_from, time.min)))
    if date_to:
        next_day = date_to + timedelta(days=1)
        events = events.filter(created_at__lt=timezone.make_aware(datetime.combine(next_day, time.min)))
    return events


@dataclass(frozen=True)
class AuditFilterChoices:
    people: list[tuple[str, str]]
    object_kinds: list[tuple[str, str]]
    actions: list[tuple[str, str]]


def audit_filter_choices(partnership: Partnership) -> AuditFilterChoices:
    """What the trail can be narrowed to: the people, kinds of object and actions it holds, each as
    (value, label) sorted by label. Three queries, however long the trail."""
    events = AuditEvent.objects.for_partnership(partnership).order_by()
    names: dict[str, str] = {}
    for username, first, last in events.values_list("actor_label", "actor__first_name", "actor__last_name").distinct():
        full = f"{first or ''} {last or ''}".strip()
        if full or username not in names:
            names[username] = f"{full} ({username})" if full else username
    kinds = {t: object_kind_label(t) for t in events.values_list("object_type", flat=True).distinct()}
    actions = {a: action_label(a) for a in events.values_list("action", flat=True).distinct()}

    def by_label(pairs: dict[str, str]) -> list[tuple[str, str]]:
        return sorted(pairs.items(), key=lambda pair: (pair[1].lower(), pair[0]))

    return AuditFilterChoices(people=by_label(names), object_kinds=by_label(kinds), actions=by_label(actions))
