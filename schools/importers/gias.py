"""The GIAS establishment extract (edubasealldata / a GIAS download with "(name)" columns)."""

from ..models import SCHOOL_DATA_FIELDS, Inspection
from .base import Item, clean, parse_date, parse_decimal, parse_grade, parse_int, phase_from_gias, school_type_from_text
from .schools_base import SchoolRowsImporter


class GiasImporter(SchoolRowsImporter):
    kind = "gias"
    label = "GIAS establishments"
    layouts = {
        "gias": ("URN", "LA (code)", "EstablishmentName", "TypeOfEstablishment (name)", "EstablishmentStatus (name)"),
    }
    update_fields = SCHOOL_DATA_FIELDS
    nullable_updates = frozenset({"pupils", "capacity", "fsm_pct", "age_low", "age_high"})

    def start(self) -> None:
        super().start()
        self.inspections: dict[str, Item] = {}

    def clean_row(self, row: int, data: dict) -> None:
        ours = self.la_is_ours(row, data, "LA (code)")
        if not ours:
            return
        urn = self.urn(row, data)
        errors_before = len(self.errors)
        low = self.value(row, data, "StatutoryLowAge", parse_int)
        high = self.value(row, data, "StatutoryHighAge", parse_int)
        pupils = self.value(row, data, "NumberOfPupils", parse_int)
        capacity = self.value(row, data, "SchoolCapacity", parse_int)
        fsm = self.measure(row, data, "PercentageFSM", "fsm_pct", parse_decimal)
        if fsm is not None and not 0 <= fsm <= 100:
            self.error(row, "PercentageFSM", data["PercentageFSM"], "is not a percentage from 0 to 100")
        name = clean(data.get("EstablishmentName"))
        if not name:
            self.error(row, "EstablishmentName", "", "is empty: every establishment has a name")
        type_name = clean(data.get("TypeOfEstablishment (name)"))
        inspected = self.value(row, data, "OfstedLastInsp", parse_date)
        grade, category = self.value(row, data, "OfstedRating (name)", parse_grade) or (None, "")
        if urn is None or len(self.errors) > errors_before:
            return
        trust = clean(data.get("Trusts (name)")) or clean(data.get("SchoolSponsors (name)"))
        self.add_school_row(
            row,
            urn,
            {
                "name": name,
                "la_code": clean(data["LA (code)"]),
                "establishment_number": clean(data.get("EstablishmentNumber"))[:4],
                "phase": phase_from_gias(clean(data.get("PhaseOfEducation (name)")), type_name, low, high),
                "school_type": school_type_from_text(
                    type_name
                    if "academ" in type_name.lower() or "special" in type_name.lower()
                    else clean(data.get("EstablishmentTypeGroup (name)")) or type_name
                ),
                "type_detail": type_name[:100],
                "status": clean(data.get("EstablishmentStatus (name)"))[:40] or "Open",
                "age_low": low,
                "age_high": high,
                "pupils": pupils,
                "capacity": capacity,
                "fsm_pct": fsm,
                "trust_name": trust[:200],
                "postcode": clean(data.get("Postcode"))[:10],
            },
        )
        if inspected and grade:
            self.inspections[urn] = Item(
                row=row, values={"overall_grade": grade, "category": category, "inspection_date": inspected}
            )

    def apply(self, *, actor) -> None:
        self.apply_schools(actor=actor)
        if not self.inspections:
            return
        existing = {
            (i.school.urn, i.inspection_date): i
            for i in Inspection.objects.for_partnership(self.partnership)
            .filter(school__urn__in=list(self.inspections))
            .select_related("school")
        }
        items = {}
        for urn, item in self.inspections.items():
            key = (urn, item.values["inspection_date"])
            values = {"overall_grade": item.values["overall_grade"]}
            if item.values["category"]:
                values["category"] = item.values["category"]
            items[key] = Item(row=item.row, values=values)

        def make(key, item):
            return Inspection(
                partnership=self.partnership,
                school=self.schools[key[0]],
                inspection_date=key[1],
                source=self.filename[:200],
                **item.values,
            )

        self.upsert(actor=actor, model=Inspection, label="inspection", items=items, existing=existing, make=make)
