"""Two writes of the same thing at once, on real threads (on SQLite and on PostgreSQL): each answers a
success or a refusal with its reason, never 500, and what is stored is what one of them meant.

Two first self-assessments of a school at once both found no self-assessment and both inserted one: the
second broke the one-per-school-year constraint and answered 500 on PostgreSQL. The service now locks the
school first, so the second waits, finds the first and updates it (or, as a draft, is refused)."""

import pytest
from django.urls import reverse

from categorisation import runs
from categorisation.models import ModerationNote, Result, SelfAssessment
from partnership.models import AuditEvent
from partnership.roles import Role
from tests.concurrency import at_once, meet_before, statuses
from tests.factories import MembershipFactory, UserFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def run(officer, rag, data):
    run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    run.refresh_from_db()
    return run


def result_url(world, run, school):
    return reverse(
        "categorisation_result",
        kwargs={"partnership_slug": world.a.partnership.slug, "run_uuid": run.uuid, "urn": school.urn},
    )


def self_assessment(intent, category, words):
    return {"action": "self_assess", "intent": intent, "category": category, "evidence_good": words}


@pytest.mark.parametrize("intent", ["submit", "draft"])
def test_two_first_self_assessments_at_once_keep_one_and_never_fail(world, run, monkeypatch, intent):
    head, school = world.a.users["head"], world.a.school
    url = result_url(world, run, school)
    meet_before(monkeypatch, SelfAssessment)
    answers = at_once(
        [
            (head, url, self_assessment(intent, "GREEN", "Good at the last inspection")),
            (head, url, self_assessment(intent, "AMBER", "Our reading dipped")),
        ]
    )
    assert statuses(answers) == [302, 302], [getattr(a, "content", a)[:2000] for a in answers]
    kept = SelfAssessment.objects.get(school=school)
    assert kept.category in ("GREEN", "AMBER") and kept.status == intent.replace("submit", "submitted")
    action = "categorisation.self_assess" if intent == "submit" else "categorisation.self_assess.draft"
    first, second = AuditEvent.objects.filter(action=action).order_by("pk")
    assert first.before is None and second.before == first.after  # the second changed what the first saved


def test_a_draft_at_the_same_time_as_a_submission_is_refused_with_its_reason(world, run, monkeypatch):
    head, school = world.a.users["head"], world.a.school
    url = result_url(world, run, school)
    submitted = runs.self_assessment_submit(
        actor=head, result=Result.objects.get(run=run, school=school), category="GREEN", evidence={"good": "x"}
    )
    meet_before(monkeypatch, SelfAssessment)
    answers = at_once(
        [
            (head, url, self_assessment("submit", "AMBER", "Our reading dipped")),
            (head, url, self_assessment("draft", "RED", "Not finished")),
        ]
    )
    assert 500 not in statuses(answers)
    refused = [a for a in answers if a.status_code == 200]
    for answer in refused:
        assert "already submitted" in answer.content.decode()
    assert SelfAssessment.objects.get(pk=submitted.pk).status == "submitted"


def test_two_moderations_of_one_result_at_once_keep_one_and_tell_the_other_officer(world, officer, run, monkeypatch):
    """Both officers opened the page before either moderated (it showed no moderation: "none"). The first
    to save wins; the second is told someone moderated meanwhile, and nothing of theirs overwrites it."""
    school = world.a.school
    other = UserFactory(username="second.officer")
    MembershipFactory(partnership=world.a.partnership, user=other, role=Role.OFFICER)
    url = result_url(world, run, school)
    meet_before(monkeypatch, ModerationNote)
    moderation = {"action": "moderate", "seen": "none"}
    answers = at_once(
        [
            (officer, url, {**moderation, "agreed_category": "AMBER", "note": "Agreed at the meeting"}),
            (
                other,
                url,
                {**moderation, "agreed_category": "GREEN", "note": "Discussed by phone", "override_reason": "x"},
            ),
        ]
    )
    assert sorted(statuses(answers)) == [200, 302], statuses(answers)
    [refused] = [answer for answer in answers if answer.status_code == 200]
    assert "Another officer recorded a moderation of this result while you were writing yours" in (
        refused.content.decode()
    )
    [note] = ModerationNote.objects.filter(result__run=run, result__school=school)
    result = Result.objects.get(run=run, school=school)
    assert result.status == "agreed" and result.final_category == note.agreed_category


def test_a_moderation_form_shown_before_another_was_recorded_is_refused(world, officer, run, login):
    url = result_url(world, run, world.a.school)
    client = login(officer)
    page = client.get(url).content.decode()
    assert 'name="seen" value="none"' in page
    runs.result_moderate(
        actor=officer,
        result=Result.objects.get(run=run, school=world.a.school),
        note="By phone",
        agreed_category="AMBER",
    )
    answer = client.post(url, {"action": "moderate", "seen": "none", "agreed_category": "AMBER", "note": "Again"})
    assert answer.status_code == 200 and "while you were writing yours" in answer.content.decode()
    assert ModerationNote.objects.filter(result__run=run).count() == 1
    page = client.get(url).content.decode()
    latest = ModerationNote.objects.get(result__run=run).pk
    assert f'name="seen" value="{latest}"' in page
    answer = client.post(url, {"action": "moderate", "seen": str(latest), "agreed_category": "AMBER", "note": "Again"})
    assert answer.status_code == 302
