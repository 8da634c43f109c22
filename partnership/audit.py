"""The audit trail: every service that changes state writes rows here, bulk writes included."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import models
from django.utils import timezone

from .actors import person
from .models import AuditEvent, Partnership


def _jsonable(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The named fields of obj, in a form JSON can hold, for an audit row's before or after."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def _event(*, actor, partnership, obj, action, before, after, reason, when) -> AuditEvent:
    return AuditEvent(
        partnership=partnership,
        actor=person(actor),
        actor_label=getattr(actor, "username", "") or "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
        created_at=when,
    )


def audit_record(
    *,
    actor,
    partnership: Partnership | None,
    obj: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    event = _event(
        actor=actor,
        partnership=partnership,
        obj=obj,
        action=action,
        before=before,
        after=after,
        reason=reason,
        when=timezone.now(),
    )
    event.save()
    return event


def audit_record_many(
    *,
    actor,
    partnership: Partnership | None,
    action: str,
    changes: Iterable[tuple[models.Model, dict | None, dict | None]],
    reason: str = "",
    batch_size: int = 1000,
) -> int:
    """Record one row per changed object of a bulk write, in a few INSERTs. Returns the count."""
    when = timezone.now()
    events = [
        _event(
            actor=actor,
            partnership=partnership,
            obj=obj,
            action=action,
            before=before,
            after=after,
            reason=reason,
            when=when,
        )
        for obj, before, after in changes
    ]
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)
