"""Ofsted inspection history: one row per inspection (URN, Rating, Inspection Date), with optional columns
for the inspection type, leadership grade, safeguarding and category that richer LA extracts carry.

The file has no LA column, so a URN the partnership does not have is skipped and counted.
"""

from ..models import Inspection
from .base import Importer, Item, clean, parse_bool, parse_date, parse_grade

TYPES = {"s5": "s5", "section 5": "s5", "5": "s5", "s8": "s8", "section 8": "s8", "8": "s8", "other": "other", "": ""}
CATEGORIES = {"": "", "sm": "SM", "special measures": "SM", "sw": "SW", "serious weaknesses": "SW", "none": ""}
OPTIONAL = {
    "Inspection type": "inspection_type",
    "Leadership grade": "leadership_grade",
    "Safeguarding effective": "safeguarding_effective",
    "Category": "category",
}


class OfstedImporter(Importer):
    kind = "ofsted"
    label = "Ofsted inspection history"
    layouts = {"ratings": ("URN", "Rating", "Inspection Date")}

    def start(self) -> None:
        super().start()
        self.candidates: dict[tuple[str, object], Item] = {}
        self.deferred: list[tuple[int, str, dict]] = []

    def clean_row(self, row: int, data: dict) -> None:
        # No LA column: only the URN says whose row it is, so the rest is checked once schools are known.
        urn = self.urn(row, data)
        if urn is not None:
            self.deferred.append((row, urn, data))

    def check_row(self, row: int, urn: str, data: dict) -> None:
        errors_before = len(self.errors)
        when = self.value(row, data, "Inspection Date", parse_date)
        if when is None and len(self.errors) == errors_before:
            self.error(row, "Inspection Date", "", "is empty: every inspection has a date")
        grade, category = self.value(row, data, "Rating", parse_grade) or (None, "")
        values = {"overall_grade": grade}
        if category:
            values["category"] = category
        if "Inspection type" in data:
            kind = clean(data["Inspection type"]).lower()
            if kind not in TYPES:
                self.error(row, "Inspection type", data["Inspection type"], "is not s5, s8 or other")
            values["inspection_type"] = TYPES.get(kind, "")
        if "Leadership grade" in data:
            values["leadership_grade"] = (self.value(row, data, "Leadership grade", parse_grade) or (None, ""))[0]
        if "Safeguarding effective" in data:
            values["safeguarding_effective"] = self.value(row, data, "Safeguarding effective", parse_bool)
        if "Category" in data:
            text = clean(data["Category"]).lower()
            if text not in CATEGORIES:
                self.error(
                    row, "Category", data["Category"], "is not SM (special measures), SW (serious weaknesses) or blank"
                )
            elif CATEGORIES[text] or "category" not in values:
                values["category"] = CATEGORIES[text]
        if len(self.errors) > errors_before:
            return
        signature = tuple(sorted((k, str(v)) for k, v in values.items()))
        if self.first_time(row, (urn, when), signature, f"the inspection of URN {urn} on {when}"):
            self.candidates[(urn, when)] = Item(row=row, values=values)

    def finish(self) -> None:
        self.load_schools({urn for _, urn, _ in self.deferred})
        for row, urn, data in self.deferred:
            if urn in self.schools:
                self.check_row(row, urn, data)
            else:
                self.counts["skipped_not_in_partnership"] += 1
        self.items = self.candidates

    def apply(self, *, actor) -> None:
        existing = {
            (i.school.urn, i.inspection_date): i
            for i in Inspection.objects.for_partnership(self.partnership)
            .filter(school__urn__in={urn for urn, _ in self.items})
            .select_related("school")
        }

        def make(key, item):
            return Inspection(
                partnership=self.partnership,
                school=self.schools[key[0]],
                inspection_date=key[1],
                source=self.filename[:200],
                **item.values,
            )

        self.upsert(actor=actor, model=Inspection, label="inspection", items=self.items, existing=existing, make=make)
