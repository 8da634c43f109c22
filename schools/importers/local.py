"""The LA's own data about its schools, from the documented CSV template (see TEMPLATE_COLUMNS).

Every URN must be a school of the partnership: this file is written by the LA about its own schools.
Only URN and Academic year are required; a column left out of the file leaves that field as it was.
"""

from ..models import LocalIndicator
from .base import Importer, Item, check_academic_year, clean, parse_grade, parse_int

OUTWARD = {
    "fully": "fully",
    "yes": "fully",
    "partly": "partly",
    "partially": "partly",
    "not": "not_engaged",
    "not engaged": "not_engaged",
    "not_engaged": "not_engaged",
    "no": "not_engaged",
    "": "",
}
FINANCE = {
    "none": "none",
    "no": "none",
    "concern": "concern",
    "yes": "concern",
    "serious": "serious",
    "serious concern": "serious",
    "": "",
}


def _key(text: str) -> str:
    """Case, spaces, hyphens and underscores do not matter: "Not consistently good" = "not_consistently_good"."""
    return " ".join(clean(text).lower().replace("_", " ").replace("-", " ").split())


TEACHING = {
    "consistently good": "consistently_good",
    "good": "consistently_good",
    "not consistently good": "not_consistently_good",
    "insufficient good": "insufficient_good",
    "insufficient good teaching": "insufficient_good",
    "insufficient": "insufficient_good",
    "": "",
}
LEADERSHIP = {
    "effective": "effective",
    "not consistently effective": "not_consistently_effective",
    "ineffective": "ineffective",
    "not effective": "ineffective",
    "": "",
}
# column: (model field, {written: stored}, what the error says is allowed)
CHOICE_COLUMNS = {
    "Teaching quality": (
        "teaching_quality",
        TEACHING,
        "Consistently good, Not consistently good, Insufficient good or blank",
    ),
    "Leadership and governance": (
        "leadership_governance",
        LEADERSHIP,
        "Effective, Not consistently effective, Ineffective or blank",
    ),
}
YES_NO_COLUMNS = {
    "Behaviour concern": "behaviour_concern",
    "Self-evaluation accurate": "self_evaluation_accurate",
    "Judged securely good": "judged_securely_good",
    "Recent section 8 with priorities": "recent_s8_with_priorities",
}
YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


def parse_yes_no(value: str) -> bool | None:
    text = clean(value).lower()
    if text == "":
        return None
    if text not in YES_NO:
        raise ValueError("is not Yes, No or blank")
    return YES_NO[text]


# column: what to write in it (this is the documentation shown on the upload page and in the template)
TEMPLATE_COLUMNS = {
    "URN": "The school's DfE URN (5 to 7 digits). The school must already be in the partnership.",
    "Academic year": "The academic year the judgements are for, such as 2022-23.",
    "Self-evaluation grade": "The school's own overall grade: 1 to 4, or Outstanding, Good, Requires improvement, "
    "Inadequate. Blank if not known.",
    "SEF validated grade": "The self-evaluation grade as the LA has validated it, on the same scale. "
    "Blank if not validated.",
    "Finance concern": "None, Concern or Serious: the LA's view of the school's financial position. Blank if not "
    "known.",
    "Complaints": "The number of complaints escalated to the LA in the year (a whole number), blank if not known.",
    "Outward facing": "Fully, Partly or Not engaged: how far the school takes part in partnership and "
    "outward-facing work. Blank if not known.",
    "Teaching quality": "Consistently good, Not consistently good or Insufficient good: the LA's view of the "
    "quality of teaching over time. Blank if not judged.",
    "Leadership and governance": "Effective, Not consistently effective or Ineffective: leadership and management "
    "at all levels, including governance. Blank if not judged.",
    "Likely next Ofsted grade": "The LA's evidence-based view of the next Ofsted grade, on the same scale as the "
    "self-evaluation grade. Blank if no view.",
    "Behaviour concern": "Yes if there are significant concerns about behaviour, else No. Blank if not judged.",
    "Self-evaluation accurate": "Yes if the school's self-evaluation is accurate, else No. Blank if not judged.",
    "Judged securely good": "Yes if both the school and the partnership judge it securely good or outstanding, "
    "else No. Blank if not judged.",
    "Recent section 8 with priorities": "Yes if a recent section 8 (ungraded) inspection set priorities for "
    "improvement and proposed a section 5, else No. Blank if not known.",
}
TEMPLATE_EXAMPLE = [
    "100000",
    "2022-23",
    "2",
    "2",
    "None",
    "0",
    "Fully",
    "Consistently good",
    "Effective",
    "2",
    "No",
    "Yes",
    "Yes",
    "No",
]


class LocalImporter(Importer):
    kind = "local"
    label = "local data"
    layouts = {"template": ("URN", "Academic year")}

    def start(self) -> None:
        super().start()
        self.rows: list[tuple[int, str, str, dict]] = []
        self.items: dict[tuple[str, str], Item] = {}

    def clean_row(self, row: int, data: dict) -> None:
        errors_before = len(self.errors)
        urn = self.urn(row, data)
        year = clean(data.get("Academic year"))
        try:
            check_academic_year(year)
        except ValueError:
            self.error(row, "Academic year", year, "is not an academic year such as 2022-23")
        values = {}
        for column, field in (
            ("Self-evaluation grade", "self_evaluation_grade"),
            ("SEF validated grade", "sef_validated_grade"),
            ("Likely next Ofsted grade", "likely_next_ofsted_grade"),
        ):
            if column in data:
                values[field] = (self.value(row, data, column, parse_grade) or (None, ""))[0]
        if "Finance concern" in data:
            text = clean(data["Finance concern"]).lower()
            if text not in FINANCE:
                self.error(row, "Finance concern", data["Finance concern"], "is not None, Concern, Serious or blank")
            values["finance_concern"] = FINANCE.get(text, "")
        if "Complaints" in data:
            values["complaints"] = self.value(row, data, "Complaints", parse_int)
        if "Outward facing" in data:
            text = clean(data["Outward facing"]).lower()
            if text not in OUTWARD:
                self.error(row, "Outward facing", data["Outward facing"], "is not Fully, Partly, Not engaged or blank")
            values["outward_facing"] = OUTWARD.get(text, "")
        for column, (field, choices, allowed) in CHOICE_COLUMNS.items():
            if column in data:
                text = _key(data[column])
                if text not in choices:
                    self.error(row, column, data[column], f"is not {allowed}")
                values[field] = choices.get(text, "")
        for column, field in YES_NO_COLUMNS.items():
            if column in data:
                values[field] = self.value(row, data, column, parse_yes_no)
        if len(self.errors) > errors_before:
            return
        signature = tuple(sorted((k, str(v)) for k, v in values.items()))
        if self.first_time(row, (urn, year), signature, f"URN {urn} for {year}"):
            self.rows.append((row, urn, year, values))

    def finish(self) -> None:
        self.load_schools({urn for _, urn, _, _ in self.rows})
        for row, urn, year, values in self.rows:
            if urn not in self.schools:
                self.error(row, "URN", urn, "is not a school of this partnership: import it (GIAS or spine) first")
                continue
            self.items[(urn, year)] = Item(row=row, values={**values, "source": self.filename[:200]})

    def apply(self, *, actor) -> None:
        existing = {
            (li.school.urn, li.academic_year): li
            for li in LocalIndicator.objects.for_partnership(self.partnership)
            .filter(school__urn__in={k[0] for k in self.items})
            .select_related("school")
        }

        def make(key, item):
            return LocalIndicator(
                partnership=self.partnership, school=self.schools[key[0]], academic_year=key[1], **item.values
            )

        self.upsert(actor=actor, model=LocalIndicator, label="local", items=self.items, existing=existing, make=make)
