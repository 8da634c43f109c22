"""A Categoriser gives, school by school, exactly what evaluate gives, while deciding each distinct
combination of the facts its framework reads only once."""

import random

import pytest

from categorisation.engine import FACTS, Categoriser, FactsError, evaluate
from categorisation.engine.explain import criteria_met
from categorisation.engine.framework import framework_facts
from categorisation.shipped import load_shipped, shipped_slugs

# Values near every shipped threshold, so that schools land on both sides of each.
NUMBERS = {
    "ks2_rwm_expected_pct": [40, 64.9, 65, 65.0, 70.5, 85, 90],
    "national_ks2_rwm_expected_pct": [64, 65],
    "ks2_progress_reading": [-5.1, -5.0, -2.5, 0.3],
    "ks2_progress_maths": [-5.1, -5.0, -2.6, 1.2],
    "ks2_progress_writing": [-7.1, -7.0, -3.5, 0.0, -0.0],
    "p8": [-0.51, -0.5, -0.25, 0.2],
    "p8_ci_upper": [-0.01, 0.0, 0.3],
    "attainment8": [38.0, 46.5, 52],
    "national_attainment8": [46.5],
    "attendance_pct": [90.1, 94.0, 96.5],
    "national_attendance_pct": [95.0],
    "persistent_absence_pct": [8.0, 15.0, 30.0],
    "national_persistent_absence_pct": [14.0],
    "suspensions_rate": [0.5, 4.0, 12.0],
    "national_suspensions_rate": [3.5],
}
SERIES = {
    "ks2_rwm_expected_pct_history": [[60, 62, 64.9], [80, 70, 55], [66, 66, 66.5], [None, 70, 71]],
    "ks2_progress_reading_history": [[-6, -5.5, -5.1], [1, 0, 2]],
    "ks2_progress_writing_history": [[-8, -7.5, -7.1], [0, 0.5, 1]],
    "ks2_progress_maths_history": [[-3, -4, -6], [2, 1, 0]],
    "p8_history": [[-0.6, -0.55, -0.51], [0.1, -0.2, -0.6], [0, 0.05, 0.1]],
    "p8_ci_upper_history": [[-0.1, -0.05, -0.01], [0.4, 0.3, 0.2]],
    "suspensions_rate_history": [[3, 4, 5], [8, 6, 4]],
}


def _random_school(rng: random.Random) -> dict:
    facts = {}
    for name, spec in FACTS.items():
        if rng.random() < 0.25:
            continue  # missing: the engine must name it, or decide without it
        if name in NUMBERS:
            facts[name] = rng.choice(NUMBERS[name])
        elif name in SERIES:
            facts[name] = list(rng.choice(SERIES[name]))
        elif spec.kind == "bool":
            facts[name] = rng.random() < 0.5
        elif spec.kind == "enum":
            facts[name] = rng.choice(spec.choices + ((None,) if spec.nullable else ()))
        elif spec.kind == "int":
            facts[name] = rng.choice([0, 1, 2, 3])
    if facts.get("ofsted_category") in ("SM", "SW") and facts.get("ofsted_grade") in (1, 2, 3):
        facts["ofsted_grade"] = 4
    return facts


@pytest.mark.parametrize("slug", shipped_slugs())
def test_a_categoriser_gives_what_evaluate_gives_for_every_school(slug):
    framework = load_shipped(slug)
    categoriser = Categoriser(framework)
    rng = random.Random(slug)
    schools = [_random_school(rng) for _ in range(1000)]
    reads = framework_facts(framework)
    for _ in range(500):
        # A school with the same values of what the framework reads as an earlier one, and its own data
        # besides (a derived measure it reads is taken as given).
        earlier = rng.choice(schools)
        school = {k: v for k, v in _random_school(rng).items() if k not in reads}
        school.update({k: v for k, v in earlier.items() if k in reads})
        if school.get("ofsted_category") in ("SM", "SW") and school.get("ofsted_grade") in (1, 2, 3):
            continue
        schools.append(school)
    for facts in schools:
        expected = evaluate(framework, facts)
        got, met = categoriser.explain(facts)
        assert got.as_dict() == expected.as_dict(), facts
        assert met == criteria_met(framework, facts), facts
    # Schools do share decisions: fewer were made than there were schools, so the cache was used.
    assert 0 < len(categoriser._decided) < len(schools)


def test_schools_sharing_a_decision_keep_their_own_derivation_notes():
    categoriser = Categoriser(load_shipped("milton-keynes"))
    common = {
        "phase": "primary",
        "ofsted_grade": 3,
        "ofsted_leadership_grade": 2,
        "previous_ofsted_grade": 2,
        "ks2_progress_reading": 1,
        "ks2_progress_maths": 1,
        "ks2_progress_writing": 1,
    }
    first = categoriser.evaluate({**common, "ks2_rwm_expected_pct": 60, "ks2_rwm_expected_pct_history": [70, 65, 60]})
    second = categoriser.evaluate({**common, "ks2_rwm_expected_pct": 62, "ks2_rwm_expected_pct_history": [80, 72, 62]})
    assert len(categoriser._decided) == 1  # same grades, trend and floor: one decision
    assert first.category == second.category == "3c"
    assert "data_trend derived as 'sharp_decline': ks2_rwm_expected_pct_history [70, 65, 60]" in first.reasons[-1]
    assert "data_trend derived as 'sharp_decline': ks2_rwm_expected_pct_history [80, 72, 62]" in second.reasons[-1]
    assert not any("[70, 65, 60]" in r for r in second.reasons)


def test_values_that_compare_equal_but_read_differently_are_decided_apart():
    framework = {
        "slug": "t",
        "name": "T",
        "method": "ordered",
        "categories": [
            {
                "code": "LOW",
                "label": "Low",
                "combine": "all",
                "criteria": [{"id": "p8", "label": "P8 at most 0", "when": {"fact": "p8", "op": "le", "value": 0}}],
            },
            {
                "code": "HIGH",
                "label": "High",
                "combine": "any",
                "criteria": [{"id": "p8-up", "label": "P8 above 0", "when": {"fact": "p8", "op": "gt", "value": 0}}],
            },
        ],
    }
    categoriser = Categoriser(framework)
    assert categoriser.evaluate({"p8": 0.0}).reasons == evaluate(framework, {"p8": 0.0}).reasons
    assert categoriser.evaluate({"p8": -0.0}).reasons == evaluate(framework, {"p8": -0.0}).reasons
    assert categoriser.evaluate({"p8": 0}).reasons == evaluate(framework, {"p8": 0}).reasons
    assert "p8=-0" in categoriser.evaluate({"p8": -0.0}).reasons[-1]
    assert len(categoriser._decided) == 3


def test_a_categoriser_reads_only_the_measures_its_framework_tests():
    framework = load_shipped("milton-keynes")
    assert {"below_floor", "data_trend"} <= framework_facts(framework)
    assert "attendance" not in framework_facts(framework)
    result = Categoriser(framework).evaluate(
        {
            "phase": "primary",
            "attendance_pct": 90,
            "national_attendance_pct": 95,
            "persistent_absence_pct": 30,
            "national_persistent_absence_pct": 14,
        }
    )
    assert not any(r.startswith("attendance derived") for r in result.reasons)


def test_a_categoriser_refuses_bad_facts_as_evaluate_does():
    categoriser = Categoriser(load_shipped("oldham"))
    with pytest.raises(FactsError, match="ofsted_grade"):
        categoriser.evaluate({"ofsted_grade": 7})


@pytest.mark.parametrize("name", sorted(FACTS))
def test_the_quick_check_of_facts_never_passes_what_the_full_check_refuses(name):
    from categorisation.engine.facts import _ACCEPTS

    spec = FACTS[name]
    candidates = [
        True,
        False,
        0,
        1,
        2,
        4,
        5,
        -1,
        20,
        21,
        0.5,
        65.0,
        100,
        100.5,
        -10,
        -10.5,
        10.5,
        40,
        41,
        -41,
        float("nan"),
        float("inf"),
        -float("inf"),
        "SM",
        "SW",
        "primary",
        "x",
        [],
        [1, None, 2.5],
        [float("nan")],
        ["a"],
        [True],
        {},
        *spec.choices,
    ]
    for value in candidates:
        if _ACCEPTS[name](value):
            assert spec.check(value) is None, (name, value)
    for value in spec.choices:
        assert _ACCEPTS[name](value), (name, value)


def _random_condition(rng: random.Random, depth: int = 0) -> dict:
    if depth < 3 and rng.random() < 0.4:
        kind = rng.choice(["all", "any", "not"])
        if kind == "not":
            return {"not": _random_condition(rng, depth + 1)}
        return {kind: [_random_condition(rng, depth + 1) for _ in range(rng.randint(1, 3))]}
    name = rng.choice(["p8", "ks2_rwm_expected_pct", "ofsted_grade", "ofsted_category", "phase", "consecutive_ri"])
    spec = FACTS[name]
    if spec.ordered:
        return {
            "fact": name,
            "op": rng.choice(["lt", "le", "gt", "ge", "eq", "ne"]),
            "value": rng.choice([-0.5, 0, 2, 65, 64.9]),
        }
    if spec.nullable and rng.random() < 0.3:
        return {"fact": name, "op": rng.choice(["is_null", "present"])}
    if rng.random() < 0.3:
        return {"fact": name, "op": "in", "value": [spec.choices[0]]}
    return {"fact": name, "op": rng.choice(["eq", "ne"]), "value": spec.choices[-1]}


def test_a_compiled_condition_answers_as_the_tree_does():
    from categorisation.engine.conditions import compile_condition
    from categorisation.engine.conditions import evaluate as evaluate_condition

    rng = random.Random(7)
    for _ in range(400):
        cond = _random_condition(rng)
        compiled = compile_condition(cond)
        for _ in range(15):
            facts = {k: v for k, v in _random_school(rng).items() if rng.random() < 0.8}
            assert compiled(facts) == evaluate_condition(cond, facts), (cond, facts)


def test_a_label_quoting_a_measure_the_framework_never_reads_adds_no_note_either_way():
    framework = {
        "slug": "t",
        "name": "T",
        "method": "ordered",
        "categories": [
            {
                "code": "RED",
                "label": "Red",
                "combine": "all",
                "criteria": [
                    {
                        "id": "four",
                        "label": "Inadequate (not below_floor=true)",
                        "when": {"fact": "ofsted_grade", "op": "eq", "value": 4},
                    }
                ],
            },
            {
                "code": "GREEN",
                "label": "Green",
                "combine": "any",
                "criteria": [
                    {
                        "id": "else",
                        "label": "Otherwise",
                        "when": {"fact": "ofsted_grade", "op": "in", "value": [1, 2, 3]},
                    }
                ],
            },
        ],
    }
    facts = {"ofsted_grade": 4, "phase": "secondary", "p8": -1.0, "p8_ci_upper": -0.2}
    plain, cached = evaluate(framework, facts), Categoriser(framework).evaluate(facts)
    assert plain.as_dict() == cached.as_dict()
    assert plain.category == "RED" and not any(r.startswith("below_floor derived") for r in plain.reasons)
