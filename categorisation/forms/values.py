"""The vocabulary as the editor offers it (facts grouped for a select, operators in words) and a value
typed as text, read by its fact's kind: ``3`` for a grade, ``65.0`` for a percentage, ``true``/``yes``
for a flag, ``declining, sharp_decline`` for a list."""

from __future__ import annotations

import re

from django import forms

from ..engine import FACTS
from ..engine.conditions import MEMBERSHIP, UNARY

OPERATOR_CHOICES = [
    ("", "Choose how to test it"),
    ("eq", "is (=)"),
    ("ne", "is not (≠)"),
    ("lt", "is less than (<)"),
    ("le", "is at most (≤)"),
    ("gt", "is more than (>)"),
    ("ge", "is at least (≥)"),
    ("in", "is one of"),
    ("not_in", "is none of"),
    ("is_null", "is null (none)"),
    ("present", "is given"),
]
GROUPS = [
    ("given", "Inspection and school"),
    ("data", "Performance data"),
    ("derived", "Derived from the data"),
    ("judgement", "Officer judgements"),
    ("national", "England figures"),
]


def fact_choices() -> list:
    groups = []
    for key, title in GROUPS:
        names = [
            (f.name, f"{f.name}: {_short(f.description)}")
            for f in FACTS.values()
            if f.group == key and f.kind != "series"
        ]
        groups.append((title, names))
    return [("", "Choose a fact"), *groups]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fact_reference() -> list[dict]:
    """Every fact a condition may test, with what it may be: for the page's reference list."""
    return [
        {"name": f.name, "description": f.description, "allowed": f.describe_allowed(), "group": title}
        for key, title in GROUPS
        for f in FACTS.values()
        if f.group == key and f.kind != "series"
    ]


# ---- values typed as text -----------------------------------------------------------------------------


def value_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, str) else repr(value)


def parse_value(fact: str, op: str, text: str):
    """The value typed for a fact and operator, read by the fact's kind; ValidationError names the fact and
    what it may be."""
    spec = FACTS.get(fact)
    text = (text or "").strip()
    if op in UNARY:
        if text:
            raise forms.ValidationError(f"“{dict(OPERATOR_CHOICES)[op]}” takes no value: leave the value empty.")
        return None
    if not text:
        raise forms.ValidationError(
            f"Give the value to test {fact} against: {spec.describe_allowed()}."
            if spec
            else "Give the value to test against."
        )
    if op in MEMBERSHIP:
        items = [t.strip() for t in text.strip("[]").split(",")]
        if not all(items):
            raise forms.ValidationError(f"Separate the values with commas, such as {_example(spec)}.")
        return [_one(spec, fact, item) for item in items]
    return _one(spec, fact, text)


def _example(spec) -> str:
    if spec is not None and spec.kind == "enum":
        return ", ".join(value_text(c) for c in spec.choices[:2])
    return "1, 2"


def _one(spec, fact: str, text: str):
    if spec is None:
        return text
    lowered = text.lower()
    if lowered in ("null", "none") and spec.nullable:
        return None
    if spec.kind == "bool":
        words = {"true": True, "yes": True, "false": False, "no": False}
        if lowered in words:
            return words[lowered]
        raise forms.ValidationError(f"{text!r} is not a value of {fact}: it is true or false.")
    if spec.kind == "enum":
        for choice in spec.choices:
            if value_text(choice).lower() == lowered:
                return choice
        raise forms.ValidationError(f"{text!r} is not a value of {fact}: it is {spec.describe_allowed()}.")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d*\.\d+", text) and spec.kind == "number":
        return float(text)
    raise forms.ValidationError(f"{text!r} is not a value of {fact}: it is {spec.describe_allowed()}.")
