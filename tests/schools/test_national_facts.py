"""The national_* facts: England's figures for the same academic year, from the partnership's Benchmark rows
(state-funded first, else all schools, figure by figure), null when there are none."""

from decimal import Decimal

import pytest

from categorisation.facts import NATIONAL_FACTS, school_facts
from schools.models import Benchmark, LocalIndicator
from schools.selectors import ENGLAND_CODE

pytestmark = pytest.mark.django_db
YEAR = "2018-19"


def bench(partnership, level, year=YEAR, code=ENGLAND_CODE, **figures):
    return Benchmark.objects.create(
        partnership=partnership,
        level=level,
        code=code,
        academic_year=year,
        **{k: Decimal(str(v)) for k, v in figures.items()},
    )


def national(partnership, school, year=YEAR):
    facts = school_facts(partnership, school, year)
    return {f: facts[f] for f in NATIONAL_FACTS}


def test_null_without_england_rows(world):
    a = world.a
    bench(a.partnership, Benchmark.Level.LA, code="901", ks2_rwm_expected_pct=66)  # an LA row is not national
    bench(a.partnership, Benchmark.Level.ENGLAND_STATE, year="2017-18", ks2_rwm_expected_pct=64)  # another year
    bench(world.b.partnership, Benchmark.Level.ENGLAND_STATE, ks2_rwm_expected_pct=65)  # another partnership
    assert national(a.partnership, a.school) == dict.fromkeys(NATIONAL_FACTS)


def test_state_funded_first_then_all_schools_figure_by_figure(world):
    a = world.a
    bench(
        a.partnership,
        Benchmark.Level.ENGLAND_ALL,
        ks2_rwm_expected_pct=64,
        attainment8="44.7",
        attendance_pct="95.2",
        persistent_absence_pct="11.1",
        suspensions_rate="5.36",
    )
    assert national(a.partnership, a.school) == {
        "national_ks2_rwm_expected_pct": 64,
        "national_attainment8": 44.7,
        "national_attendance_pct": 95.2,
        "national_persistent_absence_pct": 11.1,
        "national_suspensions_rate": 5.36,
    }
    bench(
        a.partnership, Benchmark.Level.ENGLAND_STATE, ks2_rwm_expected_pct=65, attainment8="46.7", attendance_pct="95.3"
    )
    assert national(a.partnership, a.school) == {
        "national_ks2_rwm_expected_pct": 65,
        "national_attainment8": 46.7,
        "national_attendance_pct": 95.3,
        "national_persistent_absence_pct": 11.1,  # not in the state-funded row: the all-schools figure
        "national_suspensions_rate": 5.36,
    }
    # the same for every school of the partnership, whatever its phase
    assert national(a.partnership, a.other_school) == national(a.partnership, a.school)


def test_from_the_performance_tables_england_rows(world, run):
    assert run("gias", "gias_small.csv").ok
    assert run("ks2", "ks2_raw_small.csv", year=YEAR).ok
    assert run("ks4", "ks4_raw_small.csv", year=YEAR).ok
    facts = national(world.a.partnership, world.a.school)
    # KS4: RECTYPE 7 (state-funded) 46.7, not RECTYPE 5 (all schools) 44.7
    assert (facts["national_ks2_rwm_expected_pct"], facts["national_attainment8"]) == (65, 46.7)
    assert facts["national_attendance_pct"] is None


def test_new_facts_are_in_the_categorisation_vocabulary(world):
    """Every national_* and judgement fact school_facts gives, with a value, passes the engine's checks.
    Fails (by design) until the vocabulary has the national_* names."""
    from categorisation.engine.facts import validate_facts

    a = world.a
    bench(
        a.partnership,
        Benchmark.Level.ENGLAND_STATE,
        ks2_rwm_expected_pct=65,
        attainment8="46.7",
        attendance_pct="95.3",
        persistent_absence_pct="10.9",
        suspensions_rate="5.0",
    )
    LocalIndicator.objects.create(
        partnership=a.partnership,
        school=a.school,
        academic_year=YEAR,
        teaching_quality="insufficient_good",
        leadership_governance="ineffective",
        likely_next_ofsted_grade=4,
        behaviour_concern=True,
        self_evaluation_accurate=False,
        judged_securely_good=False,
        recent_s8_with_priorities=False,
    )
    facts = school_facts(a.partnership, a.school, YEAR)
    assert facts["national_suspensions_rate"] == 5 and facts["teaching_quality"] == "insufficient_good"
    validate_facts(facts)
