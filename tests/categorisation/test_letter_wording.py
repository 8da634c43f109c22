"""Letters are written for people: one letter of each shipped framework is rendered to PDF, turned into a
picture (pdftoppm) and read back as text (pdftotext), and must say the category, the reasons with the
school's figures and dates, what happens next, who to contact and who signs, and none of the engine's
words. The partnership's own wording (edited on its page, versioned and audited) appears in its letters
only; officer text is escaped and only the documented placeholders are accepted."""

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from categorisation import runs
from categorisation.engine.facts import FACTS
from categorisation.letter_template import current_letter_template, letter_template_change
from categorisation.letters import letter_pdf
from categorisation.models import Letter, LetterTemplate, Result, SelfAssessment
from categorisation.selectors import published_version
from categorisation.services import framework_clone
from categorisation.shipped import load_shipped, shipped_slugs
from partnership.models import AuditEvent
from schools.models import Benchmark, LocalIndicator, PerformanceResult

from .conftest import YEAR, inspect

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")), reason="needs poppler-utils"
)

ENGINE_WORDS = ("could not be derived", "version 1", "v1 (", "True", "False", " = ", "=")
FACT_SLUGS = re.compile(r"\b(" + "|".join(re.escape(n) for n in FACTS if "_" in n) + r")\b")


def pdf_text(pdf: bytes, tmp_path, name: str = "letter") -> str:
    """The letter as a person sees it: rendered to PNG (each page) and read back as text."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(source), str(tmp_path / name)], check=True, timeout=60)
    pages = sorted(tmp_path.glob(f"{name}-*.png"))
    assert pages and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)
    out = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, timeout=60, capture_output=True, text=True
    )
    text = re.sub(r"Page \d+ of \d+", " ", out.stdout)  # the footer, wherever a page breaks
    return " ".join(text.split())  # one line: a sentence may wrap anywhere


def school_data(a):
    """A's primary: Requires Improvement on 12 March 2019 (Good before), results falling to 55% against 61%
    in England, partly outward facing, a financial concern; the LA's other judgements not recorded."""
    inspect(a.school, date(2015, 6, 1), 2)
    inspect(a.school, date(2019, 3, 12), 3)
    for year, rwm in (("2020-21", 70), ("2021-22", 62), ("2022-23", 55)):
        PerformanceResult.objects.create(
            partnership=a.partnership,
            school=a.school,
            academic_year=year,
            ks2_rwm_expected_pct=Decimal(rwm),
            ks2_progress_reading=Decimal("-1.5"),
            ks2_progress_writing=Decimal("-2.25"),
            ks2_progress_maths=Decimal("0.5"),
            attendance_pct=Decimal("93.1"),
            persistent_absence_pct=Decimal("21.4"),
        )
    Benchmark.objects.create(
        partnership=a.partnership,
        level=Benchmark.Level.ENGLAND_STATE,
        code="E92000001",
        academic_year=YEAR,
        ks2_rwm_expected_pct=Decimal("61"),
        attendance_pct=Decimal("94.5"),
        persistent_absence_pct=Decimal("16.2"),
    )
    LocalIndicator.objects.create(
        partnership=a.partnership,
        school=a.school,
        academic_year=YEAR,
        outward_facing="partly",
        finance_concern="concern",
    )
    inspect(a.other_school, date(2021, 6, 5), 2)


def confirmed_result(world, officer, slug, capture) -> Result:
    """The school's result under the shipped framework, confirmed (a school with no category is agreed in
    moderation, as an officer would), with its letter written."""
    version = published_version(framework_clone(actor=officer, partnership=world.a.partnership, source_slug=slug))
    with capture(execute=True):
        run = runs.run_start(
            actor=officer, partnership=world.a.partnership, framework_version=version, academic_year=YEAR
        )
    first = version.definition["categories"][-1]["code"]
    for result in Result.objects.filter(run=run, computed_category__isnull=True):
        runs.result_moderate(
            actor=officer,
            result=result,
            note="Discussed with the headteacher.",
            agreed_category=first,
            override_reason="The missing judgements were discussed with the school.",
        )
    with capture(execute=True):
        runs.results_confirm(actor=officer, run=run)
    return Result.objects.select_related("school", "framework_version__framework", "letter").get(
        run=run, school=world.a.school
    )


@pytest.mark.parametrize("slug", shipped_slugs())
def test_each_shipped_framework_writes_a_letter_for_people(
    world, officer, slug, tmp_path, django_capture_on_commit_callbacks
):
    school_data(world.a)
    result = confirmed_result(world, officer, slug, django_capture_on_commit_callbacks)
    text = pdf_text(result.letter.read_pdf(), tmp_path)
    definition = load_shipped(slug)
    labels = {c["code"]: c["label"] for c in definition["categories"]}

    assert "Alpha Primary School" in text and "The Chair of Governors, Alpha Primary School" in text
    assert f"The school's category for {YEAR} is {result.category} {labels[result.category]}" in text
    assert "Judged Requires Improvement at the inspection of 12 March 2019" in text
    assert "What happens next" in text and "Your School Effectiveness Officer will contact you" in text
    assert "Who to contact" in text and "Yours sincerely, Head of School Improvement Alpha Partnership" in text
    assert f"Framework: {definition['name']}, as published on " in text
    # no self-assessment was submitted: the letter does not say it follows one
    assert "self-assessment" not in text
    for word in ENGINE_WORDS:
        assert word not in text, word
    assert not FACT_SLUGS.search(text), FACT_SLUGS.search(text)


def test_missing_data_and_the_self_assessment_are_said_in_words(
    world, officer, tmp_path, django_capture_on_commit_callbacks
):
    school_data(world.a)
    result = confirmed_result(world, officer, "calderdale", django_capture_on_commit_callbacks)
    Result.objects.filter(pk=result.pk).update(
        missing=["attainment_vs_national", "teaching_quality", "likely_next_ofsted_grade"]
    )
    result.refresh_from_db()
    draft = SelfAssessment.objects.create(
        partnership=world.a.partnership,
        framework=result.framework_version.framework,
        school=world.a.school,
        academic_year=YEAR,
        status=SelfAssessment.Status.DRAFT,
        category="GREEN",
    )
    text = pdf_text(letter_pdf(result), tmp_path, "draft")
    assert "We did not have the figures to work out attainment against national at the end of key stages" in text
    assert "We did not have the LA's judgement of quality of teaching, learning and assessment over time" in text
    assert "We did not have the LA's evidence-based view of the likely next Ofsted grade for this school." in text
    assert "could not be derived" not in text and not FACT_SLUGS.search(text)
    assert "self-assessment" not in text  # a draft is not a self-assessment
    draft.status = SelfAssessment.Status.SUBMITTED
    draft.save()
    text = pdf_text(letter_pdf(result), tmp_path, "submitted")
    assert "This follows the school's self-assessment and the partnership's review of the school's data." in text


def test_the_result_page_words_the_criteria_as_the_letter_does(
    world, officer, login, django_capture_on_commit_callbacks
):
    school_data(world.a)
    result = confirmed_result(world, officer, "calderdale", django_capture_on_commit_callbacks)
    url = reverse("categorisation_result", args=[world.a.partnership.slug, result.run.uuid, world.a.school.urn])
    html = login(officer).get(url).content.decode()
    assert "Judged Requires Improvement at the inspection of 12 March 2019." in html
    assert "pupils meeting the expected standard in reading, writing and maths at key stage 2 55% (England 61%)" in html
    assert "ofsted_grade" not in html and "= 3" not in html


def _page(world):
    return reverse("categorisation_letter_template", args=[world.a.partnership.slug])


def _form(**changes):
    values = {**LetterTemplate.DEFAULTS, "reason": "Our own wording, agreed by the board.", "intent": "save"}
    return {**values, **changes}


def test_an_officer_previews_then_saves_the_wording_as_new_versions(world, officer, login, calderdale):
    client = login(officer)
    page = client.get(_page(world)).content.decode()
    assert "In use: the shipped wording" in page and "What happens next for AMBER (Of concern)" in page
    preview = client.post(
        _page(world), _form(opening="Dear colleagues at {school}: <b>note</b>", intent="preview", reason="")
    ).content.decode()
    assert "Dear colleagues at Example School: &lt;b&gt;note&lt;/b&gt;" in preview and "Preview (not saved)" in preview
    assert not LetterTemplate.objects.exists() and not AuditEvent.objects.filter(action__contains="letter_template")

    response = client.post(_page(world), _form(signatory_name="Sam Example", next_steps__RED="A visit within {year}."))
    assert response.status_code == 302
    first = current_letter_template(world.a.partnership)
    assert first.version == 1 and first.changed_by == officer and first.signatory_name == "Sam Example"
    assert first.next_steps_by_category == {"RED": "A visit within {year}."}
    response = client.post(_page(world), _form(signatory_role="Director of Education", reason="New director."))
    second = current_letter_template(world.a.partnership)
    assert second.version == 2 and second.signatory_role == "Director of Education"
    assert LetterTemplate.objects.get(version=1).signatory_role == "Head of School Improvement"  # kept as it was
    audit = AuditEvent.objects.filter(action="categorisation.letter_template.change").order_by("created_at")
    assert [a.reason for a in audit] == ["Our own wording, agreed by the board.", "New director."]
    assert audit[1].before["signatory_role"] == "Head of School Improvement"
    page = client.get(_page(world)).content.decode()
    assert "In use: version 2" in page and "New director." in page and "Our own wording, agreed by the board." in page
    trail = client.get(reverse("audit_list", args=[world.a.partnership.slug])).content.decode()
    assert "Letter wording changed" in trail


@pytest.mark.parametrize(
    "text, words",
    [
        ("Dear {headteacher},", "“{headteacher}” is not a placeholder the letter knows"),
        ("{% load static %}Hello", "“{% load static %}” is not a placeholder the letter knows"),
        ("{{ school }}", "A brace on its own cannot be used"),
    ],
)
def test_a_placeholder_the_letter_does_not_know_is_refused_and_nothing_is_saved(world, officer, login, text, words):
    response = login(officer).post(_page(world), _form(contact=text))
    page = response.content.decode()
    assert response.status_code == 200 and words in page
    assert "{school}, {category}, {category_label}, {year}, {partnership}" in page  # what may be used instead
    assert not LetterTemplate.objects.exists() and not AuditEvent.objects.filter(action__contains="letter_template")


def test_everyone_else_is_refused_the_page_with_the_reason(world, login):
    for role in ("board", "clusterlead", "clusterofficer", "head", "governor", "partner"):
        client = login(world.a.users[role])
        for response in (client.get(_page(world)), client.post(_page(world), _form())):
            assert response.status_code == 403, role
            assert "Only an LA officer of this partnership can change what the partnership" in response.content.decode()
    assert not LetterTemplate.objects.exists()


def test_the_service_needs_an_officer_a_reason_and_a_change(world, officer):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        letter_template_change(actor=world.a.users["head"], partnership=world.a.partnership, reason="x", opening="Hi")
    with pytest.raises(ValidationError, match="Say why"):
        letter_template_change(actor=officer, partnership=world.a.partnership, reason=" ", opening="Hi")
    with pytest.raises(ValidationError, match="Nothing changed"):
        letter_template_change(
            actor=officer, partnership=world.a.partnership, reason="Same", opening=LetterTemplate.DEFAULTS["opening"]
        )
    with pytest.raises(ValidationError, match="Say the role"):
        letter_template_change(actor=officer, partnership=world.a.partnership, reason="No role", signatory_role="")
    assert not LetterTemplate.objects.exists()


def test_a_partnerships_wording_is_in_its_own_letters_only(world, tmp_path, django_capture_on_commit_callbacks):
    school_data(world.a)
    officer_a, officer_b = world.a.users["officer"], world.b.users["officer"]
    wording = letter_template_change(
        actor=officer_a,
        partnership=world.a.partnership,
        reason="Our wording.",
        opening="Dear colleagues at {school}, <b>this</b> is {partnership}'s letter for {year}.",
        next_steps_by_category={"AMBER": "An AMBER school ({category_label}) has a visit this term."},
        signatory_name="Sam Example",
        signatory_role="Director of Education",
    )
    ours = confirmed_result(world, officer_a, "calderdale", django_capture_on_commit_callbacks)
    assert ours.letter.wording == wording
    text = pdf_text(ours.letter.read_pdf(), tmp_path, "a")
    assert "Dear colleagues at Alpha Primary School, <b>this</b> is Alpha Partnership's letter for 2022-23." in text
    assert "An AMBER school (Of concern) has a visit this term." in text
    assert "Your School Effectiveness Officer will contact you" not in text  # AMBER has its own paragraph
    assert "Yours sincerely, Sam Example Director of Education Alpha Partnership" in text

    version = published_version(
        framework_clone(actor=officer_b, partnership=world.b.partnership, source_slug="calderdale")
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(
            actor=officer_b, partnership=world.b.partnership, framework_version=version, academic_year=YEAR
        )
    theirs = Result.objects.get(run=run, school=world.b.school)
    text = pdf_text(letter_pdf(theirs), tmp_path, "b")
    assert "Sam Example" not in text and "Director of Education" not in text and "Dear colleagues" not in text
    assert "Yours sincerely, Head of School Improvement Beta Partnership" in text
    assert Letter.objects.filter(wording__isnull=False, partnership=world.b.partnership).count() == 0
