"""Every row of the Milton Keynes decision table (Appendix 1), and its gaps and precedence."""

import pytest

from categorisation.engine import evaluate
from categorisation.shipped import load_shipped


@pytest.fixture(scope="module")
def mk():
    return load_shipped("milton-keynes")


ABOVE = {"below_floor": False}
BELOW = {"below_floor": True}

# (row of the source table, facts, category, tib)
ROWS = [
    ("1 consistent", {"ofsted_grade": 1, "data_trend": "consistent", **ABOVE}, "1", False),
    ("1 small decline", {"ofsted_grade": 1, "data_trend": "small_decline", **ABOVE}, "1b", False),
    ("1 inconsistent", {"ofsted_grade": 1, "data_trend": "inconsistent", **ABOVE}, "1b", False),
    ("1 sharp decline", {"ofsted_grade": 1, "data_trend": "sharp_decline", **ABOVE}, "1c", True),
    ("1 below floor", {"ofsted_grade": 1, "data_trend": "consistent", **BELOW}, "1c", True),
    (
        "2 improving, SEF 1",
        {"ofsted_grade": 2, "data_trend": "improving", "sef_validated_grade": 1, **ABOVE},
        "2a",
        False,
    ),
    ("2 consistent", {"ofsted_grade": 2, "data_trend": "consistent", **ABOVE}, "2", False),
    ("2 small decline", {"ofsted_grade": 2, "data_trend": "small_decline", **ABOVE}, "2b", False),
    ("2 inconsistent", {"ofsted_grade": 2, "data_trend": "inconsistent", **ABOVE}, "2b", False),
    ("2 declining", {"ofsted_grade": 2, "data_trend": "declining", **ABOVE}, "2c", True),
    ("2 sharp decline", {"ofsted_grade": 2, "data_trend": "sharp_decline", **ABOVE}, "2c", True),
    ("2 below floor", {"ofsted_grade": 2, "data_trend": "consistent", **BELOW}, "2c", True),
    (
        "3/2 improving, SEF 2",
        {"ofsted_grade": 3, "ofsted_leadership_grade": 2, "data_trend": "improving", "sef_validated_grade": 2, **ABOVE},
        "3a",
        False,
    ),
    (
        "3/2 not improving",
        {"ofsted_grade": 3, "ofsted_leadership_grade": 2, "data_trend": "consistent", **ABOVE},
        "3c",
        True,
    ),
    (
        "3/2 declining",
        {"ofsted_grade": 3, "ofsted_leadership_grade": 2, "data_trend": "declining", **ABOVE},
        "3c",
        True,
    ),
    (
        "3/2 improving but below floor",
        {"ofsted_grade": 3, "ofsted_leadership_grade": 2, "data_trend": "improving", "sef_validated_grade": 2, **BELOW},
        "3c",
        True,
    ),
    ("3/3 improving", {"ofsted_grade": 3, "ofsted_leadership_grade": 3, "data_trend": "improving"}, "3c", True),
    (
        "3/3 prev 1 declining",
        {
            "ofsted_grade": 3,
            "ofsted_leadership_grade": 3,
            "previous_ofsted_grade": 1,
            "data_trend": "declining",
            **ABOVE,
        },
        "3c",
        True,
    ),
    (
        "3/3 prev 2 below floor",
        {
            "ofsted_grade": 3,
            "ofsted_leadership_grade": 3,
            "previous_ofsted_grade": 2,
            "data_trend": "consistent",
            **BELOW,
        },
        "3c",
        True,
    ),
    (
        "3/3 prev 3 with leadership 2 declining",
        {
            "ofsted_grade": 3,
            "ofsted_leadership_grade": 3,
            "previous_ofsted_grade": 3,
            "previous_ofsted_leadership_grade": 2,
            "data_trend": "sharp_decline",
            **ABOVE,
        },
        "3c",
        True,
    ),
    (
        "3/3 prev 3 not improving",
        {
            "ofsted_grade": 3,
            "ofsted_leadership_grade": 3,
            "previous_ofsted_grade": 3,
            "previous_ofsted_leadership_grade": 3,
            "data_trend": "consistent",
            **ABOVE,
        },
        "3c",
        True,
    ),
    (
        "3/3 prev 3 inconsistent",
        {
            "ofsted_grade": 3,
            "ofsted_leadership_grade": 3,
            "previous_ofsted_grade": 3,
            "data_trend": "inconsistent",
            **ABOVE,
        },
        "3c",
        True,
    ),
    (
        "3/3 prev SM declining",
        {
            "ofsted_grade": 3,
            "ofsted_leadership_grade": 3,
            "previous_ofsted_grade": "SM",
            "data_trend": "declining",
            **ABOVE,
        },
        "3c",
        True,
    ),
    (
        "3/3 prev SW below floor",
        {
            "ofsted_grade": 3,
            "ofsted_leadership_grade": 3,
            "previous_ofsted_grade": "SW",
            "data_trend": "consistent",
            **BELOW,
        },
        "3c",
        True,
    ),
    ("4", {"ofsted_grade": 4}, "4", True),
    ("4 SM", {"ofsted_category": "SM"}, "4", True),
    ("4 SW whatever the data", {"ofsted_grade": 4, "ofsted_category": "SW", "data_trend": "improving"}, "4", True),
]


@pytest.mark.parametrize(("row", "facts", "category", "tib"), ROWS, ids=[r[0] for r in ROWS])
def test_decision_table_row(mk, row, facts, category, tib):
    result = evaluate(mk, facts)
    assert (result.category, result.tib) == (category, tib)
    assert result.missing == []
    assert result.reasons[0].startswith(f"{category}: row ")


def test_reason_names_the_row_and_the_fact_values(mk):
    result = evaluate(mk, {"ofsted_grade": 2, "data_trend": "declining", "below_floor": False})
    assert result.reasons == [
        "2c: row 2c (Ofsted 2; declining or below floor) (ofsted_grade=2, data_trend='declining')"
    ]


def test_every_category_of_the_source_is_reachable(mk):
    reached = {evaluate(mk, facts).category for _, facts, _, _ in ROWS}
    assert reached == {"1", "1b", "1c", "2a", "2", "2b", "2c", "3a", "3c", "4"}
    assert [c["code"] for c in mk["categories"]] == ["1", "1b", "1c", "2a", "2", "2b", "2c", "3a", "3c", "4"]


@pytest.mark.parametrize(
    "facts",
    [
        {"ofsted_grade": 1, "data_trend": "improving", "below_floor": False},
        {"ofsted_grade": 2, "data_trend": "improving", "sef_validated_grade": 2, "below_floor": False},
        {
            "ofsted_grade": 3,
            "ofsted_leadership_grade": 3,
            "previous_ofsted_grade": 2,
            "data_trend": "consistent",
            "below_floor": False,
        },
    ],
    ids=["1 improving", "2 improving SEF 2", "3/3 prev 2 consistent"],
)
def test_a_case_the_table_does_not_cover_gets_no_category(mk, facts):
    result = evaluate(mk, facts)
    assert result.category is None and result.tib is False
    assert result.missing == []
    assert result.reasons[0].startswith("no rule matched, for an officer to decide")


def test_below_floor_derived_from_the_data_decides_the_row(mk):
    facts = {"phase": "secondary", "ofsted_grade": 2, "data_trend": "consistent", "p8": -0.8, "p8_ci_upper": -0.1}
    result = evaluate(mk, facts)
    assert result.category == "2c" and result.tib is True
    assert any(r.startswith("below_floor derived as true: secondary floor") for r in result.reasons)
    facts["p8_ci_upper"] = 0.0
    assert evaluate(mk, facts).category == "2"


def test_unknown_floor_blocks_a_later_row_and_names_the_missing_facts(mk):
    result = evaluate(
        mk, {"phase": "primary", "ofsted_grade": 2, "data_trend": "consistent", "ks2_rwm_expected_pct": 60.0}
    )
    assert result.category is None
    assert result.missing == ["below_floor"]
    assert any("ks2_progress_maths, ks2_progress_reading, ks2_progress_writing" in r for r in result.reasons)


def test_an_unknown_earlier_row_for_the_same_category_does_not_block(mk):
    # Grade 3, leadership 3, improving: 3c whatever the previous judgement, which is missing.
    result = evaluate(mk, {"ofsted_grade": 3, "ofsted_leadership_grade": 3, "data_trend": "improving"})
    assert result.category == "3c"


def test_data_trend_derived_from_history(mk):
    facts = {
        "phase": "primary",
        "ofsted_grade": 1,
        "ks2_rwm_expected_pct": 80,
        "ks2_rwm_expected_pct_history": [90, 88, 80],
    }
    result = evaluate(mk, facts)
    assert result.category == "1c"  # a fall of 10 points is a sharp decline
    assert any(r.startswith("data_trend derived as 'sharp_decline'") for r in result.reasons)
