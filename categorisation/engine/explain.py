"""Which criteria of a framework hold for a school's facts, with the values that made each hold. No Django.

``evaluate`` says which category a school gets and why in sentences; ``criteria_met`` lists, in the
framework's order, every criterion (and decision-table row) that holds, so a page can show each one
with its values beside the category it points to.
"""

from __future__ import annotations

from . import conditions
from .derived import derive, parameters


def criteria_met(fw: dict, facts: dict, *, truth: conditions.Memo | None = None) -> list[dict]:
    """[{"category", "id", "label", "limiting", "values"}] for each criterion or row that holds.

    ``truth``: ``evaluate``'s answers for the same school (``Result.truth``), when the caller has them, so
    nothing is derived or evaluated twice."""
    if truth is None:
        derived, _, _ = derive(facts, parameters(fw.get("parameters")))
        truth = conditions.Memo(derived)
    out = []
    for cat in fw["categories"]:
        for crit in cat.get("criteria", []):
            answer = truth(crit["when"])
            if answer.value is True:
                out.append(
                    {
                        "category": cat["code"],
                        "id": crit["id"],
                        "label": crit["label"],
                        "limiting": bool(crit.get("limiting")),
                        "values": answer.used,
                    }
                )
    for row in fw.get("rows") or []:
        answer = truth(row["when"])
        if answer.value is True:
            out.append(
                {
                    "category": row["category"],
                    "id": row["id"],
                    "label": row["label"],
                    "limiting": False,
                    "values": answer.used,
                }
            )
    return out
