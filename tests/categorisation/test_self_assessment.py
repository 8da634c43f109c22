"""The self-assessment form: grouped by category and criterion, saved as a draft and resumed, submitted
with errors that say what is missing, the run's due date, and a draft kept from everyone but the school's
own people."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from categorisation import runs, selectors
from categorisation.models import Result, Run, SelfAssessment
from partnership.audit_changes import action_label
from partnership.models import AuditEvent
from partnership.roles import Role
from sharing.services import sharing_recompute
from tests.factories import MembershipFactory, UserFactory

from .conftest import YEAR

DRAFT_WORDS = "Half written: our reading dipped"


@pytest.fixture
def run(officer, rag, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    run.refresh_from_db()
    return run


def result_of(run, school):
    return Result.objects.select_related("school", "framework_version__framework", "run").get(run=run, school=school)


def result_url(world, run, school=None):
    urn = (school or world.a.school).urn
    return reverse(
        "categorisation_result",
        kwargs={"partnership_slug": world.a.partnership.slug, "run_uuid": run.uuid, "urn": urn},
    )


# ---- the services ------------------------------------------------------------------------------------


def test_a_draft_may_be_incomplete_and_counts_nowhere_as_submitted(world, run):
    head, primary = world.a.users["head"], result_of(run, world.a.school)
    draft = runs.self_assessment_save_draft(actor=head, result=primary, category="GREEN", evidence={"ri": "  "})
    assert (draft.status, draft.category, draft.evidence, draft.submitted_at) == ("draft", "GREEN", {}, None)
    # Not submitted: no flag (GREEN differs from the computed AMBER), no claim, the LA's category still hidden.
    assert result_of(run, world.a.school).status == "provisional"
    assert selectors.self_assessed_categories(run) == {}
    assert selectors.self_assessment_submitted(run) == set()
    assert world.a.school.pk in selectors.unrevealed_school_ids(run)
    assert selectors.self_assessment_for(primary) is None
    assert selectors.self_assessment_for(primary, include_draft=True) == draft
    event = AuditEvent.objects.get(action="categorisation.self_assess.draft")
    assert event.after["status"] == "draft" and action_label(event.action) == "Self-assessment saved as a draft"

    submitted = runs.self_assessment_submit(
        actor=head, result=primary, category="GREEN", evidence={"good": "Good at the last inspection"}
    )
    assert submitted.pk == draft.pk and submitted.status == "submitted" and submitted.submitted_at
    assert SelfAssessment.objects.count() == 1
    assert selectors.self_assessment_submitted(run) == {world.a.school.pk}
    assert result_of(run, world.a.school).status == "flagged"
    event = AuditEvent.objects.get(action="categorisation.self_assess")
    assert (event.before["status"], event.after["status"]) == ("draft", "submitted")
    # Once submitted, a change is submitted again rather than kept as a draft that would hide it.
    with pytest.raises(ValidationError, match="already submitted"):
        runs.self_assessment_save_draft(actor=head, result=primary, category="AMBER", evidence={})
    assert SelfAssessment.objects.get().status == "submitted"


def test_a_later_run_is_not_flagged_by_a_draft(world, officer, run, rag, django_capture_on_commit_callbacks):
    runs.self_assessment_save_draft(
        actor=world.a.users["head"], result=result_of(run, world.a.school), category="GREEN", evidence={"good": "x"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    assert result_of(again, world.a.school).status == "provisional"


def test_only_the_head_saves_a_draft(world, run):
    from django.core.exceptions import PermissionDenied

    for role in ("officer", "governor", "board"):
        with pytest.raises(PermissionDenied, match="headteacher"):
            runs.self_assessment_save_draft(actor=world.a.users[role], result=result_of(run, world.a.school))
    assert not SelfAssessment.objects.exists()


def test_a_run_is_due_in_four_weeks_unless_the_officer_says_otherwise(world, officer, rag, data):
    run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    assert run.self_assessment_due == timezone.localdate() + timedelta(weeks=4)
    chosen = timezone.localdate() + timedelta(days=10)
    later = runs.run_start(
        actor=officer,
        partnership=rag.partnership,
        framework_version=rag,
        academic_year="2021-22",
        self_assessment_due=chosen,
    )
    assert later.self_assessment_due == chosen
    with pytest.raises(ValidationError, match="cannot be in the past"):
        runs.run_set_due_date(actor=officer, run=run, self_assessment_due=timezone.localdate() - timedelta(days=1))
    runs.run_set_due_date(actor=officer, run=run, self_assessment_due=chosen)
    event = AuditEvent.objects.get(action="categorisation.run.due_date")
    assert event.after == {"self_assessment_due": chosen.isoformat()}
    assert action_label(event.action) == "Self-assessment due date changed"


# ---- the pages ---------------------------------------------------------------------------------------


def test_the_form_groups_the_evidence_by_category_and_criterion_in_words(world, login, run):
    html = login(world.a.users["head"]).get(result_url(world, run)).content.decode()
    assert html.count('<fieldset class="govuk-fieldset">') == 3
    for words in ("RED: High concern", "AMBER: Some concern", "GREEN: Low concern"):
        assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{words}</legend>' in html
    assert '<label class="govuk-label" for="id_evidence_twice-ri">Twice RI</label>' in html
    assert "RED: Twice RI" not in html  # the criterion's own words, under its category's legend
    legend = '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{}</legend>'.format
    assert (
        html.index(legend("RED: High concern"))
        < html.index("Judged inadequate")
        < html.index(legend("AMBER: Some concern"))
    )
    assert "Save as draft" in html and "Submit the self-assessment" in html


def test_the_head_saves_a_draft_comes_back_to_it_and_submits(world, login, run):
    head = login(world.a.users["head"])
    saved = head.post(
        result_url(world, run),
        {"action": "self_assess", "intent": "draft", "category": "", "evidence_rwm-low": DRAFT_WORDS},
    )
    assert saved.status_code == 302
    assessment = SelfAssessment.objects.get()
    assert assessment.status == "draft" and assessment.evidence == {"rwm-low": DRAFT_WORDS}
    back = head.get(result_url(world, run)).content.decode()
    assert "Draft saved" in back and f"{DRAFT_WORDS}</textarea>" in back
    assert "shown once the school has submitted its self-assessment" in back  # still the head's own draft

    submitted = head.post(
        result_url(world, run),
        {"action": "self_assess", "intent": "submit", "category": "AMBER", "evidence_rwm-low": DRAFT_WORDS},
    )
    assert submitted.status_code == 302
    after = head.get(result_url(world, run)).content.decode()
    assert "Draft saved" not in after and "How the category was decided" in after
    assert "Save as draft" not in after and "Update the self-assessment" in after
    assert SelfAssessment.objects.get().status == "submitted"


def test_a_submission_names_each_thing_missing(world, login, run):
    head = login(world.a.users["head"])
    response = head.post(result_url(world, run), {"action": "self_assess", "intent": "submit", "category": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert '<a href="#id_category">Choose the category you think fits.</a>' in html
    assert '<a href="#id_evidence_inadequate">Give your evidence for at least one criterion' in html
    response = head.post(result_url(world, run), {"action": "self_assess", "intent": "submit", "category": "AMBER"})
    html = response.content.decode()
    assert "Choose the category you think fits" not in html
    assert '<a href="#id_evidence_ri">Give your evidence for “RI at the last inspection” or “KS2 RWM below 60%”' in html
    assert not SelfAssessment.objects.exists()


def test_a_draft_is_seen_only_by_the_schools_own_people(world, login, run):
    runs.self_assessment_save_draft(
        actor=world.a.users["head"],
        result=result_of(run, world.a.school),
        category="GREEN",
        evidence={"good": DRAFT_WORDS},
    )
    other_head = UserFactory(username="head.alpha-high")
    MembershipFactory(partnership=world.a.partnership, user=other_head, role=Role.HEAD, school=world.a.other_school)
    sharing_recompute(partnership=world.a.partnership)
    for user in (world.a.users["officer"], world.a.users["board"], other_head, world.b.users["head"]):
        response = login(user).get(result_url(world, run))
        html = response.content.decode()
        assert DRAFT_WORDS not in html and "Draft saved" not in html, user.username
    officer_page = login(world.a.users["officer"]).get(result_url(world, run)).content.decode()
    assert "Not submitted yet." in officer_page
    export = login(world.a.users["officer"]).get(
        reverse(
            "categorisation_run_export",
            kwargs={"partnership_slug": world.a.partnership.slug, "run_uuid": run.uuid},
        )
    )
    assert b"GREEN" not in b"".join(line for line in export.content.splitlines() if world.a.school.urn.encode() in line)
    governor = login(world.a.users["governor"]).get(result_url(world, run)).content.decode()
    assert "Draft saved" in governor and "Save as draft" not in governor  # their own school's; the head submits


def test_the_due_date_shows_on_the_form_and_overdue_after_it(world, login, run):
    head = login(world.a.users["head"])
    due = timezone.localdate() + timedelta(days=10)
    Run.objects.filter(pk=run.pk).update(self_assessment_due=due)
    html = head.get(result_url(world, run)).content.decode()
    assert f"Due by {due.day} {due:%B %Y}" in html and "Overdue" not in html
    Run.objects.filter(pk=run.pk).update(self_assessment_due=timezone.localdate() - timedelta(days=1))
    html = head.get(result_url(world, run)).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    runs.self_assessment_submit(
        actor=world.a.users["head"], result=result_of(run, world.a.school), category="GREEN", evidence={"good": "x"}
    )
    assert "Overdue" not in head.get(result_url(world, run)).content.decode()


def test_the_officer_sets_the_due_date_and_nobody_else_can(world, login, run):
    due_url = reverse(
        "categorisation_run_due_date", kwargs={"partnership_slug": world.a.partnership.slug, "run_uuid": run.uuid}
    )
    new = timezone.localdate() + timedelta(days=40)
    for role in ("head", "board", "governor"):
        assert login(world.a.users[role]).post(due_url, {"self_assessment_due": new.isoformat()}).status_code == 403
    officer = login(world.a.users["officer"])
    detail = officer.get(
        reverse(
            "categorisation_run_detail", kwargs={"partnership_slug": world.a.partnership.slug, "run_uuid": run.uuid}
        )
    ).content.decode()
    assert "Change the due date" in detail
    done = officer.post(due_url, {"self_assessment_due": new.isoformat()}, follow=True).content.decode()
    run.refresh_from_db()
    assert run.self_assessment_due == new and f"now due by {new.day} {new:%B %Y}" in done
    refused = officer.post(due_url, {"self_assessment_due": "soon"}, follow=True).content.decode()
    assert "Enter the due date as a date" in refused


def test_the_officer_chooses_the_due_date_when_starting_a_run(world, login, officer, rag, data):
    chosen = timezone.localdate() + timedelta(days=21)
    response = login(officer).post(
        reverse("categorisation_run_list", kwargs={"partnership_slug": world.a.partnership.slug}),
        {"framework_version": rag.pk, "academic_year": YEAR, "self_assessment_due": chosen.isoformat()},
    )
    assert response.status_code == 302 and Run.objects.get().self_assessment_due == chosen
