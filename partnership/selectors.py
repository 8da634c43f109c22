"""Reads of the audit trail: every selector takes the partnership it reads within."""

from django.db import models

from .models import AuditEvent, Partnership


def audit_for_object(partnership: Partnership, obj: models.Model, *, limit: int = 50) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_partnership(partnership)
        .filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")[:limit]
    )


def audit_list(partnership: Partnership) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.for_partnership(partnership)
