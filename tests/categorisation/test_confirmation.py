"""Confirming a run in two steps: the page that says what confirming will do, the deliberate second step, the
claim that only one officer wins, and the task that confirms in batches, resumable and reclaimed by beat."""

import copy
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from categorisation import confirmation, runs, tasks
from categorisation.models import Letter, Result, Run
from categorisation.selectors import published_version
from categorisation.services import framework_import, framework_publish
from partnership.models import AuditEvent
from sharing.models import ConcernRegisterEntry
from tests.factories import SchoolFactory

from .conftest import RAG, YEAR


def url(name, world, run, **kwargs):
    return reverse(name, kwargs={"partnership_slug": world.a.partnership.slug, "run_uuid": run.uuid, **kwargs})


@pytest.fixture
def register_rag(world, officer):
    data = copy.deepcopy(RAG)
    data["categories"][0]["register"] = True  # RED
    version = framework_import(actor=officer, partnership=world.a.partnership, data=data, reason="test")
    framework_publish(actor=officer, framework=version.framework, reason="first")
    return published_version(version.framework)


@pytest.fixture
def run(officer, register_rag, data, django_capture_on_commit_callbacks):
    """A finished run: Alpha Primary AMBER (its head and governor have email addresses), Alpha High RED."""
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(
            actor=officer, partnership=register_rag.partnership, framework_version=register_rag, academic_year=YEAR
        )
    run.refresh_from_db()
    assert run.status == Run.Status.DONE
    return run


def test_the_page_says_what_confirming_will_do_before_anything_changes(
    world, login, officer, run, django_assert_max_num_queries
):
    a = world.a
    runs.self_assessment_submit(
        actor=a.users["head"],
        result=Result.objects.get(run=run, school=a.school),
        category="AMBER",
        evidence={"ri": "We agree."},
    )
    client = login(officer)
    with django_assert_max_num_queries(30):
        page = client.get(url("categorisation_run_confirm", world, run))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        'Not self-assessed</dt><dd class="govuk-summary-list__value">1 school' in html and "Alpha High School" in html
    )
    assert 'Disagreements not moderated</dt><dd class="govuk-summary-list__value">0' in html
    assert "1 school added, confidential to the LA and the school until a warning notice" in html
    assert "2 written: 1 emailed to the school's headteacher and governors, 1 for you to post" in html
    assert a.users["head"].email in html and "Nobody: for you to post" in html
    assert "Confirm 2 categories and send letters" in html
    # Looking changes nothing.
    run.refresh_from_db()
    assert run.confirm_status == "" and not Result.objects.filter(status="confirmed").exists()


def test_the_page_costs_no_more_queries_with_more_schools(
    world, login, officer, run, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for i in range(25):
        SchoolFactory(partnership=world.a.partnership, urn=f"7{i:05d}")
    with django_capture_on_commit_callbacks(execute=True):
        bigger = runs.run_start(
            actor=officer, partnership=run.partnership, framework_version=run.framework_version, academic_year=YEAR
        )
    client = login(officer)
    with django_assert_max_num_queries(30):
        assert client.get(url("categorisation_run_confirm", world, bigger)).status_code == 200


def test_confirming_without_the_deliberate_step_changes_nothing(world, login, officer, run):
    response = login(officer).post(url("categorisation_run_confirm", world, run), {"note": "Board of 3 May."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Tick the box to say you have checked what confirming does" in html
    run.refresh_from_db()
    assert run.confirm_status == "" and run.confirmed_at is None
    assert not AuditEvent.objects.filter(action__startswith="categorisation.run.confirm").exists()


def test_confirming_runs_as_a_task_and_records_who_when_and_why(
    world, login, officer, run, django_capture_on_commit_callbacks
):
    client = login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("categorisation_run_confirm", world, run), {"checked": "on", "note": "Agreed at the board of 3 May."}
        )
    assert response.status_code == 302 and response.url == url("categorisation_run_detail", world, run)
    run.refresh_from_db()
    assert (run.confirm_status, run.confirm_done, run.confirm_total) == ("done", 2, 2)
    assert run.confirmed_by == officer and run.confirmed_at == run.confirm_requested_at
    assert run.letters_status == "done" and Letter.objects.filter(result__run=run).count() == 2
    assert set(Result.objects.filter(run=run).values_list("status", flat=True)) == {"confirmed"}
    assert ConcernRegisterEntry.objects.get().school == world.a.other_school
    started = AuditEvent.objects.get(action="categorisation.run.confirm_start")
    done = AuditEvent.objects.get(action="categorisation.run.confirm")
    for event in (started, done):
        assert event.actor == officer and event.reason == "Agreed at the board of 3 May."
    assert done.after["confirmed"] == 2
    assert AuditEvent.objects.filter(action="categorisation.result.confirm", actor=officer).count() == 2
    page = client.get(url("categorisation_run_confirm", world, run)).content.decode()
    assert "These results are already confirmed." in page and "send letters</button>" not in page


def test_of_two_officers_confirming_at_once_one_wins(world, login, officer, run, django_capture_on_commit_callbacks):
    first = login(officer)
    with django_capture_on_commit_callbacks(execute=False):  # the task has not started yet
        assert first.post(url("categorisation_run_confirm", world, run), {"checked": "on"}).status_code == 302
    again = first.post(url("categorisation_run_confirm", world, run), {"checked": "on"})
    assert again.status_code == 409
    assert "These results are already being confirmed" in again.content.decode()
    with pytest.raises(ValidationError, match="already being confirmed"):
        runs.results_confirm(actor=officer, run=run)
    assert AuditEvent.objects.filter(action="categorisation.run.confirm_start").count() == 1


def test_the_claim_is_a_conditional_update(officer, run, monkeypatch):
    """Two officers who both read the run as confirmable: the second's claim updates nothing and is refused."""
    monkeypatch.setattr(runs, "confirm_refusal", lambda r: None)  # both passed the check before either claimed
    assert runs.results_confirm(actor=officer, run=run) == 2
    with pytest.raises(ValidationError, match="Another officer has just confirmed"):
        runs.results_confirm(actor=officer, run=run)


def test_a_run_in_the_wrong_state_is_refused_with_409_and_the_reason(world, login, officer, run):
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING)
    response = login(officer).post(url("categorisation_run_confirm", world, run), {"checked": "on"})
    assert response.status_code == 409
    assert "The run has not finished: wait for it before confirming." in response.content.decode()
    assert Run.objects.get(pk=run.pk).confirm_status == ""


def test_only_officers_see_the_page(world, login, run):
    for role in ("board", "head", "clusterlead"):
        assert login(world.a.users[role]).get(url("categorisation_run_confirm", world, run)).status_code == 403


def test_progress_shows_the_confirmation_to_officers_and_only_the_stage_to_others(
    world, login, officer, run, monkeypatch
):
    monkeypatch.setattr(confirmation, "BATCH_SIZE", 1)
    runs.results_confirm(actor=officer, run=run)  # queued; the task has not run
    progress = url("categorisation_run_progress", world, run)
    data = login(officer).get(progress).json()
    assert data["working"] and data["stage"] == "confirm" and data["label"] == "Confirming"
    assert data["message"] == "Waiting to start confirming."
    Run.objects.filter(pk=run.pk).update(confirm_status=Run.Confirming.CONFIRMING, confirm_done=1)
    data = login(officer).get(progress).json()
    assert data["message"] == "Confirming: 1 of 2 categories confirmed (50%)." and data["percent"] == 50
    page = login(officer).get(url("categorisation_run_detail", world, run)).content.decode()
    assert 'id="run-progress-label">Confirming</label>' in page and "Check what confirming will do" not in page
    head = login(world.a.users["head"]).get(progress).json()
    assert head["message"] == "The LA is confirming the categories." and head["working"]


def test_nothing_is_moderated_or_self_assessed_while_confirming(world, officer, run):
    runs.results_confirm(actor=officer, run=run)
    result = Result.objects.get(run=run, school=world.a.school)
    with pytest.raises(ValidationError, match="being confirmed"):
        runs.result_moderate(actor=officer, result=result, note="x", agreed_category="AMBER")
    with pytest.raises(ValidationError, match="confirming the categories now"):
        runs.self_assessment_submit(
            actor=world.a.users["head"], result=result, category="GREEN", evidence={"good": "x"}
        )
    with pytest.raises(Exception, match="cannot be withdrawn"):
        runs.run_withdraw(actor=officer, run=run, reason="Oops.")


def test_a_confirmation_whose_worker_died_is_reclaimed_by_beat_and_finishes_once(
    world, officer, run, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(confirmation, "BATCH_SIZE", 1)
    runs.results_confirm(actor=officer, run=run)
    # The worker confirmed the first batch, then died.
    first = Result.objects.filter(run=run).order_by("pk").first()
    real_finish = confirmation._finish
    monkeypatch.setattr(confirmation, "_finish", lambda *a, **k: (_ for _ in ()).throw(SystemExit("killed")))
    with pytest.raises(SystemExit):
        confirmation.results_confirm_execute(run_id=run.pk)
    monkeypatch.setattr(confirmation, "_finish", real_finish)
    Run.objects.filter(pk=run.pk).update(confirm_status=Run.Confirming.CONFIRMING)  # as a killed worker leaves it
    assert Result.objects.get(pk=first.pk).status == "confirmed"
    assert tasks.confirm_reclaim_stuck() == {}  # not stale yet
    # A second task for the same work while the first is alive does nothing.
    assert confirmation.results_confirm_execute(run_id=run.pk) is None
    Run.objects.filter(pk=run.pk).update(confirm_heartbeat_at=timezone.now() - timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.confirm_reclaim_stuck() == {world.a.partnership.slug: [str(run.uuid)]}
    run.refresh_from_db()
    assert run.confirm_status == "done" and run.confirmed_at and run.letters_status == "done"
    assert AuditEvent.objects.filter(action="categorisation.result.confirm").count() == 2  # one per result
    assert AuditEvent.objects.filter(action="categorisation.run.confirm").count() == 1
    resumed = AuditEvent.objects.get(action="categorisation.run.confirm_resume")
    assert "worker doing it had stopped" in resumed.reason
    assert confirmation.results_confirm_execute(run_id=run.pk) is None  # done: nothing to claim
    assert ConcernRegisterEntry.objects.count() == 1


def test_a_stopped_confirmation_is_confirmed_again_from_where_it_stopped(
    world, login, officer, run, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("register unavailable")

    monkeypatch.setattr(confirmation, "register_from_categorisation", broken)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        runs.results_confirm(actor=officer, run=run)
    run.refresh_from_db()
    assert run.confirm_status == "failed" and "register unavailable" in run.confirm_error and not run.confirmed_at
    page = login(officer).get(url("categorisation_run_detail", world, run)).content.decode()
    assert "Confirming stopped" in page and "2 of 2 categories were confirmed" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(officer).post(url("categorisation_run_confirm", world, run), {"checked": "on"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.confirm_status == "done" and run.confirmed_at
    assert AuditEvent.objects.filter(action="categorisation.result.confirm").count() == 2
