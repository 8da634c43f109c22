"""The shared machinery of every importer: read, validate every row, then apply all or nothing.

An importer reads the whole file first and collects every problem as a :class:`RowError` (row,
column, value, what is wrong). If there is any, nothing is written. Otherwise ``apply`` makes the
changes with bulk writes inside one transaction and audits each created or changed object.

Row numbers are those a spreadsheet shows: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models

from partnership.audit import audit_record_many, snapshot
from partnership.audit_changes import field_label, shown
from partnership.models import Partnership
from schools.signals import schools_changed

from ..models import SCHOOL_DATA_FIELDS, Grade, Phase, School, SchoolType, out_of_range

# The changes a preview lists row by row; beyond this many it gives their count only.
MAX_LISTED_CHANGES = 1000
CHANGE_WORDS = {
    "school": "School details",
    "inspection": "Inspection",
    "result": "Results",
    "local": "LA data",
    "link": "Link",
    "benchmark": "Benchmark",
}

# DfE codes for values that are suppressed, not published or not applicable: all become NULL.
MISSING_CODES = frozenset(
    {"", "SUPP", "NE", "NA", "NP", "LOWCOV", "NEW", "DNS", "X", "C", "Z", "U", ":", "..", "-", "N/A", "NULL"}
)
MISSING_CODES_TEXT = "SUPP, NE, NA, NP, LOWCOV, NEW, DNS, x, c, z or a blank"

NOTE_FIELDS = frozenset({"source"})
URN_RE = re.compile(r"^\d{5,7}$")
LA_RE = re.compile(r"^\d{3}$")
YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")

GRADE_WORDS = {
    "outstanding": (Grade.OUTSTANDING, ""),
    "good": (Grade.GOOD, ""),
    "requires improvement": (Grade.REQUIRES_IMPROVEMENT, ""),
    "satisfactory": (Grade.REQUIRES_IMPROVEMENT, ""),  # the pre-2012 grade 3
    "inadequate": (Grade.INADEQUATE, ""),
    "serious weaknesses": (Grade.INADEQUATE, "SW"),
    "special measures": (Grade.INADEQUATE, "SM"),
    "1": (Grade.OUTSTANDING, ""),
    "2": (Grade.GOOD, ""),
    "3": (Grade.REQUIRES_IMPROVEMENT, ""),
    "4": (Grade.INADEQUATE, ""),
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the file"
        column = f", column {self.column}" if self.column else ""
        value = f", value {self.value!r}" if self.value != "" else ""
        return f"{where}{column}{value}: {self.message}"


class FileError(Exception):
    """The file as a whole cannot be read as this kind: wrong format, empty, wrong encoding."""


class RowErrors(Exception):
    """Raised inside apply when a late check (full_clean) fails; the transaction rolls back."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} row errors")
        self.errors = errors


@dataclass
class Item:
    """One object the file will create or update: its row, its key and the values to set."""

    row: int
    values: dict
    create_values: dict = field(default_factory=dict)


def decode(data: bytes) -> str:
    if not data or not data.strip():
        raise FileError("The file is empty.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise FileError(
            "The file is not plain CSV text (it looks like UTF-16 or a spreadsheet). "
            "Save it as 'CSV UTF-8 (comma delimited)' and upload it again."
        )
    if data[:4] == b"PK\x03\x04":
        raise FileError("The file is an Excel workbook or a zip file, not a CSV. Save it as CSV and upload it again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # GIAS's own encoding
    except UnicodeDecodeError as exc:
        raise FileError(
            f"The file is neither UTF-8 nor Windows-1252 text (byte {exc.start + 1} cannot be read). "
            "Save it as 'CSV UTF-8' and upload it again."
        ) from exc


def clean(value: str | None) -> str:
    return (value or "").strip()


def is_missing(value: str) -> bool:
    return clean(value).upper() in MISSING_CODES


def parse_decimal(value: str, *, limit: Decimal = Decimal("10000000")) -> Decimal | None:
    """A number as the DfE writes it ("63%", "-0.57", "1,234"), or None for a suppression code."""
    text = clean(value)
    if is_missing(text):
        return None
    number = text.rstrip("%").replace(",", "").strip()
    try:
        result = Decimal(number)
    except InvalidOperation:
        raise ValueError(
            f"is not a number, nor a DfE code for a missing or suppressed value ({MISSING_CODES_TEXT})"
        ) from None
    if not result.is_finite() or abs(result) >= limit:
        raise ValueError("is not a number in the expected range")
    return result.quantize(Decimal("0.01")) if result.as_tuple().exponent < -2 else result


def parse_int(value: str) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise ValueError("is not a whole number of 0 or more")
    return int(number)


def parse_date(value: str) -> date | None:
    text = clean(value)
    if not text:
        return None
    for fmt in ("%Y%m%d", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("is not a date (use YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or YYYYMMDD)")


def parse_grade(value: str) -> tuple[int | None, str]:
    text = clean(value).lower()
    if text in {"", "not applicable", "null", "na", "n/a", "insufficient evidence", "not judged", "no judgement"}:
        return None, ""
    if text not in GRADE_WORDS:
        raise ValueError(
            "is not an Ofsted grade: use 1-4 or Outstanding, Good, Requires improvement, Satisfactory, "
            "Inadequate, Serious weaknesses, Special measures"
        )
    grade, category = GRADE_WORDS[text]
    return int(grade), category


def parse_bool(value: str) -> bool | None:
    text = clean(value).lower()
    if text in {"", "not known", "unknown"}:
        return None
    if text in {"yes", "y", "true", "1", "effective"}:
        return True
    if text in {"no", "n", "false", "0", "not effective", "ineffective"}:
        return False
    raise ValueError("is not yes or no")


def academic_year_from_end(end_year: int) -> str:
    return f"{end_year - 1}-{end_year % 100:02d}"


def check_academic_year(value: str) -> str:
    match = YEAR_RE.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"{value!r} is not an academic year such as 2018-19")
    return value


def phase_from_ages(low: int | None, high: int | None) -> str:
    if high is None:
        return Phase.OTHER
    if high <= 5:
        return Phase.NURSERY
    if high <= 11 or (low is not None and low < 9 and high <= 13):
        return Phase.PRIMARY
    if low is not None and low < 7:
        return Phase.ALL_THROUGH
    if low is not None and low >= 16:
        return Phase.SIXTEEN_PLUS
    return Phase.SECONDARY


def phase_from_gias(phase_name: str, type_name: str, low: int | None, high: int | None) -> str:
    name = phase_name.lower()
    type_name = type_name.lower()
    if "pupil referral" in type_name or "alternative provision" in type_name:
        return Phase.AP
    if "special" in type_name:
        return Phase.SPECIAL
    mapping = {
        "primary": Phase.PRIMARY,
        "middle deemed primary": Phase.MIDDLE,
        "middle deemed secondary": Phase.MIDDLE,
        "secondary": Phase.SECONDARY,
        "all-through": Phase.ALL_THROUGH,
        "nursery": Phase.NURSERY,
        "16 plus": Phase.SIXTEEN_PLUS,
    }
    return mapping.get(name) or phase_from_ages(low, high)


def school_type_from_text(type_name: str) -> str:
    """GIAS TypeOfEstablishment, spine NFTYPE/MINORGROUP or a performance-table NFTYPE code."""
    text = type_name.strip().lower()
    codes = {
        "cy": SchoolType.MAINTAINED,
        "vc": SchoolType.MAINTAINED,
        "va": SchoolType.MAINTAINED,
        "fd": SchoolType.MAINTAINED,
        "ac": SchoolType.ACADEMY,
        "acc": SchoolType.ACADEMY,
        "f": SchoolType.FREE_SCHOOL,
        "cys": SchoolType.SPECIAL,
        "acs": SchoolType.SPECIAL,
        "accs": SchoolType.SPECIAL,
        "fs": SchoolType.SPECIAL,
        "fss": SchoolType.SPECIAL,
        "nmss": SchoolType.SPECIAL,
        "ind": SchoolType.OTHER,
        "indspec": SchoolType.OTHER,
    }
    if text in codes:
        return codes[text]
    if "pupil referral" in text or "alternative provision" in text:
        return SchoolType.AP
    if "special" in text:
        return SchoolType.SPECIAL
    if "free school" in text or text.startswith("free"):
        return SchoolType.FREE_SCHOOL
    if "academy" in text or "academies" in text:
        return SchoolType.ACADEMY
    if any(word in text for word in ("community", "voluntary", "foundation", "maintained")):
        return SchoolType.MAINTAINED
    return SchoolType.OTHER


def age_range(text: str) -> tuple[int | None, int | None]:
    match = re.match(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$", text or "")
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


# No cell of a DfE, Ofsted or GIAS file comes near this; a longer one is a broken file (a stray quote that
# swallows the rest of the file) and is reported with its row and column. Python's csv module would stop at
# its own field limit with an error that names neither, so that limit is raised above the largest upload.
MAX_CELL = 10_000
csv.field_size_limit(max(csv.field_size_limit(), 512 * 1024 * 1024))


class Importer:
    """Subclasses set kind, label and the columns of each layout, and write clean_row and apply."""

    kind = ""
    label = ""
    # layout name -> the columns that identify it (all must be present)
    layouts: dict[str, tuple[str, ...]] = {}
    # the fields a newly created school takes from a row
    school_fields = SCHOOL_DATA_FIELDS
    needs_year = False

    def __init__(self, *, partnership: Partnership, year: str | None = None, filename: str = ""):
        self.partnership = partnership
        self.la_codes = {str(c) for c in partnership.la_codes}
        self.year = year or None
        self.filename = filename
        self.layout = ""
        self.errors: list[RowError] = []
        self.counts: Counter = Counter()
        self.created: Counter = Counter()
        self.updated: Counter = Counter()
        self.unchanged: Counter = Counter()
        self.schools_created: list[str] = []
        self.changes: list[dict] = []  # the first MAX_LISTED_CHANGES, for the preview
        self.changes_total = 0
        self.notes: list[str] = []
        self._seen: dict = {}
        self.schools: dict[str, School] = {}
        self.new_schools: dict[str, Item] = {}

    # ---- reading -------------------------------------------------------------------------
    def error(self, row: int, column: str, value, message: str) -> None:
        self.errors.append(RowError(row=row, column=column, value=clean(str(value)) if value else "", message=message))

    def detect_layout(self, header: list[str]) -> str:
        present = set(header)
        for name, columns in self.layouts.items():
            if all(c in present for c in columns):
                return name
        wanted = " or ".join("(" + ", ".join(cols) + ")" for cols in self.layouts.values())
        guess = guess_kind(header)
        hint = f" It looks like a {guess} file: choose that kind instead." if guess and guess != self.kind else ""
        raise FileError(f"This is not a {self.label} file: its header must have the columns {wanted}.{hint}")

    def read(self, data: bytes, progress: Callable[[int], None] | None = None) -> None:
        """Parse and validate every row; afterwards ``self.errors`` holds every problem found."""
        try:
            text = decode(data)
            reader = csv.reader(io.StringIO(text, newline=""))
            header = [clean(h) for h in next(reader, [])]
            if not any(header):
                raise FileError("The file is empty.")
            self.layout = self.detect_layout(header)
            self.start()
            lines = text.count("\n") or 1
            for number, cells in enumerate(reader, start=2):
                if not any(clean(c) for c in cells):
                    continue
                self.counts["rows"] += 1
                if len(cells) != len(header):
                    self.error(number, "", "", f"has {len(cells)} cells but the header has {len(header)} columns")
                    continue
                long = [(column, cell) for column, cell in zip(header, cells, strict=True) if len(cell) > MAX_CELL]
                for column, cell in long:
                    self.error(
                        number,
                        column,
                        cell[:40] + "...",
                        f"holds {len(cell):,} characters; a cell may hold at most {MAX_CELL:,} "
                        "(a quote mark left open in the file joins the rows after it into one cell)",
                    )
                if long:
                    continue
                self.clean_row(number, dict(zip(header, cells, strict=True)))
                if progress and number % 2000 == 0:
                    progress(min(90, int(90 * number / lines)))
            if not self.counts["rows"]:
                raise FileError("The file has a header but no rows.")
            if self.counts["skipped_other_la"] and not self.counts["rows_our_la"]:
                codes = ", ".join(sorted(self.la_codes)) or "none set"
                raise FileError(
                    f"None of the file's {self.counts['rows']:,} rows is for {self.partnership.name}'s LAs "
                    f"(LA codes {codes}): nothing was imported. Check that it is the file for your LA."
                )
        except FileError as exc:
            self.errors.append(RowError(row=0, column="", value="", message=str(exc)))
            return
        except csv.Error as exc:
            self.errors.append(RowError(row=0, column="", value="", message=f"The file is not valid CSV: {exc}."))
            return
        try:
            self.finish()  # also when rows have errors, so that every problem is reported at once
        except FileError as exc:
            self.errors.append(RowError(row=0, column="", value="", message=str(exc)))

    def start(self) -> None:
        """Called once the layout is known, before the first row."""
        if self.needs_year and not self.year:
            raise FileError("Say which academic year the file is for, for example 2018-19.")

    def clean_row(self, row: int, data: dict) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called after every row is clean: look up what exists, in a few queries."""

    # ---- shared row helpers --------------------------------------------------------------
    def value(self, row: int, data: dict, column: str, parser, label: str | None = None):
        try:
            return parser(data.get(column, ""))
        except ValueError as exc:
            self.error(row, label or column, data.get(column, ""), str(exc))
            return None

    def measure(self, row: int, data: dict, column: str, field: str, parser):
        """A measure's value, refused with its row, column and value when it is outside the measure's range."""
        value = self.value(row, data, column, parser)
        problem = out_of_range(field, value)
        if problem:
            self.error(row, column, data.get(column, ""), problem)
            return None
        return value

    def urn(self, row: int, data: dict, column: str = "URN") -> str | None:
        urn = clean(data.get(column))
        if not URN_RE.match(urn):
            self.error(row, column, urn, "is not a URN: a URN is 5 to 7 digits")
            return None
        return urn

    def la_is_ours(self, row: int, data: dict, column: str) -> bool | None:
        """True for one of the partnership's LAs, False (skipped and counted) for another, None if invalid."""
        code = clean(data.get(column))
        if not LA_RE.match(code):
            self.error(row, column, code, "is not a three-digit DfE LA code")
            return None
        if code not in self.la_codes:
            self.counts["skipped_other_la"] += 1
            return False
        self.counts["rows_our_la"] += 1
        return True

    def first_time(self, row: int, key, signature, what: str) -> bool:
        """False for a repeat of an earlier row: an exact copy is ignored, a conflicting one is an error."""
        if key not in self._seen:
            self._seen[key] = (row, signature)
            return True
        first_row, first_signature = self._seen[key]
        if first_signature == signature:
            self.counts["duplicates_ignored"] += 1
        else:
            self.error(row, "", "", f"repeats {what} of row {first_row} with different values: keep one of the two")
        return False

    def load_schools(self, urns: Iterable[str]) -> None:
        self.schools = {s.urn: s for s in School.objects.for_partnership(self.partnership).filter(urn__in=set(urns))}

    # ---- applying ------------------------------------------------------------------------
    def apply(self, *, actor) -> None:
        raise NotImplementedError

    def create_new_schools(self, *, actor) -> None:
        """Create the schools of the partnership's LAs that a row names but the partnership lacks."""
        missing = {urn: item for urn, item in self.new_schools.items() if urn not in self.schools}
        if not missing:
            return
        objs = [School(partnership=self.partnership, urn=urn, **item.create_values) for urn, item in missing.items()]
        self.full_clean_all(objs, [item.row for item in missing.values()], exclude=["partnership"])
        School.objects.bulk_create(objs, batch_size=500)
        self._ensure_pks(School, objs, "urn", School.objects.for_partnership(self.partnership))
        audit_record_many(
            actor=actor,
            partnership=self.partnership,
            action="school.import_create",
            reason=self.reason(),
            changes=[(s, None, snapshot(s, ("urn", *self.school_fields))) for s in objs],
        )
        schools_changed.send(sender=School, partnership=self.partnership, school_ids=[s.pk for s in objs])
        for school in objs:
            self.schools[school.urn] = school
        self.schools_created = sorted(missing)
        self.created["school"] += len(objs)

    def reason(self) -> str:
        return f"{self.label} import of {self.filename}" + (f" for {self.year}" if self.year else "")

    @staticmethod
    def _ensure_pks(model, objs, key, queryset) -> None:
        if objs and not all(o.pk for o in objs):  # databases that return no keys from bulk inserts
            pks = dict(queryset.filter(**{f"{key}__in": [getattr(o, key) for o in objs]}).values_list(key, "pk"))
            for obj in objs:
                obj.pk = pks[getattr(obj, key)]

    def full_clean_all(self, objs, rows, *, exclude) -> None:
        errors = []
        for obj, row in zip(objs, rows, strict=True):
            try:
                obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    value = getattr(obj, name, "") if name != "__all__" else ""
                    errors.extend(RowError(row, name, str(value or ""), m) for m in messages)
        if errors:
            raise RowErrors(errors)

    def upsert(
        self,
        *,
        actor,
        model: type[models.Model],
        label: str,
        items: dict,
        existing: dict,
        make: Callable[[object, Item], models.Model],
        exclude: tuple[str, ...] = ("partnership", "school"),
    ) -> None:
        """Create what is new, update what differs, leave the rest; audit each change; bulk writes only."""
        to_create, create_rows, updates, update_rows = [], [], [], []
        changed_fields: set[str] = set()
        for key, item in items.items():
            obj = existing.get(key)
            if obj is None:
                to_create.append(make(key, item))
                create_rows.append(item.row)
                continue
            before = {f: getattr(obj, f) for f, v in item.values.items() if getattr(obj, f) != v}
            if not set(before) - NOTE_FIELDS:  # a new source note alone is no change
                self.unchanged[label] += 1
                continue
            for name in before:
                setattr(obj, name, item.values[name])
            changed_fields.update(before)
            updates.append((obj, before, {f: item.values[f] for f in before}))
            update_rows.append(item.row)
        self.full_clean_all(to_create, create_rows, exclude=list(exclude))
        self.full_clean_all([u[0] for u in updates], update_rows, exclude=list(exclude))
        if to_create:
            created = model.objects.bulk_create(to_create, batch_size=500)
            if not all(o.pk for o in created):
                raise RuntimeError("The database did not return the new rows' keys.")
            audit_record_many(
                actor=actor,
                partnership=self.partnership,
                action=f"{label}.import_create",
                reason=self.reason(),
                changes=[(o, None, snapshot(o, items_fields(items))) for o in created],
            )
        if updates:
            model.objects.bulk_update([u[0] for u in updates], sorted(changed_fields), batch_size=500)
            audit_record_many(
                actor=actor,
                partnership=self.partnership,
                action=f"{label}.import_update",
                reason=self.reason(),
                changes=updates,
            )
        self.created[label] += len(to_create)
        self.updated[label] += len(updates)
        self.list_changes(model, label, to_create, updates)

    def list_changes(self, model, label: str, created, updates) -> None:
        """Keep what each row changes, in words, for the preview: the school, what, the field, old and new."""
        object_type = model._meta.label_lower
        by_id = {school.pk: school for school in self.schools.values()}

        def school_of(obj) -> str:
            school = obj if isinstance(obj, School) else by_id.get(getattr(obj, "school_id", None))
            return f"{school.name} ({school.urn})" if school is not None else str(obj)

        def what(obj) -> str:
            year = getattr(obj, "academic_year", "")
            return CHANGE_WORDS.get(label, label.capitalize()) + (f" {year}" if year else "")

        for obj in created:
            if not isinstance(obj, School):  # new schools are listed on their own
                self._change({"school": school_of(obj), "what": what(obj), "added": True})
        for obj, before, after in updates:
            for name in sorted(set(before) - NOTE_FIELDS):
                self._change(
                    {
                        "school": school_of(obj),
                        "what": what(obj),
                        "field": field_label(object_type, name),
                        "old": shown(_plain(before[name]), object_type=object_type, key=name),
                        "new": shown(_plain(after[name]), object_type=object_type, key=name),
                    }
                )

    def _change(self, change: dict) -> None:
        self.changes_total += 1
        if len(self.changes) < MAX_LISTED_CHANGES:
            self.changes.append(change)

    # ---- reporting -----------------------------------------------------------------------
    def summary(self) -> dict:
        return {
            "kind": self.kind,
            "file": self.filename,
            "layout": self.layout,
            "year": self.year or "",
            "rows": self.counts["rows"],
            "skipped_other_la": self.counts["skipped_other_la"],
            "skipped_not_in_partnership": self.counts["skipped_not_in_partnership"],
            "skipped_other": self.counts["skipped_other"],
            "duplicates_ignored": self.counts["duplicates_ignored"],
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "schools_created": self.schools_created,
            "changes": self.changes,
            "changes_total": self.changes_total,
            "notes": self.notes,
        }


def _plain(value):
    """A decimal as a person writes it (50, not 50.00 as the database gives it back)."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


def items_fields(items: dict) -> tuple[str, ...]:
    first = next(iter(items.values()), None)
    return tuple(first.values) if first else ()


def guess_kind(header: list[str]) -> str:
    """Which kind of file a header looks like, to say so when the wrong kind was chosen."""
    present = set(header)
    from . import IMPORTERS  # noqa: PLC0415 (the registry imports this module)

    for kind, importer in IMPORTERS.items():
        if any(all(c in present for c in cols) for cols in importer.layouts.values()):
            return kind
    return ""


def source_line(existing: str, kind: str, filename: str) -> str:
    """The ``source`` note: one "kind: file" line per kind, the newest file replacing an older one."""
    lines = [line for line in (existing or "").splitlines() if line and not line.startswith(f"{kind}:")]
    lines.append(f"{kind}: {filename}"[:300])
    return "\n".join(sorted(lines))
