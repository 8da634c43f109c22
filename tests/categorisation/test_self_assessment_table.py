"""A decision-table framework's self-assessment (Milton Keynes): it has no criteria, so the school gives the
category it thinks fits and its evidence on each thing the table decides on, worded by the facts' labels.
Drafts work as for criteria, and a disagreement flows to moderation as for any framework."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from categorisation import runs
from categorisation.models import Result, SelfAssessment
from categorisation.selectors import published_version
from categorisation.services import framework_clone
from categorisation.templatetags.fact_words import fact_label

from .conftest import YEAR


@pytest.fixture
def mk_run(world, officer, data, django_capture_on_commit_callbacks):
    version = published_version(
        framework_clone(actor=officer, partnership=world.a.partnership, source_slug="milton-keynes")
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(
            actor=officer, partnership=world.a.partnership, framework_version=version, academic_year=YEAR
        )
    run.refresh_from_db()
    return run


def result_url(world, run, school=None):
    return reverse(
        "categorisation_result",
        kwargs={
            "partnership_slug": world.a.partnership.slug,
            "run_uuid": run.uuid,
            "urn": (school or world.a.school).urn,
        },
    )


def result_of(run, school):
    return Result.objects.select_related("school", "framework_version__framework", "run").get(run=run, school=school)


def test_the_table_asks_for_evidence_on_each_thing_it_decides_on_in_words(world, mk_run):
    items = runs.self_assessment_items(result_of(mk_run, world.a.school).framework_version)
    keys = [item.key for item in items]
    assert keys[:3] == ["fact:ofsted_grade", "fact:ofsted_category", "fact:data_trend"]
    assert {"fact:below_floor", "fact:sef_validated_grade", "fact:previous_ofsted_grade"} <= set(keys)
    assert all(item.label == fact_label(item.key.removeprefix("fact:")) for item in items)
    by_key = {item.key: item for item in items}
    assert "1c" in by_key["fact:below_floor"].categories and "4" not in by_key["fact:data_trend"].categories


def test_an_mk_head_sees_the_boxes_worded_by_the_facts_labels(world, login, mk_run):
    html = login(world.a.users["head"]).get(result_url(world, mk_run)).content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">What decides the category</legend>' in html
    assert '<label class="govuk-label" for="id_evidence_fact:data_trend">Three-year data trend</label>' in html
    assert f">{fact_label('ofsted_grade')}</label>" in html
    for name in ("data_trend", "below_floor", "ofsted_grade"):
        assert f">{name}<" not in html and f"{name}</label>" not in html  # never the engine's names
    assert 'value="2b"' in html and "Save as draft" in html


def test_an_mk_head_drafts_then_submits_and_the_disagreement_goes_to_moderation(world, login, officer, mk_run):
    head, url = login(world.a.users["head"]), result_url(world, mk_run)
    computed = result_of(mk_run, world.a.school).computed_category
    claimed = "1" if computed != "1" else "2"
    draft = head.post(
        url, {"action": "self_assess", "intent": "draft", "category": "", "evidence_fact:data_trend": "Reading dipped."}
    )
    assert draft.status_code == 302
    assessment = SelfAssessment.objects.get()
    assert assessment.status == "draft" and assessment.evidence == {"fact:data_trend": "Reading dipped."}
    back = head.get(url).content.decode()
    assert "Draft saved" in back and "Reading dipped.</textarea>" in back

    missing = head.post(url, {"action": "self_assess", "intent": "submit", "category": claimed})
    html = missing.content.decode()
    assert missing.status_code == 200 and "Give your evidence for “Current Ofsted overall effectiveness”" in html
    assert "Give your evidence for at least one criterion" not in html

    submitted = head.post(
        url,
        {
            "action": "self_assess",
            "intent": "submit",
            "category": claimed,
            "evidence_fact:ofsted_grade": "Outstanding in every area at our last visit.",
            "evidence_fact:data_trend": "Reading dipped, maths rose.",
        },
    )
    assert submitted.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.category == claimed
    assert result_of(mk_run, world.a.school).status == "flagged"

    page = login(officer).get(url).content.decode()
    assert "differs from the computed category" in page
    assert "Current Ofsted overall effectiveness" in page and "Reading dipped, maths rose." in page
    moderated = login(officer).post(
        url,
        {"action": "moderate", "agreed_category": claimed, "note": "Met the head.", "override_reason": "Agreed."},
    )
    assert moderated.status_code == 302
    result = result_of(mk_run, world.a.school)
    assert (result.status, result.final_category) == ("agreed", claimed)


def test_evidence_on_something_the_table_does_not_read_is_refused(world, mk_run):
    primary = result_of(mk_run, world.a.school)
    with pytest.raises(ValidationError, match="Unknown criteria: fact:attendance_pct"):
        runs.self_assessment_submit(
            actor=world.a.users["head"], result=primary, category="2", evidence={"fact:attendance_pct": "x"}
        )
