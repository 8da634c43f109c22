"""Celery tasks for invitations. Each works within the scope of the invitation's partnership."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from partnership.scoping import scope_of

from . import services
from .models import Invitation


@shared_task(time_limit=60, soft_time_limit=50, acks_late=True)
def invitation_send(invitation_id: int) -> bool:
    with scope_of(Invitation, pk=invitation_id):
        return services.invitation_send(invitation_id=invitation_id)


@shared_task(time_limit=300, soft_time_limit=280)
def invitations_send_unsent(older_than_seconds: int = 60) -> int:
    """Beat job: send invitations still unsent a minute after they were made. Sending claims each one."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    with scopes_disabled():  # the sweep looks across partnerships; each send then works within its own
        ids = list(Invitation.objects.filter(sent_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True))
    return sum(invitation_send(pk) for pk in ids)
