"""Celery tasks for categorisation: each takes an id and calls one service, which claims the work."""

from celery import shared_task

from . import letters, runs


@shared_task(name="categorisation.tasks.run_execute", time_limit=30 * 60, soft_time_limit=25 * 60)
def run_execute(run_id: int) -> str:
    run = runs.run_execute(run_id=run_id)
    return run.status if run else "skipped"


@shared_task(name="categorisation.tasks.letters_render", time_limit=30 * 60, soft_time_limit=25 * 60)
def letters_render(run_id: int) -> str:
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
    return letters.letters_send(run_id=run_id)
