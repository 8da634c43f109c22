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
