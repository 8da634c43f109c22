"""The engine is pure: no Django, JSON in and out, and the generic methods behave as documented."""

import json
import subprocess
import sys
from pathlib import Path

from categorisation.engine import describe_framework, evaluate
from categorisation.shipped import load_shipped

ROOT = Path(__file__).resolve().parents[2]


def test_the_engine_imports_no_django():
    code = (
        "import sys, categorisation.engine, categorisation.shipped;"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_frameworks_and_results_round_trip_through_json():
    fw = json.loads(json.dumps(load_shipped("calderdale")))
    result = evaluate(fw, {"ofsted_grade": 4})
    assert json.loads(json.dumps(result.as_dict())) == {
        "category": "RED",
        "tib": False,
        "missing": [],
        "reasons": ["RED: limiting factor: Judged inadequate at the last inspection (ofsted_grade=4)"],
    }


def test_limiting_criteria_in_category_order_and_unknown_earlier_limiting_blocks():
    fw = {
        "slug": "t",
        "name": "T",
        "method": "best_fit",
        "categories": [
            {
                "code": "A",
                "label": "A",
                "criteria": [
                    {
                        "id": "a-lim",
                        "label": "Unsafe",
                        "limiting": True,
                        "when": {"fact": "safeguarding_effective", "op": "eq", "value": False},
                    },
                    {"id": "a-ind", "label": "RI", "when": {"fact": "ofsted_grade", "op": "eq", "value": 3}},
                ],
            },
            {
                "code": "B",
                "label": "B",
                "criteria": [
                    {
                        "id": "b-lim",
                        "label": "Outstanding",
                        "limiting": True,
                        "when": {"fact": "ofsted_grade", "op": "eq", "value": 1},
                    },
                    {"id": "b-ind", "label": "Good", "when": {"fact": "ofsted_grade", "op": "in", "value": [1, 2]}},
                ],
            },
        ],
    }
    assert evaluate(fw, {"ofsted_grade": 1, "safeguarding_effective": False}).category == "A"
    assert evaluate(fw, {"ofsted_grade": 1, "safeguarding_effective": True}).category == "B"
    undecided = evaluate(fw, {"ofsted_grade": 1})
    assert undecided.category is None and undecided.missing == ["safeguarding_effective"]
    assert evaluate(fw, {"ofsted_grade": 3, "safeguarding_effective": True}).category == "A"  # best fit


def test_best_fit_with_no_indicator_met_is_no_category():
    fw = {
        "slug": "t",
        "name": "T",
        "method": "best_fit",
        "categories": [
            {
                "code": "A",
                "label": "A",
                "criteria": [{"id": "a", "label": "RI", "when": {"fact": "ofsted_grade", "op": "eq", "value": 3}}],
            }
        ],
    }
    result = evaluate(fw, {"ofsted_grade": 2})
    assert result.category is None and result.missing == []
    assert "no indicator met in any category" in " ".join(result.reasons)


def test_present_lets_a_framework_route_missing_data_explicitly():
    fw = {
        "slug": "t",
        "name": "T",
        "method": "decision_table",
        "categories": [{"code": "CHECK", "label": "Check the data"}, {"code": "OK", "label": "OK"}],
        "rows": [
            {"id": "no-p8", "label": "No P8", "category": "CHECK", "when": {"not": {"fact": "p8", "op": "present"}}},
            {"id": "ok", "label": "P8 known", "category": "OK", "when": {"fact": "p8", "op": "present"}},
        ],
    }
    assert evaluate(fw, {}).category == "CHECK"
    assert evaluate(fw, {"p8": 0.1}).category == "OK"


def test_describe_framework_lists_every_rule():
    lines = describe_framework(load_shipped("milton-keynes"))
    assert len(lines) == len(load_shipped("milton-keynes")["rows"])
    assert "2c 2c: (ofsted_grade = 2 and (data_trend in ['declining', 'sharp_decline'] or below_floor = true))" in lines
