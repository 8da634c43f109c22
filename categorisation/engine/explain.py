"""Which criteria of a framework hold for a school's facts, with the values that made each hold. No Django.

``evaluate`` says which category a school gets and why in sentences; ``criteria_met`` lists, in the
framework's order, every criterion (and decision-table row) that holds, so a page can show each one
with its values beside the category it points to.
"""

from __future__ import annotations

from . import conditions
from .derived import derive, parameters


def criteria_met(fw: dict, facts: dict) -> list[dict]:
    """[{"category", "id", "label", "limiting", "values"}] for each criterion or row that holds."""
    derived, _, _ = derive(facts, parameters(fw.get("parameters")))
    out = []
    for cat in fw["categories"]:
        for crit in cat.get("criteria", []):
            truth = conditions.evaluate(crit["when"], derived)
            if truth.value is True:
                out.append({"category": cat["code"], "id": crit["id"], "label": crit["label"],
                            "limiting": bool(crit.get("limiting")), "values": truth.used})
    for row in fw.get("rows") or []:
        truth = conditions.evaluate(row["when"], derived)
        if truth.value is True:
            out.append({"category": row["category"], "id": row["id"], "label": row["label"], "limiting": False,
                        "values": truth.used})
    return out
