"""The condition language: comparisons, combinators and three-valued logic with missing facts named."""

import pytest

from categorisation.engine.conditions import describe, evaluate


def c(fact, op, value=None):
    d = {"fact": fact, "op": op}
    if op not in ("is_null", "present"):
        d["value"] = value
    return d


@pytest.mark.parametrize(
    ("cond", "facts", "expected"),
    [
        (c("ofsted_grade", "eq", 2), {"ofsted_grade": 2}, True),
        (c("ofsted_grade", "eq", 2), {"ofsted_grade": 3}, False),
        (c("ofsted_grade", "ne", 2), {"ofsted_grade": 3}, True),
        (c("p8", "lt", -0.5), {"p8": -0.51}, True),
        (c("p8", "lt", -0.5), {"p8": -0.5}, False),
        (c("p8", "le", -0.5), {"p8": -0.5}, True),
        (c("p8", "gt", 0), {"p8": 0.01}, True),
        (c("p8", "ge", 0), {"p8": 0}, True),
        (c("p8", "ge", 0), {"p8": -0.01}, False),
        (c("previous_ofsted_grade", "in", [4, "SM", "SW"]), {"previous_ofsted_grade": "SW"}, True),
        (c("previous_ofsted_grade", "in", [1, 2]), {"previous_ofsted_grade": "SM"}, False),
        (c("previous_ofsted_grade", "not_in", [1, 2]), {"previous_ofsted_grade": 3}, True),
        (c("ofsted_category", "is_null"), {"ofsted_category": None}, True),
        (c("ofsted_category", "is_null"), {"ofsted_category": "SM"}, False),
        (c("ofsted_category", "in", ["SM", "SW"]), {"ofsted_category": None}, False),
        (c("ofsted_category", "eq", None), {"ofsted_category": None}, True),
        (c("safeguarding_effective", "eq", False), {"safeguarding_effective": False}, True),
        (c("p8", "present"), {"p8": 0.2}, True),
        (c("p8", "present"), {}, False),
        (c("p8", "present"), {"p8": None}, False),
    ],
)
def test_comparisons(cond, facts, expected):
    assert evaluate(cond, facts).value is expected


def test_bool_is_not_confused_with_a_grade():
    assert evaluate(c("ofsted_grade", "in", [1, 2]), {"ofsted_grade": 1}).value is True
    assert evaluate(c("consecutive_ri", "eq", 1), {"consecutive_ri": 1}).value is True


def test_missing_fact_is_unknown_and_named():
    truth = evaluate(c("p8", "lt", -0.5), {})
    assert truth.value is None
    assert truth.missing == {"p8"}


def test_null_is_missing_for_a_fact_that_is_not_nullable():
    truth = evaluate(c("p8", "lt", -0.5), {"p8": None})
    assert truth.value is None and truth.missing == {"p8"}


def test_nullable_fact_absent_is_unknown_but_null_is_known():
    assert evaluate(c("ofsted_category", "is_null"), {}).value is None
    assert evaluate(c("ofsted_category", "is_null"), {"ofsted_category": None}).value is True


def test_any_with_a_true_child_holds_whatever_is_missing():
    cond = {"any": [c("p8", "lt", -0.5), c("ofsted_grade", "eq", 4)]}
    truth = evaluate(cond, {"ofsted_grade": 4})
    assert truth.value is True
    assert truth.missing == set()
    assert truth.used == {"ofsted_grade": 4}


def test_all_with_a_false_child_fails_whatever_is_missing():
    cond = {"all": [c("p8", "lt", -0.5), c("ofsted_grade", "eq", 4)]}
    truth = evaluate(cond, {"ofsted_grade": 2})
    assert truth.value is False
    assert truth.missing == set()


def test_otherwise_unknown_carries_every_missing_name():
    cond = {"all": [c("p8", "lt", -0.5), c("p8_ci_upper", "lt", 0), c("ofsted_grade", "eq", 2)]}
    truth = evaluate(cond, {"ofsted_grade": 2})
    assert truth.value is None
    assert truth.missing == {"p8", "p8_ci_upper"}
    any_cond = {"any": [c("p8", "lt", -0.5), c("ofsted_grade", "eq", 4)]}
    truth = evaluate(any_cond, {"ofsted_grade": 2})
    assert truth.value is None and truth.missing == {"p8"}


def test_not_flips_true_and_false_and_keeps_unknown():
    assert evaluate({"not": c("ofsted_grade", "eq", 2)}, {"ofsted_grade": 2}).value is False
    assert evaluate({"not": c("ofsted_grade", "eq", 2)}, {"ofsted_grade": 3}).value is True
    truth = evaluate({"not": c("ofsted_grade", "eq", 2)}, {})
    assert truth.value is None and truth.missing == {"ofsted_grade"}


def test_describe_reads_like_the_rule():
    cond = {
        "all": [
            c("ofsted_grade", "eq", 2),
            {"any": [c("data_trend", "in", ["declining"]), c("below_floor", "eq", True)]},
        ]
    }
    assert describe(cond) == "(ofsted_grade = 2 and (data_trend in ['declining'] or below_floor = true))"
