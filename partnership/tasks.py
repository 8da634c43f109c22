from celery import shared_task

from . import services


@shared_task(time_limit=60, soft_time_limit=50, acks_late=True)
def invitation_send(invitation_id: int) -> bool:
    return services.invitation_send(invitation_id=invitation_id)
