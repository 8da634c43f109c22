"""The placeholders an officer may write in the letter's wording, and how they are filled.

Officers' text is never a template: ``{school}`` and the other names below are replaced by plain
substitution, anything else in braces is refused (so ``{% ... %}`` or ``{{ ... }}`` never reaches a template
engine), and the filled text is escaped where the letter prints it, like any other value.
"""

from __future__ import annotations

import re

PLACEHOLDERS = {
    "school": "the school's name",
    "category": "the category, as its code (for example AMBER)",
    "category_label": "the category's label (for example Of concern)",
    "year": "the academic year (for example 2022-23)",
    "partnership": "the partnership's name",
}
_BRACED = re.compile(r"\{([^{}]*)\}")


def allowed_words() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def placeholder_errors(text: str) -> list[str]:
    """What is wrong with the placeholders of ``text``, in words; empty when nothing is."""
    errors = []
    for found in dict.fromkeys(m.group(0) for m in _BRACED.finditer(text or "")):
        if found[1:-1] not in PLACEHOLDERS:
            errors.append(f"“{found}” is not a placeholder the letter knows. Use only {allowed_words()}.")
    rest = _BRACED.sub("", text or "")
    if "{" in rest or "}" in rest:
        errors.append(
            f"A brace on its own cannot be used: braces only go round a placeholder, such as {{school}} "
            f"({allowed_words()})."
        )
    return errors


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced by its value: plain text, for the letter to escape."""
    return _BRACED.sub(lambda m: str(values.get(m.group(1), m.group(0))), text or "")
