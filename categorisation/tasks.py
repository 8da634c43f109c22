"""Celery tasks for categorisation: each takes an id and calls one service, which claims the work, within the
scope of the run's partnership."""

from celery import shared_task
from django_scopes import scopes_disabled

from partnership.actors import system_actor
from partnership.scoping import partnership_scope, scope_of

from . import confirmation, letters, runs
from .models import Run

RECLAIM = system_actor("reclaiming letters whose worker stopped while writing them")
RECLAIM_CONFIRM = system_actor("reclaiming a confirmation whose worker stopped")


@shared_task(name="categorisation.tasks.run_execute", time_limit=30 * 60, soft_time_limit=25 * 60)
def run_execute(run_id: int) -> str:
    with scope_of(Run, pk=run_id):
        run = runs.run_execute(run_id=run_id)
    return run.status if run else "skipped"


# Shorter than confirmation.CONFIRM_STALE_AFTER, so a claim that old belongs to a worker that is gone.
@shared_task(name="categorisation.tasks.run_confirm", time_limit=12 * 60, soft_time_limit=10 * 60)
def run_confirm(run_id: int) -> str:
    with scope_of(Run, pk=run_id):
        run = confirmation.results_confirm_execute(run_id=run_id)
    return run.confirm_status if run else "skipped"


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


@shared_task(name="categorisation.tasks.letters_reclaim_stuck", time_limit=5 * 60, soft_time_limit=4 * 60)
def letters_reclaim_stuck() -> dict[str, list[str]]:
    """Beat job: queue again the letters of every run whose worker died while writing them, in each
    partnership's scope. {partnership slug: the runs' uuids}."""
    with scopes_disabled():  # which partnerships have any: one query across them, written out as such
        partnerships = set(Run.objects.filter(letters._stuck()).values_list("partnership_id", flat=True))
    reclaimed = {}
    for partnership_id in sorted(partnerships):
        with partnership_scope(partnership_id) as partnership:
            uuids = letters.letters_reclaim_stuck(actor=RECLAIM, partnership=partnership)
        if uuids:
            reclaimed[partnership.slug] = uuids
    return reclaimed


@shared_task(name="categorisation.tasks.confirm_reclaim_stuck", time_limit=5 * 60, soft_time_limit=4 * 60)
def confirm_reclaim_stuck() -> dict[str, list[str]]:
    """Beat job: queue again every confirmation whose worker died, in each partnership's scope.
    {partnership slug: the runs' uuids}."""
    with scopes_disabled():  # which partnerships have any: one query across them, written out as such
        partnerships = set(Run.objects.filter(confirmation._stuck()).values_list("partnership_id", flat=True))
    reclaimed = {}
    for partnership_id in sorted(partnerships):
        with partnership_scope(partnership_id) as partnership:
            uuids = confirmation.confirm_reclaim_stuck(actor=RECLAIM_CONFIRM, partnership=partnership)
        if uuids:
            reclaimed[partnership.slug] = uuids
    return reclaimed
