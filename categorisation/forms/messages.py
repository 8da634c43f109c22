"""The engine's validation messages in the editor's words: which category, criterion, row or threshold a
message is about (from its path, such as ``categories[1] (AMBER).criteria[1].when``), and which field of
the editor's forms it belongs beside."""

from __future__ import annotations

import re

PATH_RE = re.compile(
    r"^(?:categories\[(?P<cat>\d+)\](?: \((?P<code>[^)]*)\))?(?:\.criteria\[(?P<crit>\d+)\])?"
    r"|rows\[(?P<row>\d+)\](?: \((?P<rid>[^)]*)\))?"
    r"|parameters(?P<param>(?:\.\w+)*)"
    r"|(?P<top>slug|name|method|notes|rows|categories|description))"
    r"(?P<rest>(?:\.[\w\[\]]+)*): (?P<text>.*)$"
)
FIELD_WORDS = {
    "id": "id",
    "label": "label",
    "when": "condition",
    "limiting": "limiting factor",
    "code": "code",
    "tib": "TIB",
    "combine": "how its criteria combine",
    "category": "category",
    "criteria": "criteria",
}


def locate(message: str) -> dict:
    """Read an engine message's path: which category, criterion, row or threshold, and which field."""
    match = PATH_RE.match(message)
    if not match:
        return {"text": message}
    g = match.groupdict()
    rest = (g["rest"] or "").lstrip(".")
    field, _, deeper = rest.partition(".")
    field = field.split("[", 1)[0]
    line = None
    inner = re.match(r"^(?:all|any)\[(\d+)\]", deeper)
    if inner:
        line = int(inner.group(1))
    return {
        "category": int(g["cat"]) if g["cat"] is not None else None,
        "code": g["code"],
        "criterion": int(g["crit"]) if g["crit"] is not None else None,
        "row": int(g["row"]) if g["row"] is not None else None,
        "row_id": g["rid"],
        "parameter": g["param"].lstrip(".") if g["param"] is not None else None,
        "top": g["top"],
        "field": field or None,
        "line": line,
        "text": g["text"],
    }


def describe_location(where: dict, definition: dict) -> str:
    """'Category AMBER, criterion 2 (KS2 RWM below 60%), condition' and the like."""
    parts = []
    categories = definition.get("categories", [])
    if where.get("category") is not None:
        cat = categories[where["category"]] if where["category"] < len(categories) else {}
        parts.append(f"Category {where.get('code') or cat.get('code') or where['category'] + 1}")
        if where.get("criterion") is not None:
            crits = cat.get("criteria", [])
            crit = crits[where["criterion"]] if where["criterion"] < len(crits) else {}
            label = f" ({crit['label']})" if crit.get("label") else ""
            parts.append(f"criterion {where['criterion'] + 1}{label}")
    elif where.get("row") is not None:
        rows = definition.get("rows") or []
        row = rows[where["row"]] if where["row"] < len(rows) else {}
        label = f" ({row['label']})" if row.get("label") else ""
        parts.append(f"Row {where['row'] + 1}{label}")
    elif where.get("parameter") is not None:
        parts.append(f"Threshold {where['parameter'] or ''}".strip())
    elif where.get("top"):
        parts.append(f"The framework's {where['top']}")
    if where.get("field"):
        words = FIELD_WORDS.get(where["field"], where["field"])
        if where.get("line") is not None:
            words += f", part {where['line'] + 1}"
        parts.append(words)
    return ", ".join(parts)


def explain(message: str, definition: dict) -> tuple[dict, str]:
    where = locate(message)
    if "category" not in where:
        return where, message
    prefix = describe_location(where, definition)
    return where, f"{prefix}: {where['text']}" if prefix else where["text"]


def condition_field(form, where: dict, text: str) -> str:
    """The field of a criterion form an error about its condition belongs to."""
    if form.text_mode or "expression" in form.changed_data:
        return "expression"
    line = where.get("line") or 0
    if "unknown fact" in text or "yearly history" in text:
        return f"clause_{line}_fact"
    if "operator" in text:
        return f"clause_{line}_op"
    return f"clause_{line}_value"
