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
