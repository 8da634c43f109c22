"""Celery tasks for categorisation: each takes an id and calls one service, which claims the work, within the
scope of the run's partnership."""

from celery import shared_task

from partnership.scoping import scope_of

from . import letters, runs
from .models import Run


@shared_task(name="categorisation.tasks.run_execute", time_limit=30 * 60, soft_time_limit=25 * 60)
def run_execute(run_id: int) -> str:
    with scope_of(Run, pk=run_id):
        run = runs.run_execute(run_id=run_id)
    return run.status if run else "skipped"


@shared_task(name="categorisation.tasks.letters_render", time_limit=30 * 60, soft_time_limit=25 * 60)
def letters_render(run_id: int) -> str:
    with scope_of(Run, pk=run_id):
        return letters.letters_render(run_id=run_id)


@shared_task(
    name="categorisation.tasks.letters_send",
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
)
def letters_send(run_id: int) -> dict:
    with scope_of(Run, pk=run_id):
        return letters.letters_send(run_id=run_id)
