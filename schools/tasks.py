"""Celery tasks for imports: each takes an ImportRun id and calls one service, which claims the run, within
the scope of the run's partnership."""

from celery import shared_task

from partnership.scoping import scope_of

from . import services
from .models import ImportRun


@shared_task(name="schools.tasks.import_preview", time_limit=30 * 60, soft_time_limit=25 * 60)
def import_preview(import_run_id: int) -> str:
    with scope_of(ImportRun, pk=import_run_id):
        run = services.import_run_preview(run_id=import_run_id)
    return run.status if run else "skipped"


@shared_task(name="schools.tasks.import_apply", time_limit=30 * 60, soft_time_limit=25 * 60)
def import_apply(import_run_id: int) -> str:
    with scope_of(ImportRun, pk=import_run_id):
        run = services.import_run_apply(run_id=import_run_id)
    return run.status if run else "skipped"
