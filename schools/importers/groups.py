"""GIAS group links (alllinksdata): the trust a school belongs to.

A multi-academy or single-academy trust sets the school's trust name; with neither, a trust or a
federation does. Sponsors and children's centre groups are counted and left alone.
"""

from .base import clean, phase_from_gias, school_type_from_text
from .schools_base import SchoolRowsImporter

TRUST_TYPES = ("Multi-academy trust", "Single-academy trust", "Trust", "Federation")


class GroupsImporter(SchoolRowsImporter):
    kind = "gias-groups"
    label = "GIAS group links"
    layouts = {"groups": ("URN", "Group Name", "Group Type", "LA (code)", "EstablishmentName")}
    update_fields = ("trust_name",)

    def start(self) -> None:
        super().start()
        self.best: dict[str, tuple[int, int, dict]] = {}

    def clean_row(self, row: int, data: dict) -> None:
        group_type = clean(data.get("Group Type"))
        if group_type not in TRUST_TYPES:
            self.counts["skipped_other"] += 1
            return
        if not self.la_is_ours(row, data, "LA (code)"):
            return
        urn = self.urn(row, data)
        name = clean(data.get("Group Name"))
        if not name:
            self.error(row, "Group Name", "", "is empty: every group has a name")
        if urn is None or not name:
            return
        rank = TRUST_TYPES.index(group_type)
        if urn in self.best and self.best[urn][0] <= rank:
            if self.best[urn][0] == rank and self.best[urn][2]["trust_name"] != name[:200]:
                self.counts["skipped_other"] += 1
                if len(self.notes) < 20:
                    self.notes.append(
                        f"URN {urn} is in more than one {group_type.lower()}: row {self.best[urn][1]}'s "
                        f"{self.best[urn][2]['trust_name']} is kept, row {row}'s {name} is not."
                    )
            else:
                self.counts["duplicates_ignored"] += 1
            return
        type_name = clean(data.get("TypeOfEstablishment (name)"))
        self.best[urn] = (
            rank,
            row,
            {
                "name": clean(data.get("EstablishmentName")),
                "la_code": clean(data["LA (code)"]),
                "phase": phase_from_gias(clean(data.get("PhaseOfEducation (name)")), type_name, None, None),
                "school_type": school_type_from_text(type_name),
                "type_detail": type_name[:100],
                "trust_name": name[:200],
            },
        )

    def finish(self) -> None:
        for urn, (_, row, values) in self.best.items():
            self.add_school_row(row, urn, values)
        super().finish()
