from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Invitation


@shared_task(time_limit=60, soft_time_limit=50, acks_late=True)
def invitation_send(invitation_id: int) -> bool:
    return services.invitation_send(invitation_id=invitation_id)


@shared_task(time_limit=300, soft_time_limit=280)
def invitations_send_unsent(older_than_seconds: int = 60) -> int:
    """Beat job: send invitations still unsent a minute after they were made. Sending claims each one."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(Invitation.objects.filter(sent_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True))
    return sum(services.invitation_send(invitation_id=pk) for pk in ids)


@shared_task(time_limit=600, soft_time_limit=570, acks_late=True)
def sharing_recompute(partnership_id: int, school_ids: list[int] | None = None, user_ids: list[int] | None = None):
    """Recompute the derived guardian grants after an input of the sharing rules changed. Idempotent."""
    from .models import Partnership

    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        return None
    return services.sharing_recompute(partnership=partnership, school_ids=school_ids, user_ids=user_ids)


@shared_task(time_limit=1800, soft_time_limit=1750)
def supports_end_expired() -> dict[str, int]:
    """Nightly beat job: end supports and partner grants past their end date, and recompute all grants."""
    return services.supports_end_expired()


@shared_task(time_limit=1800, soft_time_limit=1750)
def sharing_retention_apply_all() -> dict[str, int]:
    """Beat job: remove sharing records past each partnership's retention period."""
    from .models import Partnership

    return {
        p.slug: sum(len(v) for v in services.sharing_retention_apply(actor=None, partnership=p, dry_run=False).values())
        for p in Partnership.objects.all()
    }
