"""Oldham: Intensive (any), then Targeted (any), else Universal (all); missing data named, never passed."""

import pytest

from categorisation.engine import evaluate
from categorisation.shipped import load_shipped


@pytest.fixture(scope="module")
def oldham():
    return load_shipped("oldham")


UNIVERSAL = {
    "ofsted_grade": 2,
    "likely_next_ofsted_grade": 2,
    "judged_securely_good": True,
    "progress_3yr": "consistently_above_national",
    "teaching_quality": "consistently_good",
    "leadership_governance": "effective",
    "safeguarding_effective": True,
    "finance_concern": "none",
    "self_evaluation_accurate": True,
    "outward_facing": "fully",
    "attendance": "good",
    "below_floor": False,
    "coasting": False,
}


def test_all_universal_criteria_give_universal(oldham):
    result = evaluate(oldham, UNIVERSAL)
    assert result.category == "Universal" and result.tib is False
    assert result.reasons[:2] == [
        "not Intensive: none of its 8 criteria hold",
        "not Targeted: none of its 11 criteria hold",
    ]
    assert "Universal: all of its 11 criteria hold" in result.reasons


def test_one_targeted_criterion_gives_targeted(oldham):
    result = evaluate(oldham, {**UNIVERSAL, "attendance": "not_consistently_good"})
    assert result.category == "Targeted"
    assert "Targeted: Attendance not consistently good (attendance='not_consistently_good')" in result.reasons


def test_intensive_takes_precedence_over_targeted(oldham):
    facts = {**UNIVERSAL, "ofsted_grade": 3, "attendance": "inadequate"}  # RI (Targeted) and Intensive attendance
    result = evaluate(oldham, facts)
    assert result.category == "Intensive"
    assert "Intensive: Attendance inadequate (attendance='inadequate')" in result.reasons


def test_targeted_takes_precedence_over_universal(oldham):
    result = evaluate(oldham, {**UNIVERSAL, "coasting": True})
    assert result.category == "Targeted"


def test_special_measures_is_intensive_whatever_is_missing(oldham):
    result = evaluate(oldham, {"ofsted_category": "SM"})
    assert result.category == "Intensive" and result.missing == []


def test_targeted_true_but_intensive_unknown_is_undecided(oldham):
    result = evaluate(oldham, {"ofsted_grade": 3})
    assert result.category is None
    assert "progress_3yr" in result.missing and "attendance" in result.missing
    assert any("Targeted" in r and "holds, but an earlier rule might take precedence" in r for r in result.reasons)


def test_universal_undecided_when_a_fact_is_missing(oldham):
    facts = {k: v for k, v in UNIVERSAL.items() if k != "judged_securely_good"}
    result = evaluate(oldham, facts)
    assert result.category is None and result.tib is False
    assert result.missing == ["judged_securely_good"]
    assert result.reasons[0] == (
        "cannot be decided, for an officer to complete or decide: missing judged_securely_good"
    )


def test_a_school_that_is_none_of_the_three_gets_no_category(oldham):
    # Nothing Intensive or Targeted applies, yet one Universal criterion fails (not judged securely good).
    result = evaluate(oldham, {**UNIVERSAL, "judged_securely_good": False})
    assert result.category is None and result.missing == []
    assert result.reasons[0].startswith("no rule matched, for an officer to decide")
    assert any(r.startswith("not Universal: Judged securely good") for r in result.reasons)


def test_floor_derived_from_data_makes_intensive(oldham):
    facts = {k: v for k, v in UNIVERSAL.items() if k != "below_floor"}
    facts.update(phase="secondary", p8=-0.9, p8_ci_upper=-0.2)
    result = evaluate(oldham, facts)
    assert result.category == "Intensive"
    assert any(r.startswith("below_floor derived as true") for r in result.reasons)
