"""A special school (or an alternative provision) is one in its facts, whatever its age range and the
key stage results it publishes, and each shipped framework does what its notes say with it: never a
secondary's floor standard."""

from decimal import Decimal

import pytest

from categorisation.engine import evaluate
from categorisation.engine.derived import derive, parameters
from categorisation.facts import school_facts
from categorisation.facts_source import facts_for_partnership
from categorisation.shipped import load_shipped
from schools.models import PerformanceResult
from tests.factories import SchoolFactory

YEAR = "2022-23"
YEARS = ("2020-21", "2021-22", "2022-23")


def _special_school(partnership, **fields):
    """An all-age special school that publishes Progress 8 under a secondary's floor every year."""
    school = SchoolFactory(partnership=partnership, age_low=3, age_high=19, **fields)
    for year in YEARS:
        PerformanceResult.objects.create(
            partnership=partnership,
            school=school,
            academic_year=year,
            progress8=Decimal("-1.20"),
            p8_ci_upper=Decimal("-0.60"),
            attainment8=Decimal("12.0"),
        )
    return school


@pytest.mark.parametrize(
    ("fields", "phase"),
    [
        ({"phase": "special", "school_type": "special"}, "special"),
        # the spine and GIAS can leave a special school's phase as its age range gives it
        ({"phase": "secondary", "school_type": "special"}, "special"),
        ({"phase": "other", "school_type": "special"}, "special"),
        ({"phase": "ap", "school_type": "ap"}, "alternative_provision"),
        ({"phase": "secondary", "school_type": "ap"}, "alternative_provision"),
        ({"phase": "secondary", "school_type": "academy"}, "secondary"),
    ],
)
def test_the_phase_fact_of_a_special_school_is_special(world, fields, phase):
    school = _special_school(world.a.partnership, **fields)
    facts = school_facts(world.a.partnership, school, YEAR)
    assert facts["phase"] == phase
    # the whole partnership's facts (what a run reads) say the same
    assert facts_for_partnership(world.a.partnership, YEAR)[school.pk]["phase"] == phase


def _facts(phase):
    return {
        "phase": phase,
        "ofsted_grade": 2,
        "safeguarding_effective": True,
        "p8": -1.2,
        "p8_ci_upper": -0.6,
        "attainment8": 12,
        "national_attainment8": 46,
        "p8_history": [-1.2, -1.2, -1.2],
        "p8_ci_upper_history": [-0.6, -0.6, -0.6],
    }


def test_a_special_school_is_not_held_to_a_secondary_floor_or_coasting_standard():
    secondary, _, _ = derive(_facts("secondary"), parameters(None))
    assert secondary["below_floor"] is True and secondary["coasting"] is True
    special, reasons, gaps = derive(_facts("special"), parameters(None))
    assert special["below_floor"] is False and special["coasting"] is False
    assert (
        "below_floor derived as false: no floor standard applies to a special school (the floor standards are "
        "for primary and secondary schools)"
    ) in reasons
    coasting = "coasting derived as false: no coasting standard applies to a special school"
    assert any(r.startswith(coasting) for r in reasons)
    assert not any("secondary" in r and "P8" in r for r in reasons)
    # no mainstream comparison is made for it: those are for an officer
    for name in ("attainment_vs_national", "progress_vs_average", "progress_3yr", "data_trend"):
        assert name not in special and gaps[name] == {name}


def test_a_framework_that_sets_no_floor_for_special_schools_leaves_it_to_an_officer():
    """A partnership that removes special schools from the exempt phases gets an unknown, named as
    below_floor itself (the phase is known), never a secondary's answer."""
    p = parameters({"floor": {"not_applicable_phases": ["nursery"]}})
    out, reasons, gaps = derive(_facts("special"), p)
    assert "below_floor" not in out and gaps["below_floor"] == {"below_floor"}
    assert "coasting" not in out and gaps["coasting"] == {"coasting"}
    assert not any(r.startswith("below_floor") for r in reasons)


def test_milton_keynes_places_a_good_special_school_by_its_officers_data_trend_not_a_floor():
    mk = load_shipped("milton-keynes")
    as_secondary = evaluate(mk, {**_facts("secondary"), "data_trend": "consistent"})
    assert as_secondary.category == "2c"  # below a secondary's floor
    special = evaluate(mk, {**_facts("special"), "data_trend": "consistent"})
    assert special.category == "2" and not special.tib  # the 2c row's below_floor is false for it
    # without an officer's data trend it gets no category, and the reason says what is missing
    undecided = evaluate(mk, _facts("special"))
    assert undecided.category is None and "data_trend" in undecided.missing
    # an inadequate special school is category 4 whatever its data
    assert evaluate(mk, {**_facts("special"), "ofsted_grade": 4}).category == "4"


def test_oldham_does_not_make_a_special_school_intensive_by_a_secondary_floor():
    oldham = load_shipped("oldham")
    judgements = {
        "likely_next_ofsted_grade": 2,
        "teaching_quality": "consistently_good",
        "leadership_governance": "effective",
        "outward_facing": "fully",
        "attendance": "good",
        "progress_3yr": "not_consistently_above_national",
    }
    assert evaluate(oldham, {**_facts("secondary"), **judgements}).category == "Intensive"
    special = evaluate(oldham, {**_facts("special"), **judgements})
    assert special.category == "Targeted"  # Intensive's below_floor and Targeted's coasting are false for it
    # progress_3yr is not derived from a special school's Progress 8: without the officer's, no category
    without = {k: v for k, v in judgements.items() if k != "progress_3yr"}
    undecided = evaluate(oldham, {**_facts("special"), **without})
    assert undecided.category is None and "progress_3yr" in undecided.missing


def test_calderdale_counts_no_national_attainment_or_progress_indicator_for_a_special_school():
    calderdale = load_shipped("calderdale")
    good = {
        "attendance": "good",
        "exclusions": "at_or_reducing_to_national",
        "outward_facing": "fully",
        "finance_concern": "none",
        "leadership_governance": "effective",
        "behaviour_concern": False,
        "likely_next_ofsted_grade": 2,
        "recent_s8_with_priorities": False,
    }
    as_secondary = evaluate(calderdale, {**_facts("secondary"), **good})
    assert as_secondary.reasons[0].startswith("best fit: RED 2 of 7,")  # well below on attainment and progress
    special = evaluate(calderdale, {**_facts("special"), **good})
    assert special.reasons[0].startswith("best fit: RED 0 of 7 (up to 2 with missing facts)")
    assert special.category == "GREEN"  # clear enough without them
    national = ("attainment_vs_national derived", "progress_vs_average derived")
    assert not any(r.startswith(national) for r in special.reasons)


@pytest.mark.parametrize("slug", ["milton-keynes", "calderdale", "oldham"])
def test_each_shipped_framework_says_what_it_does_with_special_schools(slug):
    notes = load_shipped(slug)["notes"]
    assert any(note.startswith("Special schools and alternative provision") for note in notes)
