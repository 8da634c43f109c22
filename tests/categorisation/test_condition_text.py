"""A condition written as text (the editor's text box and the decision table's cells): read into the engine's
tree and written back, with a message that says where the text goes wrong."""

import json

import pytest

from categorisation.forms.condition_text import ConditionTextError, parse, to_text
from categorisation.shipped import load_shipped, shipped_slugs


def conditions_of(definition):
    for cat in definition["categories"]:
        for crit in cat.get("criteria", []):
            yield crit["when"]
    for row in definition.get("rows") or []:
        yield row["when"]


@pytest.mark.parametrize("slug", shipped_slugs())
def test_every_shipped_condition_reads_back_exactly(slug):
    for cond in conditions_of(load_shipped(slug)):
        back = parse(to_text(cond))
        assert json.dumps(back) == json.dumps(cond)  # the same tree, with the same types (65.0 stays a float)


def test_and_binds_tighter_than_or_and_brackets_group():
    assert parse("a = 1 or b = 2 and c = 3") == {
        "any": [
            {"fact": "a", "op": "eq", "value": 1},
            {"all": [{"fact": "b", "op": "eq", "value": 2}, {"fact": "c", "op": "eq", "value": 3}]},
        ]
    }
    assert parse("(a = 1 or b = 2) and c = 3") == {
        "all": [
            {"any": [{"fact": "a", "op": "eq", "value": 1}, {"fact": "b", "op": "eq", "value": 2}]},
            {"fact": "c", "op": "eq", "value": 3},
        ]
    }


@pytest.mark.parametrize(
    "text,tree",
    [
        ("p8 >= -0.5", {"fact": "p8", "op": "ge", "value": -0.5}),
        ("p8 ≥ -0.5", {"fact": "p8", "op": "ge", "value": -0.5}),
        ("ks2_rwm_expected_pct<65.0", {"fact": "ks2_rwm_expected_pct", "op": "lt", "value": 65.0}),
        ("data_trend != consistent", {"fact": "data_trend", "op": "ne", "value": "consistent"}),
        (
            "previous_ofsted_grade in [4, SM, 'SW']",
            {"fact": "previous_ofsted_grade", "op": "in", "value": [4, "SM", "SW"]},
        ),
        ("outward_facing not in [fully]", {"fact": "outward_facing", "op": "not_in", "value": ["fully"]}),
        ("ofsted_category is null", {"fact": "ofsted_category", "op": "is_null"}),
        ("not ofsted_grade is given", {"not": {"fact": "ofsted_grade", "op": "present"}}),
        ("below_floor = TRUE", {"fact": "below_floor", "op": "eq", "value": True}),
        ('x = "two words"', {"fact": "x", "op": "eq", "value": "two words"}),
    ],
)
def test_what_an_officer_may_type(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "the condition is empty"),
        ("ofsted_grade =", "expected a value at the end"),
        ("(ofsted_grade = 1", "expected a closing bracket at the end"),
        ("ofsted_grade = 1 data_trend = consistent", "expected 'and', 'or' or the end at data_trend (character 18)"),
        ("ofsted_grade => 1", "expected a value at > (character 15)"),
        (
            "ofsted_grade 1",
            "expected an operator (=, ≠, <, ≤, >, ≥, in, not in, is null, is given) after ofsted_grade at 1 "
            "(character 14)",
        ),
        ("ofsted_grade in 1, 2", "expected '[' to open the list of values at 1 (character 17)"),
        ("ofsted_grade is 3", "expected 'null' or 'given' after 'ofsted_grade is' at 3 (character 17)"),
        ("ofsted_grade = 1 & x = 2", "unexpected '&' at character 18"),
        ("= 1", "expected a fact name such as ofsted_grade at = (character 1)"),
    ],
)
def test_a_mistake_says_where_it_is(text, message):
    with pytest.raises(ConditionTextError) as caught:
        parse(text)
    assert str(caught.value) == message


def test_text_of_a_value_that_is_not_a_word_is_quoted():
    assert to_text({"fact": "x", "op": "eq", "value": 'say "and"'}) == 'x = "say \\"and\\""'
    assert parse(to_text({"fact": "x", "op": "eq", "value": 'say "and"'}))["value"] == 'say "and"'
    assert to_text({"fact": "x", "op": "eq", "value": "and"}) == 'x = "and"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(" * 400 + "p8 > 1" + ")" * 400, "nests too deeply"),
        ("not " * 1200 + "p8 > 1", "nests too deeply"),
        ("p8 > " + "9" * 4400, "a value cannot be read"),
        ("p8 > 1 and " * 600 + "p8 > 1", "characters long"),
    ],
)
def test_text_no_parser_can_take_is_a_clear_error_not_a_crash(text, message):
    with pytest.raises(ConditionTextError, match=message):
        parse(text)


@pytest.mark.parametrize("value", [1e-05, 1e-30, -3e-07, 0.1, -0.5])
def test_small_and_large_numbers_read_back_as_written(value):
    cond = {"fact": "p8", "op": "gt", "value": value}
    text = to_text(cond)
    assert "e" not in text and parse(text) == cond
