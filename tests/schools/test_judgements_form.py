"""The LA officer's page for one school's judgements in one academic year: recorded and changed through
school_judgements_record (officers only, all or nothing, audited before and after), read back as the
facts categorisation uses, and offered from the school page and from a result that lacks them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from categorisation import judgements as services
from categorisation import runs
from categorisation.facts import school_facts
from categorisation.models import Result
from categorisation.selectors import published_version
from categorisation.services import framework_import, framework_publish
from partnership.models import AuditEvent
from partnership.roles import Role
from schools.models import LocalIndicator
from schools.selectors import JUDGEMENT_FACTS
from sharing.models import DataAccessLog
from tests.categorisation.html_forms import form_data

pytestmark = pytest.mark.django_db

YEAR = "2022-23"

# Every question answered, as an officer would post the form.
ANSWERS = {
    "self_evaluation_grade": "2",
    "sef_validated_grade": "3",
    "self_evaluation_accurate": "no",
    "judged_securely_good": "no",
    "likely_next_ofsted_grade": "3",
    "recent_s8_with_priorities": "not_judged",
    "teaching_quality": "not_consistently_good",
    "leadership_governance": "effective",
    "behaviour_concern": "yes",
    "finance_concern": "concern",
    "outward_facing": "partly",
    "complaints": "4",
}
# What they are stored as, and what school_facts gives
STORED = {
    "self_evaluation_grade": 2,
    "sef_validated_grade": 3,
    "self_evaluation_accurate": False,
    "judged_securely_good": False,
    "likely_next_ofsted_grade": 3,
    "recent_s8_with_priorities": None,
    "teaching_quality": "not_consistently_good",
    "leadership_governance": "effective",
    "behaviour_concern": True,
    "finance_concern": "concern",
    "outward_facing": "partly",
    "complaints": 4,
}
NON_OFFICERS = [r for r in Role.values if r != Role.OFFICER]


def judgements_url(world, *, urn=None, year=YEAR):
    return reverse(
        "school_judgements",
        kwargs={"partnership_slug": world.a.partnership.slug, "urn": urn or world.a.school.urn, "year": year},
    )


def school_url(world):
    return reverse("school_detail", args=[world.a.partnership.slug, world.a.school.urn])


def stored(indicator) -> dict:
    return {name: getattr(indicator, name) for name in STORED}


@pytest.fixture
def judged(world):
    """A's school already judged for the year (by an import, say)."""
    return LocalIndicator.objects.create(
        partnership=world.a.partnership,
        school=world.a.school,
        academic_year=YEAR,
        sef_validated_grade=2,
        teaching_quality="consistently_good",
        leadership_governance="not_consistently_effective",
        outward_facing="fully",
        finance_concern="none",
        behaviour_concern=False,
        complaints=1,
        source="local-2022-23.csv",
    )


# ---- an officer records and changes them ----------------------------------------------------------


def test_the_page_asks_each_question_as_radios_with_not_judged(world, login):
    response = login(world.a.users["officer"]).get(judgements_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No judgements are recorded for 2022-23 yet." in html
    # each choice is a fieldset with a legend, "Not judged" (or "Not known") last and checked for a blank
    assert html.count('<fieldset class="govuk-fieldset"') == 11
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Quality of teaching over time</legend>'
        in html
    )
    assert 'value="not_judged" id="id_teaching_quality_3" required checked' in html
    assert '<label class="govuk-label govuk-radios__label" for="id_teaching_quality_3">Not judged</label>' in html
    assert '<label class="govuk-label govuk-radios__label" for="id_self_evaluation_grade_4">Not known</label>' in html
    assert (
        '<label class="govuk-label" for="id_complaints">Complaints escalated to the LA in the year (optional)</label>'
        in html
    )
    assert form_data(html)["teaching_quality"] == "not_judged"
    assert "(optional)</legend>" not in html  # every radio question is answered, "Not judged" included
    # the protected data on the page is a logged view
    assert DataAccessLog.objects.filter(school=world.a.school, what="judgements page 2022-23").count() == 1


def test_officer_records_judgements(world, login):
    officer = world.a.users["officer"]
    client = login(officer)
    assert all(school_facts(world.a.partnership, world.a.school, YEAR)[f] is None for f in JUDGEMENT_FACTS)
    response = client.post(judgements_url(world), ANSWERS)
    assert response.status_code == 302 and response.url == school_url(world)

    indicator = LocalIndicator.objects.get(school=world.a.school, academic_year=YEAR)
    assert indicator.partnership == world.a.partnership
    assert stored(indicator) == STORED
    event = AuditEvent.objects.get(object_type="schools.localindicator", object_id=str(indicator.pk))
    assert (event.action, event.actor, event.partnership) == ("local.create", officer, world.a.partnership)
    assert event.before is None
    assert event.after == STORED
    assert event.created_at is not None

    facts = school_facts(world.a.partnership, world.a.school, YEAR)
    assert facts["teaching_quality"] == "not_consistently_good"
    assert facts["leadership_governance"] == "effective"
    assert facts["sef_validated_grade"] == 3 and facts["likely_next_ofsted_grade"] == 3
    assert facts["behaviour_concern"] is True and facts["judged_securely_good"] is False
    assert facts["finance_concern"] == "concern" and facts["outward_facing"] == "partly"
    assert facts["recent_s8_with_priorities"] is None
    # another year and the other school are untouched
    assert school_facts(world.a.partnership, world.a.school, "2021-22")["teaching_quality"] is None
    assert not LocalIndicator.objects.filter(school=world.a.other_school).exists()

    page = client.get(response.url).content.decode()
    assert "Alpha Primary School&#x27;s judgements for 2022-23 are recorded." in page
    assert "Not consistently good" in page  # the school page shows them


def test_officer_changes_existing_judgements_and_the_audit_keeps_the_old_values(world, login, judged):
    officer = world.a.users["officer"]
    client = login(officer)
    html = client.get(judgements_url(world)).content.decode()
    assert "The answers below are the judgements recorded for 2022-23." in html
    shown = form_data(html)
    assert shown["teaching_quality"] == "consistently_good"
    assert shown["sef_validated_grade"] == "2" and shown["behaviour_concern"] == "no"
    assert shown["judged_securely_good"] == "not_judged" and shown["complaints"] == "1"

    # the browser posts back what it shows, with two answers changed
    response = client.post(
        judgements_url(world), {**shown, "teaching_quality": "insufficient_good", "behaviour_concern": "not_judged"}
    )
    assert response.status_code == 302

    judged.refresh_from_db()
    assert judged.teaching_quality == "insufficient_good" and judged.behaviour_concern is None
    assert (judged.sef_validated_grade, judged.leadership_governance, judged.outward_facing) == (
        2,
        "not_consistently_effective",
        "fully",
    )
    assert judged.source == "local-2022-23.csv"
    assert LocalIndicator.objects.count() == 1
    event = AuditEvent.objects.get(action="local.update", object_id=str(judged.pk))
    assert event.actor == officer
    assert event.before["teaching_quality"] == "consistently_good" and event.before["behaviour_concern"] is False
    assert event.after["teaching_quality"] == "insufficient_good" and event.after["behaviour_concern"] is None
    assert {name for name, _, _ in event.changes} == {"teaching_quality", "behaviour_concern"}
    assert school_facts(world.a.partnership, world.a.school, YEAR)["teaching_quality"] == "insufficient_good"
    page = client.get(response.url).content.decode()
    assert "judgements for 2022-23 are updated (2 changed)" in page

    # the judgements page shows the history of the row
    history = client.get(judgements_url(world)).content.decode()
    assert "History of these judgements" in history and "LA judgements changed" in history


def test_saving_with_nothing_changed_writes_nothing(world, login, judged):
    client = login(world.a.users["officer"])
    shown = form_data(client.get(judgements_url(world)).content.decode())
    response = client.post(judgements_url(world), shown)
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(object_type="schools.localindicator").exists()
    assert "Nothing changed in Alpha Primary School" in client.get(response.url).content.decode()
    # and all "Not judged" for a year with nothing recorded makes no empty row
    blank = {name: "not_judged" for name in ANSWERS} | {"complaints": ""}
    assert client.post(judgements_url(world, year="2021-22"), blank).status_code == 302
    assert not LocalIndicator.objects.filter(academic_year="2021-22").exists()


def test_a_platform_admin_may_record_them(world, login):
    response = login(world.admin).post(judgements_url(world), ANSWERS)
    assert response.status_code == 302
    assert LocalIndicator.objects.get(school=world.a.school).teaching_quality == "not_consistently_good"


def test_the_page_and_the_save_cost_a_fixed_number_of_queries(world, login, judged, django_assert_max_num_queries):
    client = login(world.a.users["officer"])
    # session, tenant, sharing decision and its log, the school, the year's row and its history
    with django_assert_max_num_queries(20):
        assert client.get(judgements_url(world)).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.post(judgements_url(world), ANSWERS).status_code == 302


# ---- wrong roles, bad input, another partnership ----------------------------------------------------


@pytest.mark.parametrize("role", NON_OFFICERS)
def test_other_roles_are_refused_and_nothing_changes(world, login, judged, role):
    client = login(world.a.users[role])
    url = judgements_url(world)
    assert client.get(url).status_code == 403
    response = client.post(url, {**ANSWERS, "teaching_quality": "insufficient_good"})
    assert response.status_code == 403
    assert "Only an LA officer of this partnership" in response.content.decode()
    judged.refresh_from_db()
    assert judged.teaching_quality == "consistently_good"
    assert not AuditEvent.objects.filter(object_type="schools.localindicator").exists()
    assert not DataAccessLog.objects.filter(what__startswith="judgements page").exists()


@pytest.mark.parametrize("role", [Role.HEAD, Role.GOVERNOR, Role.BOARD])
def test_the_service_refuses_anyone_but_an_officer(world, role):
    with pytest.raises(PermissionDenied, match="Only an LA officer"):
        services.school_judgements_record(
            actor=world.a.users[role],
            school=world.a.school,
            academic_year=YEAR,
            values={"teaching_quality": "insufficient_good"},
        )
    with pytest.raises(PermissionDenied):  # B's officer is nobody in A
        services.school_judgements_record(
            actor=world.b.users["officer"],
            school=world.a.school,
            academic_year=YEAR,
            values={"teaching_quality": "insufficient_good"},
        )
    assert not LocalIndicator.objects.exists()


def test_a_choice_not_allowed_is_an_error_and_nothing_is_saved(world, login, judged):
    client = login(world.a.users["officer"])
    response = client.post(
        judgements_url(world),
        {**ANSWERS, "teaching_quality": "excellent", "likely_next_ofsted_grade": "5", "complaints": "lots"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    summary = html[html.index('class="govuk-error-summary"') :]
    assert '<a href="#id_teaching_quality_0">Select the quality of teaching over time, or Not judged</a>' in summary
    assert '<a href="#id_likely_next_ofsted_grade_0">Select the likely next Ofsted grade, or Not judged</a>' in summary
    assert '<a href="#id_complaints">Enter the number of complaints as a whole number, such as 2</a>' in summary
    # each error is beside its question and named by the fieldset that holds it
    assert 'aria-describedby="id_teaching_quality_error"' in html
    assert 'id="id_teaching_quality_error"><span class="govuk-visually-hidden">Error:</span> Select the quality' in html
    assert response.context["form"].errors.keys() == {"teaching_quality", "likely_next_ofsted_grade", "complaints"}
    judged.refresh_from_db()
    assert judged.teaching_quality == "consistently_good" and judged.complaints == 1
    assert not AuditEvent.objects.filter(object_type="schools.localindicator").exists()


def test_a_question_left_out_is_an_error_not_a_judgement_cleared(world, login, judged):
    answers = {k: v for k, v in ANSWERS.items() if k != "leadership_governance"}
    response = login(world.a.users["officer"]).post(judgements_url(world), answers)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "leadership_governance": ["Select how effective leadership and governance are, or Not judged"]
    }
    judged.refresh_from_db()
    assert judged.leadership_governance == "not_consistently_effective"
    assert judged.teaching_quality == "consistently_good"


@pytest.mark.parametrize("year", ["2022-24", "22-23", "2022"])
def test_a_malformed_year_is_not_found_and_saves_nothing(world, login, year):
    client = login(world.a.users["officer"])
    url = judgements_url(world, year=year)
    page = client.get(url)
    assert page.status_code == 404
    assert f"&#x27;{year}&#x27; is not an academic year such as 2022-23." in page.content.decode()
    assert client.post(url, ANSWERS).status_code == 404
    assert not LocalIndicator.objects.exists()
    assert not AuditEvent.objects.filter(object_type="schools.localindicator").exists()


def test_the_service_checks_the_year_and_the_fields_too(world):
    officer = world.a.users["officer"]
    with pytest.raises(ValidationError) as bad_year:
        services.school_judgements_record(
            actor=officer,
            school=world.a.school,
            academic_year="2022-24",
            values={"teaching_quality": "consistently_good"},
        )
    assert "academic_year" in bad_year.value.message_dict
    with pytest.raises(ValidationError) as bad_value:
        services.school_judgements_record(
            actor=officer,
            school=world.a.school,
            academic_year=YEAR,
            values={"teaching_quality": "excellent", "outward_facing": "fully"},
        )
    assert "teaching_quality" in bad_value.value.message_dict
    with pytest.raises(ValidationError, match="source"):
        services.school_judgements_record(
            actor=officer, school=world.a.school, academic_year=YEAR, values={"source": "forged.csv"}
        )
    assert not LocalIndicator.objects.exists()


def test_another_partnerships_school_is_not_found(world, login, judged):
    officer = login(world.a.users["officer"])
    assert officer.get(judgements_url(world, urn=world.b.school.urn)).status_code == 404
    assert officer.post(judgements_url(world, urn=world.b.school.urn), ANSWERS).status_code == 404
    assert officer.get(judgements_url(world, urn="999999")).status_code == 404
    # B's officer cannot reach A's school through A's address
    response = login(world.b.users["officer"]).post(judgements_url(world), ANSWERS)
    assert response.status_code == 404
    assert not LocalIndicator.objects.filter(school__partnership=world.b.partnership).exists()
    judged.refresh_from_db()
    assert judged.teaching_quality == "consistently_good"


# ---- the links to the page ----------------------------------------------------------------------------


def test_the_school_page_links_officers_to_the_current_years_judgements(world, login, judged):
    LocalIndicator.objects.create(partnership=world.a.partnership, school=world.a.school, academic_year="2021-22")
    link = f'<a class="govuk-link" href="{judgements_url(world)}">Record judgements for 2022-23</a>'
    for user in (world.a.users["officer"], world.admin):
        html = login(user).get(school_url(world)).content.decode()
        assert link in html
        assert (
            f'<a class="govuk-link" href="{judgements_url(world, year="2021-22")}">'
            "Change the judgements for 2021-22</a>" in html
        )
    for role in NON_OFFICERS:
        html = login(world.a.users[role]).get(school_url(world)).content.decode()
        assert judgements_url(world) not in html and "Record judgements" not in html, role


JUDGED_FRAMEWORK = {
    "schema": 1,
    "slug": "teaching",
    "name": "Teaching check",
    "method": "ordered",
    "categories": [
        {
            "code": "RED",
            "label": "High concern",
            "combine": "any",
            "criteria": [
                {
                    "id": "teaching",
                    "label": "Insufficient good teaching",
                    "when": {"fact": "teaching_quality", "op": "eq", "value": "insufficient_good"},
                },
            ],
        },
        {
            "code": "GREEN",
            "label": "Low concern",
            "combine": "any",
            "criteria": [
                {
                    "id": "good",
                    "label": "Teaching consistently good",
                    "when": {"fact": "teaching_quality", "op": "eq", "value": "consistently_good"},
                },
            ],
        },
    ],
}


@pytest.fixture
def teaching_check(world):
    """A's published framework that decides on the teaching judgement alone."""
    officer = world.a.users["officer"]
    draft = framework_import(actor=officer, partnership=world.a.partnership, data=JUDGED_FRAMEWORK, reason="test")
    framework_publish(actor=officer, framework=draft.framework, reason="first")
    return published_version(draft.framework)


def _categorise(world, version, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return runs.run_start(
            actor=world.a.users["officer"],
            partnership=world.a.partnership,
            framework_version=version,
            academic_year=YEAR,
        )


def result_url(world, run):
    return reverse("categorisation_result", args=[world.a.partnership.slug, run.uuid, world.a.school.urn])


def test_a_result_missing_a_judgement_links_officers_to_complete_it(
    world, login, teaching_check, django_capture_on_commit_callbacks
):
    run = _categorise(world, teaching_check, django_capture_on_commit_callbacks)
    result = Result.objects.get(run=run, school=world.a.school)
    assert result.computed_category is None and result.missing == ["teaching_quality"]
    client = login(world.a.users["officer"])
    page = client.get(result_url(world, run))
    assert (
        f'<a class="govuk-link" href="{judgements_url(world)}">Complete the missing judgements</a>'
        in page.content.decode()
    )
    assert page.context["missing_judgements"] == ["teaching_quality"]

    # the officer follows it, records the judgement, and the next run decides the category
    assert client.post(judgements_url(world), {**ANSWERS, "teaching_quality": "insufficient_good"}).status_code == 302
    again = _categorise(world, teaching_check, django_capture_on_commit_callbacks)
    assert Result.objects.get(run=again, school=world.a.school).computed_category == "RED"
    assert "Complete the missing judgements" not in client.get(result_url(world, again)).content.decode()


def test_no_link_for_missing_data_that_is_not_a_judgement(
    world, login, teaching_check, django_capture_on_commit_callbacks
):
    run = _categorise(world, teaching_check, django_capture_on_commit_callbacks)
    Result.objects.filter(run=run, school=world.a.school).update(missing=["ks2_rwm_expected_pct"])
    html = login(world.a.users["officer"]).get(result_url(world, run)).content.decode()
    assert "Missing data:</strong> KS2 % of pupils meeting the expected standard in RWM combined" in html
    assert "We did not have KS2 % of pupils meeting the expected standard in reading, writing and maths" in html
    assert "ks2_rwm_expected_pct" not in html
    assert "Complete the missing judgements" not in html


def test_a_save_over_judgements_changed_since_the_page_opened_is_refused_and_the_page_shows_them_now(
    world, login, judged
):
    officer = world.a.users["officer"]
    client = login(officer)
    shown = form_data(client.get(judgements_url(world)).content.decode())
    assert shown["revision"]
    # Meanwhile an import (or another officer) changes a judgement.
    LocalIndicator.objects.filter(pk=judged.pk).update(teaching_quality="insufficient_good")

    response = client.post(judgements_url(world), {**shown, "complaints": "2"})
    assert response.status_code == 302 and response.url == judgements_url(world)
    judged.refresh_from_db()
    assert (judged.teaching_quality, judged.complaints) == ("insufficient_good", 1)  # nothing overwritten
    assert not AuditEvent.objects.filter(action="local.update").exists()
    again = client.get(response.url).content.decode()
    assert "have changed since you opened this page" in again
    fresh = form_data(again)
    assert fresh["teaching_quality"] == "insufficient_good" and fresh["revision"] != shown["revision"]
    # Answering again on the page as it is now saves.
    assert client.post(judgements_url(world), {**fresh, "complaints": "2"}).status_code == 302
    judged.refresh_from_db()
    assert (judged.teaching_quality, judged.complaints) == ("insufficient_good", 2)


@pytest.mark.parametrize("year", ["1990-91", "2030-31"])
def test_a_year_far_from_the_partnerships_current_one_is_not_offered(world, login, year):
    client = login(world.a.users["officer"])
    page = client.get(judgements_url(world, year=year))
    assert page.status_code == 404 and "Judgements are recorded for the years 2012-13 to 2023-24" in (
        page.content.decode()
    )
    assert client.post(judgements_url(world, year=year), ANSWERS).status_code == 404
    assert not LocalIndicator.objects.exists()
