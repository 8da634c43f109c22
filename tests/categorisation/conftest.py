"""Fixtures for runs, moderation, letters and what-if: a simple RED/AMBER/GREEN framework on Ofsted and
KS2 data (so a threshold edit changes categories), and schools with inspections and results."""

from datetime import date
from decimal import Decimal

import pytest

from categorisation.models import FrameworkVersion
from categorisation.selectors import published_version
from categorisation.services import framework_clone, framework_import
from schools.models import Inspection, LocalIndicator, PerformanceResult

YEAR = "2022-23"

RAG = {
    "schema": 1,
    "slug": "rag",
    "name": "Test RAG",
    "method": "ordered",
    "categories": [
        {
            "code": "RED",
            "label": "High concern",
            "combine": "any",
            "criteria": [
                {
                    "id": "inadequate",
                    "label": "Judged inadequate",
                    "when": {"fact": "ofsted_grade", "op": "eq", "value": 4},
                },
                {"id": "twice-ri", "label": "Twice RI", "when": {"fact": "consecutive_ri", "op": "ge", "value": 2}},
            ],
        },
        {
            "code": "AMBER",
            "label": "Some concern",
            "combine": "any",
            "criteria": [
                {
                    "id": "ri",
                    "label": "RI at the last inspection",
                    "when": {"fact": "ofsted_grade", "op": "eq", "value": 3},
                },
                {
                    "id": "rwm-low",
                    "label": "KS2 RWM below 60%",
                    "when": {"fact": "ks2_rwm_expected_pct", "op": "lt", "value": 60},
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
                    "label": "Good or outstanding",
                    "when": {"fact": "ofsted_grade", "op": "in", "value": [1, 2]},
                },
            ],
        },
    ],
}


def inspect(school, day, grade, *, category="", safeguarding=True, leadership=None):
    return Inspection.objects.create(
        partnership=school.partnership,
        school=school,
        inspection_date=day,
        inspection_type="s5",
        overall_grade=grade,
        category=category,
        safeguarding_effective=safeguarding,
        leadership_grade=leadership or grade,
    )


def results(school, **by_year):
    """results(school, **{"2022-23": 55}): KS2 RWM % by year (with progress scores)."""
    for year, rwm in by_year.items():
        PerformanceResult.objects.create(
            partnership=school.partnership,
            school=school,
            academic_year=year.replace("_", "-"),
            ks2_rwm_expected_pct=Decimal(str(rwm)),
            ks2_progress_reading=Decimal("-1.5"),
            ks2_progress_writing=Decimal("0.25"),
            ks2_progress_maths=Decimal("2"),
            attendance_pct=Decimal("95.1"),
        )


@pytest.fixture
def officer(world):
    return world.a.users["officer"]


@pytest.fixture
def rag(world, officer):
    """Partnership A's RAG framework, published as version 1; returns the version."""
    from categorisation.services import framework_publish

    version = framework_import(actor=officer, partnership=world.a.partnership, data=RAG, reason="test")
    framework_publish(actor=officer, framework=version.framework, reason="first")
    return published_version(version.framework)


@pytest.fixture
def calderdale(world, officer):
    return published_version(framework_clone(actor=officer, partnership=world.a.partnership, source_slug="calderdale"))


@pytest.fixture
def data(world):
    """A's primary school is GREEN-ish but with 55% RWM (AMBER by data); its high school is RI twice (RED)."""
    a = world.a
    inspect(a.school, date(2019, 3, 1), 2)
    results(a.school, **{"2020-21": 70, "2021-22": 58, "2022-23": 55})
    LocalIndicator.objects.create(
        partnership=a.partnership,
        school=a.school,
        academic_year=YEAR,
        outward_facing="partly",
        finance_concern="concern",
        sef_validated_grade=2,
    )
    inspect(a.other_school, date(2018, 1, 10), 3)
    inspect(a.other_school, date(2021, 6, 5), 3)
    inspect(a.other_school, date(2023, 10, 1), 2)  # after the year's end: not used for 2022-23
    return a


def version_of(framework, status=FrameworkVersion.Status.PUBLISHED):
    return FrameworkVersion.objects.filter(framework=framework, status=status).order_by("-number").first()
