"""Letters that failed or whose worker died while writing them are written again: by an officer (with a
reason, audited) or by the beat sweep; the letters already written are kept and never written twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

import categorisation.letters as letters_module
from categorisation import runs, tasks
from categorisation.letters import RENDER_CLAIM_EXPIRES, can_retry_letters, letters_retry
from categorisation.models import Letter, Run
from partnership.models import AuditEvent

from .conftest import YEAR


@pytest.fixture
def failed(world, officer, rag, data, monkeypatch, django_capture_on_commit_callbacks):
    """A confirmed run whose rendering wrote its first letter and then failed."""
    real, calls = letters_module.letter_pdf, []

    def second_fails(result, template=None):
        calls.append(result.pk)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(result, template)

    monkeypatch.setattr(letters_module, "letter_pdf", second_fails)
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    with pytest.raises(OSError, match="disk full"):
        with django_capture_on_commit_callbacks(execute=True):
            runs.results_confirm(actor=officer, run=run)
    monkeypatch.setattr(letters_module, "letter_pdf", real)
    run.refresh_from_db()
    return run


def test_a_failed_rendering_is_recorded_and_an_officer_writes_the_rest(
    world, officer, failed, django_capture_on_commit_callbacks
):
    assert failed.letters_status == Run.Letters.FAILED and failed.letters_error == "OSError: disk full"
    (kept,) = Letter.objects.filter(result__run=failed)
    with django_capture_on_commit_callbacks(execute=True):
        letters_retry(actor=officer, run=failed, reason="The disk was full; it has been cleared.")
    failed.refresh_from_db()
    assert failed.letters_status == Run.Letters.DONE and failed.letters_error == ""
    letters = Letter.objects.filter(result__run=failed)
    assert letters.count() == 2 and kept in letters  # the first letter is kept, not written again
    assert Letter.objects.filter(result__run=failed, result__school=kept.result.school).count() == 1
    audit = AuditEvent.objects.get(action="categorisation.letters.retry")
    assert audit.actor == officer and audit.reason == "The disk was full; it has been cleared."
    assert audit.before == {"letters_status": "failed", "letters_error": "OSError: disk full"}
    assert audit.after["letters_status"] == "queued" and audit.after["letters_written"] == 1


def test_a_retry_needs_a_reason_and_an_officer(world, officer, failed):
    with pytest.raises(ValidationError, match="Say why"):
        letters_retry(actor=officer, run=failed, reason=" ")
    for role in ("board", "head", "clusterlead"):
        with pytest.raises(PermissionDenied, match="Only an LA officer"):
            letters_retry(actor=world.a.users[role], run=failed, reason="Please")
    assert Run.objects.get(pk=failed.pk).letters_status == Run.Letters.FAILED
    assert not AuditEvent.objects.filter(action="categorisation.letters.retry").exists()


def test_only_failed_or_stopped_letters_can_be_retried(officer, failed):
    now = timezone.now()
    cases = [
        (Run.Letters.DONE, now, "Every letter of this run is written"),
        (Run.Letters.QUEUED, now, "already waiting to be written"),
        (Run.Letters.RENDERING, now - RENDER_CLAIM_EXPIRES + timedelta(minutes=1), "being written now"),
    ]
    for status, heartbeat, why in cases:
        Run.objects.filter(pk=failed.pk).update(letters_status=status, letters_heartbeat_at=heartbeat)
        failed.refresh_from_db()
        assert can_retry_letters(failed)[0] is False
        with pytest.raises(ValidationError, match=why):
            letters_retry(actor=officer, run=failed, reason="Try")
    Run.objects.filter(pk=failed.pk).update(letters_heartbeat_at=now - RENDER_CLAIM_EXPIRES - timedelta(minutes=1))
    failed.refresh_from_db()
    assert can_retry_letters(failed) == (
        True,
        "Writing the letters has stopped making progress: they can be written again.",
    )


def test_the_beat_sweep_reclaims_letters_whose_worker_died_and_leaves_live_ones(
    world, officer, failed, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - RENDER_CLAIM_EXPIRES - timedelta(minutes=1)
    Run.objects.filter(pk=failed.pk).update(letters_status=Run.Letters.RENDERING, letters_heartbeat_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.letters_reclaim_stuck() == {"alpha": [str(failed.uuid)]}
    failed.refresh_from_db()
    assert failed.letters_status == Run.Letters.DONE and Letter.objects.filter(result__run=failed).count() == 2
    audit = AuditEvent.objects.get(action="categorisation.letters.retry")
    assert audit.actor is None and "system: reclaiming letters" in audit.actor_label
    assert "No letter was written for 35 minutes" in audit.reason
    # a worker that is still writing (a recent letter) is left alone
    Run.objects.filter(pk=failed.pk).update(letters_status=Run.Letters.RENDERING, letters_heartbeat_at=timezone.now())
    assert tasks.letters_reclaim_stuck() == {}
    assert Run.objects.get(pk=failed.pk).letters_status == Run.Letters.RENDERING


def test_a_rendering_task_takes_over_a_dead_workers_claim_but_not_a_live_one(failed):
    Run.objects.filter(pk=failed.pk).update(letters_status=Run.Letters.RENDERING, letters_heartbeat_at=timezone.now())
    assert letters_module.letters_render(run_id=failed.pk) == "skipped"
    long_ago = timezone.now() - RENDER_CLAIM_EXPIRES - timedelta(seconds=1)
    Run.objects.filter(pk=failed.pk).update(letters_heartbeat_at=long_ago)
    assert letters_module.letters_render(run_id=failed.pk) == "done"
    assert Letter.objects.filter(result__run=failed).count() == 2


def test_the_run_page_offers_the_retry_to_officers_and_the_button_works(
    world, login, officer, failed, django_capture_on_commit_callbacks
):
    page = reverse("categorisation_run_detail", args=[world.a.partnership.slug, failed.uuid])
    retry = reverse("categorisation_letters_retry", args=[world.a.partnership.slug, failed.uuid])
    client = login(officer)
    html = client.get(page).content.decode()
    assert "Writing the letters failed" in html and "OSError: disk full" in html and f'action="{retry}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, {"reason": "Cleared the disk."}, follow=True)
    assert "The letters are being written again." in response.content.decode()
    assert Run.objects.get(pk=failed.pk).letters_status == Run.Letters.DONE
    html = client.get(page).content.decode()
    assert f'action="{retry}"' not in html
    # a second press says why nothing happens
    response = client.post(retry, {"reason": "Again"}, follow=True)
    assert "Every letter of this run is written" in response.content.decode()


def test_the_retry_is_refused_to_others_with_the_reason(world, login, failed):
    retry = reverse("categorisation_letters_retry", args=[world.a.partnership.slug, failed.uuid])
    response = login(world.a.users["head"]).post(retry, {"reason": "Please"})
    assert response.status_code == 403 and "Only an LA officer" in response.content.decode()
    assert Run.objects.get(pk=failed.pk).letters_status == Run.Letters.FAILED
