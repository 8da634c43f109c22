"""A categorisation run, its letters and their emails, queued through Redis and done by a real worker."""

from datetime import date

import pytest

from categorisation import runs
from categorisation.models import Letter, Result, Run
from categorisation.selectors import published_version
from categorisation.services import framework_import, framework_publish
from tests.categorisation.conftest import RAG, YEAR, inspect, results

from .conftest import needs_services, wait_until
from .test_processes import celery

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_worker_runs_categorisation_then_writes_and_emails_the_letters(world, start, queue):
    needs_services()
    a, officer = world.a, world.a.users["officer"]
    inspect(a.school, date(2019, 3, 1), 2)
    results(a.school, **{"2020-21": 70, "2021-22": 58, "2022-23": 55})
    inspect(a.other_school, date(2018, 1, 10), 3)
    inspect(a.other_school, date(2021, 6, 5), 3)
    draft = framework_import(actor=officer, partnership=a.partnership, data=RAG, reason="Worker test.")
    framework_publish(actor=officer, framework=draft.framework, reason="first")
    # Tasks the worker queues itself (the letters after the run) go to the same queue of this test's own.
    worker = start(
        "worker",
        celery("worker", "--loglevel", "INFO", "--concurrency", "1", "-Q", queue),
        CELERY_TASK_DEFAULT_QUEUE=queue,
    )
    worker.wait_for("ready", timeout=60)

    run = runs.run_start(
        actor=officer,
        partnership=a.partnership,
        framework_version=published_version(draft.framework),
        academic_year=YEAR,
    )
    done = wait_until(lambda: Run.objects.filter(pk=run.pk, status=Run.Status.DONE).exists(), timeout=60)
    assert done, "the worker did not finish the run:\n" + worker.output()[-3000:]
    assert dict(Result.objects.filter(run=run).values_list("school__urn", "computed_category")) == {
        a.school.urn: "AMBER",
        a.other_school.urn: "RED",
    }

    runs.results_confirm(actor=officer, run=run)
    emailed = wait_until(
        lambda: Letter.objects.filter(result__run=run, sent_at__isnull=False).exclude(sent_to="").exists(), timeout=120
    )
    state = list(Run.objects.filter(pk=run.pk).values_list("letters_status", flat=True)) + list(
        Letter.objects.filter(result__run=run).values_list("sent_at", "sent_to", "send_note")
    )
    assert emailed, f"the worker did not write and email the letters: {state}\n" + worker.output()[-3000:]
    letter = Letter.objects.get(result__run=run, result__school=a.school)
    assert letter.read_pdf().startswith(b"%PDF")
    assert set(letter.sent_to.splitlines()) == {a.users["head"].email, a.users["governor"].email}
    output = worker.output()
    for task in ("run_execute", "letters_render", "letters_send"):
        assert f"categorisation.tasks.{task}" in output, task
