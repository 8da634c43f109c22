"""A fact as a headteacher reads it, in the words of ``categorisation.wording`` (the letter's too): its
description, never its name, and its value in words (Ofsted's words for a grade, yes or no, not True or
False)."""

from django import template

from categorisation import wording

register = template.Library()


@register.filter
def fact_label(name: str) -> str:
    return wording.fact_label(name)


@register.filter
def fact_value(value, name: str | None = None) -> str:
    """``{{ value|fact_value:name }}``: with the fact's name, a grade reads as Ofsted's word, a choice as its
    words and a percentage with %."""
    if value is None:
        return "missing"
    return wording.value_words(value, name)


@register.filter
def in_words(text: str) -> str:
    """An engine sentence or a framework's label with each fact name given as its description, True/False as
    yes/no and the sources' abbreviations spelt out."""
    return wording.label_words(text)
