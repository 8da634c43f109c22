"""Framework and facts validation: each mistake is named precisely, with its path."""

import copy

import pytest

from categorisation.engine import FactsError, FrameworkError, evaluate, validate_facts, validate_framework
from categorisation.shipped import load_shipped, shipped_slugs


def small():
    return {
        "slug": "test-fw",
        "name": "Test",
        "method": "ordered",
        "categories": [
            {
                "code": "HIGH",
                "label": "High",
                "tib": True,
                "combine": "any",
                "criteria": [
                    {"id": "a", "label": "Inadequate", "when": {"fact": "ofsted_grade", "op": "eq", "value": 4}},
                ],
            },
            {
                "code": "LOW",
                "label": "Low",
                "combine": "all",
                "criteria": [
                    {"id": "b", "label": "Good", "when": {"fact": "ofsted_grade", "op": "in", "value": [1, 2]}},
                ],
            },
        ],
    }


def errors_of(fw):
    with pytest.raises(FrameworkError) as info:
        validate_framework(fw)
    return info.value.errors


def test_shipped_frameworks_are_valid():
    assert shipped_slugs() == ["calderdale", "milton-keynes", "oldham"]
    for slug in shipped_slugs():
        fw = load_shipped(slug)
        validate_framework(fw)
        assert fw["slug"] == slug and fw["notes"]


def test_small_framework_is_valid_and_works():
    validate_framework(small())
    assert evaluate(small(), {"ofsted_grade": 4}).category == "HIGH"
    assert evaluate(small(), {"ofsted_grade": 4}).tib is True
    assert evaluate(small(), {"ofsted_grade": 2}).category == "LOW"


def test_unknown_fact():
    fw = small()
    fw["categories"][0]["criteria"][0]["when"] = {"fact": "ofsted_grde", "op": "eq", "value": 4}
    assert errors_of(fw) == ["categories[0] (HIGH).criteria[0].when: unknown fact 'ofsted_grde'"]


def test_unknown_operator():
    fw = small()
    fw["categories"][0]["criteria"][0]["when"]["op"] = "equals"
    [error] = errors_of(fw)
    assert error.startswith("categories[0] (HIGH).criteria[0].when: unknown operator 'equals'")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"fact": "ofsted_grade", "op": "eq", "value": 7}, "bad value for ofsted_grade: 7 is not one of 1, 2, 3, 4"),
        ({"fact": "ofsted_grade", "op": "eq", "value": "2"}, "bad value for ofsted_grade: '2' is not one of"),
        ({"fact": "data_trend", "op": "eq", "value": "falling"}, "bad value for data_trend: 'falling' is not one of"),
        ({"fact": "p8", "op": "lt", "value": "low"}, "bad value for p8: 'low' is not a number"),
        ({"fact": "safeguarding_effective", "op": "eq", "value": "no"}, "'no' is not true or false"),
        ({"fact": "ofsted_grade", "op": "in", "value": 2}, "operator 'in' needs a non-empty list, not 2"),
        ({"fact": "ofsted_grade", "op": "eq", "value": [2]}, "operator 'eq' needs a single value, not a list"),
        ({"fact": "data_trend", "op": "lt", "value": "declining"}, "operator 'lt' needs a numeric fact"),
        ({"fact": "ofsted_grade", "op": "eq"}, "operator 'eq' needs a value"),
        ({"fact": "p8", "op": "is_null"}, "p8 is never null when known"),
        ({"all": []}, ".all: must be a non-empty list of conditions"),
        ({"any": [{"fact": "p8"}]}, ".any[0]: a condition needs 'fact' and 'op'"),
        ("ofsted_grade == 4", "a condition must be an object, not str"),
    ],
)
def test_bad_condition_is_named(when, message):
    fw = small()
    fw["categories"][0]["criteria"][0]["when"] = when
    errors = errors_of(fw)
    assert len(errors) == 1
    assert errors[0].startswith("categories[0] (HIGH).criteria[0].when")
    assert message in errors[0]


def test_empty_category():
    fw = small()
    fw["categories"][1]["criteria"] = []
    assert errors_of(fw) == ["categories[1] (LOW): empty category, it has no criteria"]


def test_duplicate_code_and_ids():
    fw = small()
    fw["categories"][1]["code"] = "HIGH"
    fw["categories"][1]["criteria"][0]["id"] = "a"
    assert errors_of(fw) == [
        "categories[1].code: duplicate category code 'HIGH'",
        "categories[1].criteria[0].id: duplicate id 'a'",
    ]


def test_method_combine_and_top_level_mistakes():
    fw = small()
    fw["method"] = "majority"
    fw["colour"] = "blue"
    fw["slug"] = "Test FW"
    errors = errors_of(fw)
    assert "unexpected key 'colour'" in errors
    assert "slug: 'Test FW' is not a slug such as 'milton-keynes'" in errors
    assert "method: 'majority' is not one of ordered, best_fit, decision_table" in errors
    fw = small()
    fw["categories"][0]["combine"] = "most"
    assert errors_of(fw) == ["categories[0] (HIGH).combine: 'most' is not 'all' or 'any' (needed by method ordered)"]


def test_decision_table_row_must_name_a_category_and_every_category_needs_a_rule():
    fw = copy.deepcopy(load_shipped("milton-keynes"))
    fw["rows"][0]["category"] = "5"
    fw["rows"] = [r for r in fw["rows"] if r["category"] != "2a"]
    errors = errors_of(fw)
    assert "rows[0] (4).category: '5' is not a category code of this framework" in errors
    assert "categories[3] (2a): empty category, no row or criterion leads to it" in errors


def test_bad_parameters():
    fw = small()
    fw["parameters"] = {
        "floor": {"primary_rwm_pct": "65%", "colour": 1},
        "trend": {"primary": {"sharp": "x"}},
        "speed": {},
    }
    errors = errors_of(fw)
    assert "parameters.floor.primary_rwm_pct: '65%' is not a number" in errors
    assert "parameters.floor.colour: unknown parameter" in errors
    assert "parameters.trend.primary.sharp: 'x' is not a float" in errors
    assert any(e.startswith("parameters: unknown section 'speed'") for e in errors)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"ofsted_grade": 7}, "ofsted_grade: 7 is not one of 1, 2, 3, 4"),
        ({"ofsted_grde": 2}, "unknown fact 'ofsted_grde'"),
        ({"previous_ofsted_grade": "RI"}, "previous_ofsted_grade: 'RI' is not one of 1, 2, 3, 4, 'SM', 'SW'"),
        ({"ofsted_category": "RI"}, "ofsted_category: 'RI' is not one of 'SM', 'SW' or null"),
        ({"ks2_rwm_expected_pct": 101}, "ks2_rwm_expected_pct: 101 is not a number from 0 to 100"),
        ({"consecutive_ri": 1.5}, "consecutive_ri: 1.5 is not a whole number"),
        ({"safeguarding_effective": "yes"}, "safeguarding_effective: 'yes' is not true or false"),
        ({"ofsted_grade": True}, "ofsted_grade: True is not one of"),
        ({"p8_history": [0.1, "x"]}, "p8_history: 'x' in the list is not a number"),
        ({"ofsted_grade": 2, "ofsted_category": "SM"}, "ofsted_category 'SM' contradicts ofsted_grade 2"),
    ],
)
def test_bad_facts_are_named(facts, message):
    with pytest.raises(FactsError) as info:
        validate_facts(facts)
    assert any(e.startswith(message) for e in info.value.errors), info.value.errors


def test_urn_and_nulls_are_accepted_as_facts():
    validate_facts({"urn": "100001", "p8": None, "ofsted_category": None, "ofsted_grade": 2})


def test_every_fact_is_documented():
    from pathlib import Path

    from categorisation.engine import FACTS

    text = (Path(__file__).resolve().parents[2] / "categorisation" / "FACTS.md").read_text(encoding="utf-8")
    assert [name for name in FACTS if f"`{name}`" not in text] == []


def test_every_fact_is_in_the_readme_too():
    from pathlib import Path

    from categorisation.engine import FACTS

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert [name for name in FACTS if f"| `{name}` |" not in text] == []


def _best_fit_all_limiting():
    fw = small()
    fw["method"] = "best_fit"
    for cat in fw["categories"]:
        del cat["combine"]
        for crit in cat["criteria"]:
            crit["limiting"] = True
    return fw


def test_a_best_fit_framework_whose_every_criterion_is_limiting_is_refused_naming_each_category():
    errors = errors_of(_best_fit_all_limiting())
    assert errors == [
        f"categories[{i}] ({code}).criteria: every criterion is limiting, so best fit has no indicator to weigh: "
        "make at least one criterion of a category an indicator (not limiting), or choose the ordered method"
        for i, code in enumerate(("HIGH", "LOW"))
    ]
    # the same criteria in an ordered framework are fine: each is tried on its own
    ordered = _best_fit_all_limiting()
    ordered["method"] = "ordered"
    for cat, combine in zip(ordered["categories"], ("any", "all"), strict=True):
        cat["combine"] = combine
    validate_framework(ordered)


def test_best_fit_with_one_indicator_anywhere_is_valid_and_decides():
    fw = _best_fit_all_limiting()
    fw["categories"][1]["criteria"][0]["limiting"] = False  # LOW's criterion is an indicator again
    validate_framework(fw)
    assert evaluate(fw, {"ofsted_grade": 4}).category == "HIGH"  # the limiting factor
    assert evaluate(fw, {"ofsted_grade": 2}).category == "LOW"  # best fit


def test_a_stored_all_limiting_best_fit_framework_answers_instead_of_crashing():
    fw = _best_fit_all_limiting()
    assert evaluate(fw, {"ofsted_grade": 4}, validate=False).category == "HIGH"
    result = evaluate(fw, {"ofsted_grade": 3}, validate=False)
    assert result.category is None and result.missing == []
    assert any("no category has an indicator to weigh" in r for r in result.reasons)
