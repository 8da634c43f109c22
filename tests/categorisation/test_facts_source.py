"""The bulk facts reader gives, school by school, exactly what schools.selectors.school_facts gives,
in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest

from categorisation.facts import NATIONAL_FACTS, school_facts
from categorisation.facts_source import facts_for_partnership
from schools.models import Benchmark, LocalIndicator
from schools.selectors import ENGLAND_CODE
from tests.factories import SchoolFactory

from .conftest import YEAR, inspect, results


def bench(partnership, level, *, year=YEAR, code=ENGLAND_CODE, **figures):
    Benchmark.objects.create(
        partnership=partnership,
        level=level,
        code=code,
        academic_year=year,
        **{k: Decimal(v) for k, v in figures.items()},
    )


@pytest.fixture
def benchmarks(world):
    """England rows for the year (state-funded lacking suspensions, which the all-schools row has), and rows
    that must not be used: the year before, the LA, another partnership."""
    a, b = world.a.partnership, world.b.partnership
    bench(
        a,
        Benchmark.Level.ENGLAND_STATE,
        ks2_rwm_expected_pct="60",
        attainment8="46.2",
        attendance_pct="92.5",
        persistent_absence_pct="21.2",
    )
    bench(a, Benchmark.Level.ENGLAND_ALL, ks2_rwm_expected_pct="59", attainment8="44.0", suspensions_rate="9.33")
    bench(a, Benchmark.Level.ENGLAND_STATE, year="2021-22", ks2_rwm_expected_pct="59", attainment8="48.8")
    bench(a, Benchmark.Level.LA, code=world.a.school.la_code, ks2_rwm_expected_pct="57")
    bench(b, Benchmark.Level.ENGLAND_STATE, ks2_rwm_expected_pct="61")


def test_same_facts_as_school_facts_for_each_school(world, data, benchmarks, django_assert_num_queries):
    a = world.a
    third = SchoolFactory(partnership=a.partnership, urn="901003", phase="secondary", school_type="academy")
    inspect(third, date(2017, 5, 1), 4, category="SM", safeguarding=False)
    inspect(third, date(2020, 5, 1), 3)
    results(third, **{"2022-23": 40})
    LocalIndicator.objects.create(
        partnership=a.partnership,
        school=third,
        academic_year=YEAR,
        teaching_quality="not_consistently_good",
        leadership_governance="ineffective",
        likely_next_ofsted_grade=4,
        behaviour_concern=True,
        self_evaluation_accurate=False,
        judged_securely_good=False,
        recent_s8_with_priorities=False,
    )
    with django_assert_num_queries(5):
        bulk = facts_for_partnership(a.partnership, YEAR)
    assert set(bulk) == {a.school.pk, a.other_school.pk, third.pk}
    for school in (a.school, a.other_school, third):
        assert bulk[school.pk] == school_facts(a.partnership, school, YEAR), school.name
    assert bulk[a.other_school.pk]["consecutive_ri"] == 2
    assert bulk[a.school.pk]["ks2_rwm_expected_pct_history"] == [70, 58, 55]
    assert bulk[third.pk]["previous_ofsted_grade"] == "SM"
    assert {f: bulk[third.pk][f] for f in NATIONAL_FACTS} == {
        "national_ks2_rwm_expected_pct": 60,
        "national_attainment8": 46.2,
        "national_attendance_pct": 92.5,
        "national_persistent_absence_pct": 21.2,
        "national_suspensions_rate": 9.33,
    }
    assert (bulk[third.pk]["teaching_quality"], bulk[third.pk]["likely_next_ofsted_grade"]) == (
        "not_consistently_good",
        4,
    )
    # A's primary has local data without judgements, the high school none: null either way
    assert bulk[a.school.pk]["leadership_governance"] is None and bulk[a.other_school.pk]["behaviour_concern"] is None


def test_the_query_count_does_not_grow_with_the_schools(world, data, benchmarks, django_assert_num_queries):
    for n in range(10):
        SchoolFactory(partnership=world.a.partnership, urn=f"90110{n}")
    with django_assert_num_queries(5):
        facts_for_partnership(world.a.partnership, YEAR)


def test_national_facts_are_null_without_england_rows_for_the_year(world, data):
    bulk = facts_for_partnership(world.a.partnership, YEAR)
    assert all(bulk[world.a.school.pk][f] is None for f in NATIONAL_FACTS)
    assert bulk[world.a.school.pk] == school_facts(world.a.partnership, world.a.school, YEAR)


def test_only_the_partnership_and_the_schools_asked_for(world, data, benchmarks):
    bulk = facts_for_partnership(world.a.partnership, YEAR, school_ids=[world.a.school.pk, world.b.school.pk])
    assert list(bulk) == [world.a.school.pk]
    b_facts = facts_for_partnership(world.b.partnership, YEAR)[world.b.school.pk]
    assert b_facts["ofsted_grade"] is None
    assert b_facts["national_ks2_rwm_expected_pct"] == 61 and b_facts["national_attainment8"] is None
    assert b_facts == school_facts(world.b.partnership, world.b.school, YEAR)
