"""Self-assessment, moderation, confirmation, letters and history across years."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from categorisation import runs
from categorisation.letters import letters_zip, recipients
from categorisation.models import Letter, ModerationNote, Result, Run, SelfAssessment
from categorisation.selectors import school_history
from partnership.models import AuditEvent

from .conftest import YEAR


@pytest.fixture
def run(officer, rag, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    run.refresh_from_db()
    return run


def result_of(run, school):
    return Result.objects.select_related("school", "framework_version").get(run=run, school=school)


def test_a_differing_self_assessment_flags_the_school(world, run):
    head = world.a.users["head"]
    primary = result_of(run, world.a.school)
    assessment = runs.self_assessment_submit(
        actor=head, result=primary, category="GREEN", evidence={"good": "Good at the last inspection", "rwm-low": "  "}
    )
    assert assessment.evidence == {"good": "Good at the last inspection"}
    assert result_of(run, world.a.school).status == "flagged"
    # Agreeing with the LA's category lifts the flag.
    runs.self_assessment_submit(actor=head, result=primary, category="AMBER", evidence={"rwm-low": "We agree."})
    assert result_of(run, world.a.school).status == "provisional"
    assert SelfAssessment.objects.count() == 1
    flags = AuditEvent.objects.filter(action="categorisation.result.flag").count()
    assert flags == 2 and AuditEvent.objects.filter(action="categorisation.self_assess").count() == 2


def test_a_later_run_flags_from_an_existing_self_assessment(
    world, officer, run, rag, django_capture_on_commit_callbacks
):
    runs.self_assessment_submit(
        actor=world.a.users["head"], result=result_of(run, world.a.school), category="GREEN", evidence={"good": "Good"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    assert result_of(again, world.a.school).status == "flagged"
    assert result_of(again, world.a.other_school).status == "provisional"


@pytest.mark.parametrize("role", ["officer", "governor", "board"])
def test_only_the_schools_head_self_assesses(world, run, role):
    with pytest.raises(PermissionDenied, match="headteacher"):
        runs.self_assessment_submit(
            actor=world.a.users[role], result=result_of(run, world.a.school), category="GREEN", evidence={"good": "x"}
        )
    with pytest.raises(PermissionDenied):  # the head of A's primary school is not head of its high school
        runs.self_assessment_submit(
            actor=world.a.users["head"],
            result=result_of(run, world.a.other_school),
            category="GREEN",
            evidence={"good": "x"},
        )


def test_self_assessment_errors_name_the_mistake(world, run):
    head, primary = world.a.users["head"], result_of(run, world.a.school)
    with pytest.raises(ValidationError, match="Choose one of RED, AMBER, GREEN"):
        runs.self_assessment_submit(actor=head, result=primary, category="PURPLE", evidence={"good": "x"})
    with pytest.raises(ValidationError, match="Unknown criteria: made-up"):
        runs.self_assessment_submit(actor=head, result=primary, category="GREEN", evidence={"made-up": "x"})
    with pytest.raises(ValidationError, match="Give your evidence for “Good or outstanding”"):
        runs.self_assessment_submit(actor=head, result=primary, category="GREEN", evidence={})
    with pytest.raises(ValidationError, match="Choose the category you think fits"):
        runs.self_assessment_submit(actor=head, result=primary, category="", evidence={"good": "x"})
    assert not SelfAssessment.objects.exists()


def test_moderation_override_needs_a_reason(world, officer, run):
    primary = result_of(run, world.a.school)
    with pytest.raises(ValidationError) as exc:
        runs.result_moderate(actor=officer, result=primary, note="Met the head.", agreed_category="GREEN")
    assert "overrides the computed one (AMBER): say why" in str(exc.value)
    with pytest.raises(ValidationError, match="Record what was discussed"):
        runs.result_moderate(actor=officer, result=primary, note=" ", agreed_category="AMBER")
    assert not ModerationNote.objects.exists() and result_of(run, world.a.school).status == "provisional"
    moderated = runs.result_moderate(
        actor=officer,
        result=primary,
        note="Met the head on 3 May.",
        agreed_category="GREEN",
        override_reason="2023 unvalidated data shows 68%.",
    )
    assert (moderated.status, moderated.final_category, moderated.category, moderated.is_override) == (
        "agreed",
        "GREEN",
        "GREEN",
        True,
    )
    event = AuditEvent.objects.get(action="categorisation.result.moderate")
    assert event.before["final_category"] == "" and event.after["final_category"] == "GREEN"
    assert event.reason == "Met the head on 3 May."


def test_only_officers_moderate_and_confirm(world, run):
    with pytest.raises(PermissionDenied):
        runs.result_moderate(
            actor=world.a.users["head"],
            result=result_of(run, world.a.school),
            note="x",
            agreed_category="GREEN",
            override_reason="x",
        )
    with pytest.raises(PermissionDenied):
        runs.results_confirm(actor=world.a.users["board"], run=run)


def test_confirm_is_refused_while_a_school_is_flagged(world, officer, run):
    runs.self_assessment_submit(
        actor=world.a.users["head"], result=result_of(run, world.a.school), category="GREEN", evidence={"good": "x"}
    )
    with pytest.raises(ValidationError, match="1 flagged for discussion with the school: Alpha Primary School"):
        runs.results_confirm(actor=officer, run=run)
    assert not Result.objects.filter(status="confirmed").exists()


def test_confirm_then_letters_for_every_school(world, officer, run, django_capture_on_commit_callbacks):
    runs.self_assessment_submit(
        actor=world.a.users["head"], result=result_of(run, world.a.school), category="GREEN", evidence={"good": "x"}
    )
    runs.result_moderate(
        actor=officer, result=result_of(run, world.a.school), note="Discussed.", agreed_category="AMBER"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert runs.results_confirm(actor=officer, run=run) == 2
    run.refresh_from_db()
    assert run.confirmed_by == officer and run.letters_status == "done"
    assert dict(Result.objects.filter(run=run).values_list("school__urn", "final_category")) == {
        "901001": "AMBER",
        "901002": "RED",
    }
    assert set(Result.objects.filter(run=run).values_list("status", flat=True)) == {"confirmed"}
    letters = list(Letter.objects.filter(result__run=run).order_by("filename"))
    assert len(letters) == 2 and all(letter.read_pdf().startswith(b"%PDF") for letter in letters)
    assert letters[0].recipients.splitlines() == [
        "The Headteacher, Alpha Primary School",
        "The Chair of Governors, Alpha Primary School",
    ]
    archive = zipfile.ZipFile(io.BytesIO(letters_zip(letters)))
    assert sorted(archive.namelist()) == sorted(letter.filename for letter in letters)
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
    # The task again writes no second letter; a moderated result can no longer change.
    from categorisation.letters import letters_render

    Run.objects.filter(pk=run.pk).update(letters_status=Run.Letters.QUEUED)
    letters_render(run_id=run.pk)
    assert Letter.objects.count() == 2
    with pytest.raises(ValidationError, match="confirmed"):
        runs.result_moderate(actor=officer, result=result_of(run, world.a.school), note="x", agreed_category="AMBER")
    with pytest.raises(ValidationError, match="already confirmed"):
        runs.results_confirm(actor=officer, run=run)


def test_the_letter_names_the_category_and_its_reasons(world, officer, run, django_capture_on_commit_callbacks):
    from categorisation.letters import letter_pdf

    with django_capture_on_commit_callbacks(execute=True):
        runs.results_confirm(actor=officer, run=run)
    html_seen = {}
    import categorisation.letters as letters_module

    real = letters_module.render_to_string

    def spy(name, context):
        html_seen["html"] = real(name, context)
        return html_seen["html"]

    letters_module.render_to_string = spy
    try:
        assert letter_pdf(result_of(run, world.a.school)).startswith(b"%PDF")
    finally:
        letters_module.render_to_string = real
    html = html_seen["html"]
    assert "AMBER" in html and "KS2 reading, writing and maths below 60%" in html
    assert "Pupils meeting the expected standard in reading, writing and maths at key stage 2 55%." in html
    assert "ks2_rwm_expected_pct" not in html and " = " not in html
    assert "The Chair of Governors, Alpha Primary School" in html


def test_academy_letters_also_go_to_the_trust(world):
    school = world.a.school
    school.school_type, school.trust_name = "academy", "Example Learning Trust"
    assert recipients(school)[-1] == "The Chief Executive Officer, Example Learning Trust"


def test_history_across_years_with_movement(world, officer, rag, data, django_capture_on_commit_callbacks):
    # A's primary school: Good throughout, KS2 RWM 70% in 2020-21, then 58% and 55%.
    with django_capture_on_commit_callbacks(execute=True):
        first = runs.run_start(
            actor=officer, partnership=rag.partnership, framework_version=rag, academic_year="2020-21"
        )
        runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year="2021-22")
        runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    history = school_history(world.a.partnership, world.a.school)
    assert [(h["year"], h["result"].category, h["movement"]) for h in history] == [
        ("2020-21", "GREEN", "new"),
        ("2021-22", "AMBER", "changed"),
        ("2022-23", "AMBER", "same"),
    ]
    assert history[1]["from"] == "GREEN"
    assert first.academic_year == "2020-21"
