import json

import pytest
from django.core.management import call_command

from partnership.models import Partnership
from schools.models import Inspection, LocalIndicator, PerformanceResult, School

pytestmark = pytest.mark.django_db


def run(capsys, **options):
    call_command("generate_england", *[f"--{k}={v}" for k, v in options.items()])
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_generates_a_small_england_deterministically_and_replaces_it(capsys):
    counts = run(capsys, partnerships=3, schools=50, seed=7)
    assert counts["partnerships"] == 3 and counts["schools"] == 50
    assert counts["results"] == 150 and counts["inspections"] == 100 and counts["local"] == 50
    assert School.objects.count() == 50 and PerformanceResult.objects.count() == 150
    first = list(
        PerformanceResult.objects.order_by("school__urn", "academic_year").values_list(
            "school__urn", "academic_year", "ks2_rwm_expected_pct", "progress8"
        )
    )
    run(capsys, partnerships=3, schools=50, seed=7)
    assert Partnership.objects.filter(slug__startswith="england-").count() == 3
    again = list(
        PerformanceResult.objects.order_by("school__urn", "academic_year").values_list(
            "school__urn", "academic_year", "ks2_rwm_expected_pct", "progress8"
        )
    )
    assert again == first
    assert Inspection.objects.count() == 100 and LocalIndicator.objects.count() == 50


def test_facts_of_a_synthetic_school_are_valid_for_the_engine(capsys):
    from categorisation.engine.facts import validate_facts
    from schools.selectors import school_facts

    run(capsys, partnerships=1, schools=20, seed=3)
    partnership = Partnership.objects.get(slug="england-001")
    for school in School.objects.for_partnership(partnership):
        facts = school_facts(partnership, school, "2018-19")
        validate_facts(facts)
