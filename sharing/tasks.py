"""Celery tasks for data sharing. Each works within the scope of the partnership it is for."""

from celery import shared_task

from partnership.actors import system_actor
from partnership.models import Partnership
from partnership.scoping import partnership_scope

from . import services

RETENTION = system_actor("retention: removing sharing records past the partnership's retention period")


@shared_task(time_limit=600, soft_time_limit=570, acks_late=True)
def sharing_recompute(partnership_id: int, school_ids: list[int] | None = None, user_ids: list[int] | None = None):
    """Recompute the derived guardian grants after an input of the sharing rules changed. Idempotent."""
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        return None
    with partnership_scope(partnership):
        return services.sharing_recompute(partnership=partnership, school_ids=school_ids, user_ids=user_ids)


@shared_task(time_limit=1800, soft_time_limit=1750)
def supports_end_expired() -> dict[str, int]:
    """Nightly beat job: end supports and partner grants past their end date, and recompute all grants."""
    return services.supports_end_expired()


@shared_task(time_limit=1800, soft_time_limit=1750)
def sharing_retention_apply_all() -> dict[str, int]:
    """Beat job: remove sharing records past each partnership's retention period."""
    removed = {}
    for partnership in Partnership.objects.all():
        with partnership_scope(partnership):
            records = services.sharing_retention_apply(actor=RETENTION, partnership=partnership, dry_run=False)
        removed[partnership.slug] = sum(len(v) for v in records.values())
    return removed
