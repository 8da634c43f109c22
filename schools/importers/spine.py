"""The performance tables' school spine (england_spine / school_details): every school the tables know."""

from ..models import Phase, SchoolType
from .base import clean, parse_int, phase_from_ages, school_type_from_text
from .schools_base import SchoolRowsImporter


def spine_phase(primary: str, secondary: str, post16: str, group: str, low, high) -> str:
    if "special" in group.lower():
        return Phase.SPECIAL
    is_primary, is_secondary = clean(primary) == "1", clean(secondary) == "1"
    if is_primary and is_secondary:
        return Phase.ALL_THROUGH
    if is_primary:
        return Phase.PRIMARY
    if is_secondary:
        return Phase.SECONDARY
    if clean(post16) == "1":
        return Phase.SIXTEEN_PLUS
    return phase_from_ages(low, high)


class SpineImporter(SchoolRowsImporter):
    kind = "spine"
    label = "performance tables school spine"
    layouts = {
        "spine": ("URN", "LA", "ESTAB", "SCHNAME", "MINORGROUP", "NFTYPE", "AGEL", "AGEH"),
        "school-details": ("URN", "Name", "Postcode", "Status", "Type", "Primary", "Secondary", "Local Authority"),
    }
    # The spine is one year's snapshot and GIAS the current record: the spine fills blanks, never overwrites.
    fill_blanks_only = True
    update_fields = (
        "name",
        "establishment_number",
        "phase",
        "school_type",
        "type_detail",
        "status",
        "age_low",
        "age_high",
        "postcode",
    )

    def clean_row(self, row: int, data: dict) -> None:
        spine = self.layout == "spine"
        la_column = "LA" if spine else "Local Authority"
        if not self.la_is_ours(row, data, la_column):
            return
        errors_before = len(self.errors)
        urn = self.urn(row, data)
        low = self.value(row, data, "AGEL" if spine else "Age From", parse_int)
        high = self.value(row, data, "AGEH" if spine else "Age To", parse_int)
        name = clean(data.get("SCHNAME" if spine else "Name"))
        if not name:
            self.error(row, "SCHNAME" if spine else "Name", "", "is empty: every school has a name")
        if urn is None or len(self.errors) > errors_before:
            return
        if spine:
            group, detail = clean(data["MINORGROUP"]), clean(data["NFTYPE"])
            closed = clean(data.get("ICLOSE")) == "2" or bool(clean(data.get("CLOSEDATE")))
            flags = (data.get("ISPRIMARY", ""), data.get("ISSECONDARY", ""), data.get("ISPOST16", ""))
        else:
            group = detail = clean(data["Type"])
            closed = clean(data.get("Status")) == "2" or bool(clean(data.get("Date Closed")))
            flags = (data.get("Primary", ""), data.get("Secondary", ""), data.get("Post 16", ""))
        school_type = school_type_from_text(detail) if detail else school_type_from_text(group)
        if "special" in group.lower():
            school_type = SchoolType.SPECIAL
        self.add_school_row(
            row,
            urn,
            {
                "name": name,
                "la_code": clean(data[la_column]),
                "establishment_number": clean(data.get("ESTAB"))[:4],
                "phase": spine_phase(*flags, group, low, high),
                "school_type": school_type,
                "type_detail": detail[:100],
                "status": "Closed" if closed else "Open",
                "age_low": low,
                "age_high": high,
                "postcode": clean(data.get("POSTCODE" if spine else "Postcode"))[:10],
            },
        )
