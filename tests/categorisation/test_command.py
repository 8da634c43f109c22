"""The what-if command end to end: JSON in, JSON out in input order, clear errors, no database."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(tmp_path, framework, schools, *extra):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(schools), encoding="utf-8")
    out = StringIO()
    call_command("categorise", "--framework", framework, "--facts", str(path), *extra, stdout=out)
    return json.loads(out.getvalue())


def test_milton_keynes_in_input_order(tmp_path):
    # No django_db mark: pytest-django raises if the command touches the database at all.
    schools = [
        {"urn": "100003", "ofsted_grade": 4, "ofsted_category": "SM"},
        {
            "urn": "100001",
            "phase": "primary",
            "ofsted_grade": 2,
            "data_trend": "consistent",
            "ks2_rwm_expected_pct": 64.9,
            "ks2_progress_reading": -5.0,
            "ks2_progress_maths": -5.0,
            "ks2_progress_writing": -7.1,
        },
        {"urn": "100002", "ofsted_grade": 1, "data_trend": "improving", "below_floor": False},
        {"urn": 100004, "phase": "secondary", "ofsted_grade": 2, "data_trend": "consistent", "p8": -0.2},
    ]
    out = run(tmp_path, "milton-keynes", schools)
    assert [row["urn"] for row in out] == ["100003", "100001", "100002", 100004]
    assert all(set(row) == {"urn", "category", "tib", "reasons"} for row in out)
    assert [(row["category"], row["tib"]) for row in out] == [("4", True), ("2c", True), (None, False), ("2", False)]
    assert any("below_floor derived as true" in r for r in out[1]["reasons"])
    assert out[2]["reasons"][0].startswith("no rule matched, for an officer to decide")


def test_missing_facts_named_in_reasons(tmp_path):
    [row] = run(tmp_path, "oldham", [{"urn": "1", "ofsted_grade": 2}])
    assert row["category"] is None and row["tib"] is False
    assert row["reasons"][0].startswith("cannot be decided, for an officer to complete or decide: missing ")
    assert "attendance" in row["reasons"][0]


def test_calderdale_codes(tmp_path):
    out = run(
        tmp_path,
        "calderdale",
        [{"urn": "1", "ofsted_grade": 3, "consecutive_ri": 2}, {"urn": "2", "safeguarding_effective": False}],
    )
    assert [row["category"] for row in out] == ["RED", "RED"]


def test_empty_list_gives_empty_output(tmp_path):
    assert run(tmp_path, "oldham", []) == []


def test_a_framework_file_can_be_used(tmp_path):
    framework = tmp_path / "fw.json"
    framework.write_text(
        json.dumps(
            {
                "slug": "mine",
                "name": "Mine",
                "method": "decision_table",
                "categories": [{"code": "X", "label": "X", "tib": True}],
                "rows": [
                    {
                        "id": "r",
                        "label": "RI",
                        "category": "X",
                        "when": {"fact": "ofsted_grade", "op": "eq", "value": 3},
                    }
                ],
            }
        )
    )
    [row] = run(tmp_path, str(framework), [{"urn": "1", "ofsted_grade": 3}], "--framework-file")
    assert (row["category"], row["tib"]) == ("X", True)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No facts file at"):
        call_command("categorise", "--framework", "oldham", "--facts", str(tmp_path / "nope.json"))


def test_invalid_json(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text("[{urn: 1}", encoding="utf-8")
    with pytest.raises(CommandError, match="invalid JSON"):
        call_command("categorise", "--framework", "oldham", "--facts", str(path))


def test_unknown_framework(tmp_path):
    with pytest.raises(CommandError, match="Unknown framework 'york': use one of calderdale, milton-keynes, oldham"):
        run(tmp_path, "york", [])


@pytest.mark.parametrize(
    ("schools", "message"),
    [
        ([{"urn": "1", "ofsted_grade": 7}], r"item 0 \(urn 1\): ofsted_grade: 7 is not one of 1, 2, 3, 4"),
        ([{"urn": "1", "grade": 2}], "unknown fact 'grade'"),
        ([{"ofsted_grade": 2}], "item 0: no urn"),
        ({"urn": "1"}, "must be a JSON list"),
        (["100001"], "item 0: not an object"),
    ],
)
def test_invalid_facts(tmp_path, schools, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, "milton-keynes", schools)


def test_exit_status_is_non_zero_from_the_command_line(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "facts.json"
    path.write_text('[{"urn": "1", "ofsted_grade": 7}]', encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "manage.py", "categorise", "--framework", "milton-keynes", "--facts", str(path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert done.returncode != 0
    assert "ofsted_grade: 7 is not one of 1, 2, 3, 4" in done.stderr
    assert done.stdout == ""
