"""A fact as a headteacher reads it: its description from the fact vocabulary, never its name, and its
value in words (yes or no, not True or False)."""

import re

from django import template

from categorisation.engine.facts import FACTS

register = template.Library()


@register.filter
def fact_label(name: str) -> str:
    fact = FACTS.get(name)
    if fact is None:
        return str(name).replace("_", " ").capitalize()
    # The description's first clause: "Current Ofsted overall effectiveness: 1 outstanding, …" names it.
    return re.split(r"[:;(]| - |\. ", fact.description, maxsplit=1)[0].strip().rstrip(".")


@register.filter
def fact_value(value) -> str:
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(fact_value(v) if v is not None else "–" for v in value)
    if isinstance(value, str) and value in ("True", "False"):
        return "yes" if value == "True" else "no"
    return str(value)


_NAMES = sorted((n for n in FACTS if "_" in n), key=len, reverse=True)
_NAME_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, _NAMES)) + r")\b")


@register.filter
def in_words(text: str) -> str:
    """An engine sentence with each fact name given as its description and True/False as yes/no."""
    text = _NAME_PATTERN.sub(lambda m: fact_label(m.group(1)).lower(), str(text))
    return re.sub(r"\b(True|False)\b", lambda m: "yes" if m.group(1) == "True" else "no", text)
