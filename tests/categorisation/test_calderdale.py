"""Calderdale: automatic RED as limiting factors overriding best fit; best fit and its tie-break."""

import pytest

from categorisation.engine import evaluate
from categorisation.shipped import load_shipped


@pytest.fixture(scope="module")
def calderdale():
    return load_shipped("calderdale")


# A school with every GREEN indicator met and no concern anywhere.
GREEN_SCHOOL = {
    "ofsted_grade": 2,
    "consecutive_ri": 0,
    "safeguarding_effective": True,
    "likely_next_ofsted_grade": 2,
    "recent_s8_with_priorities": False,
    "attainment_vs_national": "in_line",
    "progress_vs_average": "at_least_average",
    "outward_facing": "fully",
    "exclusions": "at_or_reducing_to_national",
    "attendance": "good",
    "finance_concern": "none",
    "leadership_governance": "effective",
    "behaviour_concern": False,
}


def test_a_school_meeting_the_green_indicators_is_green(calderdale):
    result = evaluate(calderdale, GREEN_SCHOOL)
    assert result.category == "GREEN" and result.tib is False
    assert result.reasons[0] == "best fit: RED 0 of 7, AMBER 0 of 9, GREEN 8 of 8 indicators met"
    assert "GREEN: Outward facing (outward_facing='fully')" in result.reasons


@pytest.mark.parametrize(
    ("change", "criterion"),
    [
        ({"ofsted_grade": 3, "consecutive_ri": 2}, "Judged RI at two consecutive inspections"),
        ({"ofsted_grade": 4, "ofsted_category": "SM"}, "Special measures or serious weaknesses"),
        ({"ofsted_grade": 4, "ofsted_category": "SW"}, "Special measures or serious weaknesses"),
        ({"ofsted_grade": 4}, "Judged inadequate at the last inspection"),
        ({"safeguarding_effective": False}, "Safeguarding does not meet statutory requirements"),
    ],
    ids=["twice RI", "special measures", "serious weaknesses", "inadequate", "safeguarding"],
)
def test_automatic_red_overrides_a_green_best_fit(calderdale, change, criterion):
    result = evaluate(calderdale, {**GREEN_SCHOOL, **change})
    assert result.category == "RED"
    assert result.reasons[0].startswith(f"RED: limiting factor: {criterion} (")


def test_one_ri_is_amber_evidence_not_automatic_red(calderdale):
    facts = {
        **GREEN_SCHOOL,
        "ofsted_grade": 3,
        "consecutive_ri": 1,
        "likely_next_ofsted_grade": 3,
        "attainment_vs_national": "below",
        "progress_vs_average": "below_average_2plus_subjects",
        "attendance": "not_consistently_good",
    }
    result = evaluate(calderdale, facts)
    assert result.category == "AMBER"
    assert result.reasons[0] == "best fit: RED 0 of 7, AMBER 5 of 9, GREEN 3 of 8 indicators met"


def test_red_indicators_win_the_best_fit_without_a_limiting_factor(calderdale):
    facts = {
        **GREEN_SCHOOL,
        "likely_next_ofsted_grade": 4,
        "attainment_vs_national": "well_below",
        "progress_vs_average": "well_below_average_2plus_subjects",
        "exclusions": "high_or_rising",
        "attendance": "inadequate",
        "leadership_governance": "ineffective",
        "finance_concern": "serious",
    }
    result = evaluate(calderdale, facts)
    assert result.category == "RED"
    assert result.reasons[0].startswith("best fit: RED 7 of 7")


def test_a_tie_goes_to_the_more_severe_band(calderdale):
    # AMBER: RI, likely RI, attainment below, financial concern = 4.
    # GREEN: progress, outward facing, exclusions, absence, safeguarding = 5.
    facts = {
        **GREEN_SCHOOL,
        "ofsted_grade": 3,
        "consecutive_ri": 1,
        "likely_next_ofsted_grade": 3,
        "attainment_vs_national": "below",
        "finance_concern": "concern",
    }
    result = evaluate(calderdale, facts)
    assert result.reasons[0] == "best fit: RED 0 of 7, AMBER 4 of 9, GREEN 5 of 8 indicators met"
    assert result.category == "GREEN"
    # Financial position fine (AMBER 3), not fully outward facing (AMBER 4, GREEN 4): a tie.
    result = evaluate(calderdale, {**facts, "finance_concern": "none", "outward_facing": "partly"})
    assert result.reasons[0] == "best fit: RED 0 of 7, AMBER 4 of 9, GREEN 4 of 8 indicators met"
    assert result.category == "AMBER"
    assert "tie on indicators met, broken towards the more severe category AMBER" in result.reasons


def test_unknown_limiting_factor_leaves_a_green_school_undecided(calderdale):
    facts = {k: v for k, v in GREEN_SCHOOL.items() if k != "safeguarding_effective"}
    result = evaluate(calderdale, facts)
    assert result.category is None
    assert result.missing == ["safeguarding_effective"]


def test_missing_facts_that_cannot_change_the_best_fit_do_not_block(calderdale):
    facts = {k: v for k, v in GREEN_SCHOOL.items() if k not in ("exclusions", "finance_concern")}
    result = evaluate(calderdale, facts)
    assert result.category == "GREEN"
    assert "(up to" in result.reasons[0]


def test_missing_facts_that_could_change_the_best_fit_block_it(calderdale):
    facts = {"ofsted_grade": 2, "consecutive_ri": 0, "safeguarding_effective": True}
    result = evaluate(calderdale, facts)
    assert result.category is None
    assert "attainment_vs_national" in result.missing and "attendance" in result.missing
    assert result.reasons[0].startswith("cannot be decided, for an officer to complete or decide: missing ")


def test_a_known_limiting_factor_decides_whatever_is_missing(calderdale):
    result = evaluate(calderdale, {"ofsted_grade": 3, "consecutive_ri": 2})
    assert result.category == "RED" and result.missing == []
