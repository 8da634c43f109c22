"""Running a confirmed year again, and withdrawing a run started by mistake."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from categorisation import runs
from categorisation.models import Result, Run
from categorisation.selectors import latest_categories, latest_shown_run, school_history
from partnership.models import AuditEvent

from .conftest import YEAR


def start(officer, rag, capture, *, execute=True, reason=""):
    with capture(execute=execute):
        run = runs.run_start(
            actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR, reason=reason
        )
    run.refresh_from_db()
    return run


@pytest.fixture
def confirmed(officer, rag, data, django_capture_on_commit_callbacks):
    run = start(officer, rag, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        runs.results_confirm(actor=officer, run=run)
    run.refresh_from_db()
    return run


def test_running_a_confirmed_year_again_asks_why(officer, rag, confirmed, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        start(officer, rag, django_capture_on_commit_callbacks)
    message = refused.value.message_dict["reason"][0]
    assert f"{YEAR} already has confirmed results" in message and "Say why" in message
    assert Run.objects.count() == 1  # nothing started
    again = start(officer, rag, django_capture_on_commit_callbacks, reason="The DfE corrected the KS2 data.")
    assert again.start_reason == "The DfE corrected the KS2 data."
    event = AuditEvent.objects.get(action="categorisation.run.start", object_id=str(again.pk))
    assert event.reason == "The DfE corrected the KS2 data."


def test_the_start_form_says_why_it_refuses(world, login, officer, rag, confirmed):
    client = login(officer)
    url = reverse("categorisation_run_list", args=[world.a.partnership.slug])
    page = client.post(url, {"framework_version": rag.pk, "academic_year": YEAR, "reason": ""})
    assert page.status_code == 200
    assert "already has confirmed results" in page.content.decode()
    assert Run.objects.count() == 1


def test_members_keep_seeing_the_confirmed_results_until_a_newer_run_is_confirmed(
    world, login, officer, rag, confirmed, django_capture_on_commit_callbacks
):
    a = world.a
    again = start(officer, rag, django_capture_on_commit_callbacks, reason="Corrected data.")
    # The provisional run changes the primary school's category in the LA's view only.
    Result.objects.filter(run=again, school=a.school).update(computed_category="GREEN")
    assert latest_categories(a.partnership, to_officer=True)[a.school.pk] == "GREEN"
    assert latest_categories(a.partnership, to_officer=False)[a.school.pk] == "AMBER"
    own = frozenset({a.school.pk})
    history = school_history(a.partnership, a.school, to_officer=False, own=own)
    assert [(h["year"], h["result"].run_id) for h in history] == [(YEAR, confirmed.pk)]
    assert latest_shown_run(a.partnership) == confirmed
    board = login(a.users["board"])
    home = board.get(reverse("categorisation_home", args=[a.partnership.slug]))
    assert home.url == reverse("categorisation_run_detail", args=[a.partnership.slug, confirmed.uuid])
    refused = board.get(reverse("categorisation_run_detail", args=[a.partnership.slug, again.uuid]))
    assert refused.status_code == 403 and "provisional run" in refused.content.decode()
    # Once the new run is confirmed, it is what everyone sees.
    with django_capture_on_commit_callbacks(execute=True):
        runs.results_confirm(actor=officer, run=again)
    assert latest_categories(a.partnership, to_officer=False)[a.school.pk] == "GREEN"
    assert board.get(reverse("categorisation_run_detail", args=[a.partnership.slug, again.uuid])).status_code == 200


def test_an_officer_withdraws_a_run_started_by_mistake(
    world, login, officer, rag, data, django_capture_on_commit_callbacks
):
    a = world.a
    run = start(officer, rag, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Say why the run is withdrawn"):
        runs.run_withdraw(actor=officer, run=run, reason=" ")
    with pytest.raises(PermissionDenied, match="Only an LA officer"):
        runs.run_withdraw(actor=a.users["head"], run=run, reason="No.")
    client = login(officer)
    response = client.post(
        reverse("categorisation_run_withdraw", args=[a.partnership.slug, run.uuid]), {"reason": "Wrong framework."}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.withdrawn_by, run.withdraw_reason) == ("withdrawn", officer, "Wrong framework.")
    assert AuditEvent.objects.filter(action="categorisation.run.withdraw", reason="Wrong framework.").exists()
    with pytest.raises(ValidationError, match="withdrawn: it cannot be confirmed"):
        runs.results_confirm(actor=officer, run=run)
    assert latest_categories(a.partnership, to_officer=False) == {}
    assert school_history(a.partnership, a.school, to_officer=True) == []
    page = login(a.users["board"]).get(reverse("categorisation_run_detail", args=[a.partnership.slug, run.uuid]))
    assert page.status_code == 403 and "withdrawn" in page.content.decode()
    officer_page = login(officer).get(reverse("categorisation_run_detail", args=[a.partnership.slug, run.uuid]))
    officer_page = officer_page.content.decode()
    assert "This run was withdrawn" in officer_page and "Wrong framework." in officer_page


def test_a_confirmed_run_cannot_be_withdrawn(world, login, officer, confirmed):
    with pytest.raises(PermissionDenied, match="A confirmed run cannot be withdrawn"):
        runs.run_withdraw(actor=officer, run=confirmed, reason="Oops.")
    response = login(officer).post(
        reverse("categorisation_run_withdraw", args=[world.a.partnership.slug, confirmed.uuid]), {"reason": "Oops."}
    )
    assert response.status_code == 403 and "cannot be withdrawn" in response.content.decode()


def test_a_worker_stops_when_its_run_is_withdrawn(officer, rag, data, django_capture_on_commit_callbacks):
    run = start(officer, rag, django_capture_on_commit_callbacks, execute=False)  # queued, not run yet
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING)  # a worker has claimed it
    runs.run_withdraw(actor=officer, run=run, reason="Started by mistake.")
    run.refresh_from_db()
    runs._execute(run, first=True)
    run.refresh_from_db()
    assert run.status == "withdrawn" and not Result.objects.filter(run=run).exists()
