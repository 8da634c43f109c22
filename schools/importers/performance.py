"""The shared KS2/KS4 performance-tables importer: raw DfE files, the slim 2018/19 cut and the reshaped files.

School rows (RECTYPE 1 and 2) become PerformanceResult rows; LA and England rows become Benchmarks.
Files with an LA column skip other LAs' rows and create the partnership's schools they do not know
yet; files without one (the reshaped and slim national files) can only be matched on URN, so a URN
the partnership does not have is skipped and counted.
"""

import re

from ..models import Benchmark, PerformanceResult, Phase, School, SchoolType
from .base import (
    FileError,
    Item,
    academic_year_from_end,
    age_range,
    check_academic_year,
    clean,
    parse_decimal,
    parse_int,
    phase_from_ages,
    school_type_from_text,
    source_line,
)
from .schools_base import SchoolRowsImporter

ENGLAND = "E92000001"
INT_FIELDS = {"ks2_pupils", "ks4_pupils"}
FILENAME_YEAR = re.compile(r"(20\d\d)-(20\d\d)")


class PerformanceImporter(SchoolRowsImporter):
    # layout -> {measure field: column}; a column absent from the file leaves the field alone
    measures: dict[str, dict[str, str]] = {}
    # RECTYPE -> benchmark level (None: a school row)
    rectypes: dict[str, str | None] = {}
    la_rectype = ""
    update_fields = ()
    layout_la_column = {"raw": "LEA", "slim": "LA_FROM_SPINE_2017_18"}

    def start(self) -> None:
        self.results: dict[tuple[str, str], Item] = {}
        self.benchmarks: dict[tuple[str, str, str], Item] = {}
        self.candidates: dict[tuple[str, str], Item] = {}
        self.deferred: list[tuple[int, dict, str, str]] = []
        self.school_rows = {}
        if self.year:
            self.year = check_year(self.year)
        if self.layout != "reshaped":
            from_name = FILENAME_YEAR.search(self.filename or "")
            named = f"{from_name.group(1)}-{from_name.group(2)[2:]}" if from_name else None
            if named and int(from_name.group(2)) != int(from_name.group(1)) + 1:
                named = None
            if self.year and named and named != self.year:
                raise FileError(f"The file name says {named} but the year given is {self.year}: check which it is.")
            self.year = self.year or named
            if not self.year:
                raise FileError("Say which academic year the file is for, for example 2018-19.")

    def header_columns(self, data: dict) -> dict[str, str]:
        return {f: c for f, c in self.measures[self.layout].items() if c in data}

    def clean_row(self, row: int, data: dict) -> None:
        rectype = clean(data.get("RECTYPE", "1")) if self.layout != "reshaped" else "1"
        if rectype not in self.rectypes:
            if not rectype:
                self.error(row, "RECTYPE", "", "is empty: say which kind of row this is")
            else:
                self.counts["skipped_other"] += 1
            return
        level = self.rectypes[rectype]
        la_column = self.layout_la_column.get(self.layout)
        has_la = la_column in data if la_column else False
        year = self.year
        if self.layout == "reshaped":
            end = clean(data.get("Academic Year"))
            if not re.fullmatch(r"20\d\d", end):
                self.error(row, "Academic Year", end, "is not the year the academic year ends, such as 2019")
                return
            year = academic_year_from_end(int(end))
            if self.year and year != self.year:
                self.error(row, "Academic Year", end, f"is {year}, not the year given ({self.year})")
                return
        if level is not None:
            if level == Benchmark.Level.LA and not self.la_is_ours(row, data, "LEA"):
                return
            errors_before = len(self.errors)
            self.benchmark_row(row, data, level, year, self.measure_values(row, data), errors_before)
            return
        if has_la:
            if not self.la_is_ours(row, data, la_column):
                return
            self.school_result(row, data, year, rectype, create=True)
            return
        # No LA column: only the URN says whose row it is, so validate the rest once schools are known.
        urn = self.urn(row, data)
        if urn is not None:
            self.deferred.append((row, data, year, rectype))

    def measure_values(self, row: int, data: dict) -> dict:
        return {
            field: self.measure(row, data, column, field, parse_int if field in INT_FIELDS else parse_decimal)
            for field, column in self.header_columns(data).items()
        }

    def school_result(self, row: int, data: dict, year: str, rectype: str, *, create: bool) -> None:
        errors_before = len(self.errors)
        urn = self.urn(row, data)
        values = self.measure_values(row, data)
        if urn is None or len(self.errors) > errors_before:
            return
        signature = tuple(sorted((k, str(v)) for k, v in values.items()))
        if not self.first_time(row, ("result", urn, year), signature, f"URN {urn} for {year}"):
            return
        self.candidates[(urn, year)] = Item(row=row, values=values)
        if create:
            self.add_school_row(row, urn, self.school_values(data, rectype))

    def benchmark_row(self, row, data, level, year, values, errors_before) -> None:
        code = clean(data.get("LEA")) if level == Benchmark.Level.LA else ENGLAND
        if len(self.errors) > errors_before:
            return
        key = (level, code, year)
        signature = tuple(sorted((k, str(v)) for k, v in values.items()))
        if self.first_time(row, ("benchmark", *key), signature, f"the {level} row for {year}"):
            self.benchmarks[key] = Item(row=row, values=values)

    def school_values(self, data: dict, rectype: str) -> dict:
        low, high = age_range(data.get("AGERANGE", ""))
        type_text = clean(data.get("NFTYPE")) or clean(data.get("SCHTYPE"))
        special = rectype == "2"
        phase_text = clean(data.get("PHASE")).lower()
        phase = (
            Phase.SPECIAL
            if special
            else (
                Phase.PRIMARY
                if phase_text == "primary"
                else Phase.SECONDARY
                if phase_text == "secondary"
                else phase_from_ages(low, high)
                if high
                else self.default_phase
            )
        )
        return {
            "name": clean(data.get("SCHNAME")),
            "la_code": clean(data.get(self.layout_la_column[self.layout])),
            "establishment_number": clean(data.get("ESTAB"))[:4],
            "phase": phase,
            "school_type": SchoolType.SPECIAL if special else school_type_from_text(type_text),
            "type_detail": type_text[:100],
            "age_low": low,
            "age_high": high,
            "pupils": parse_int_or_none(data.get("TOTPUPS", "")),
            "postcode": clean(data.get("PCODE"))[:10],
        }

    def finish(self) -> None:
        if self.deferred:
            known = set(
                School.objects.for_partnership(self.partnership)
                .filter(urn__in={clean(d["URN"]) for _, d, _, _ in self.deferred})
                .values_list("urn", flat=True)
            )
            for row, data, year, rectype in self.deferred:
                if clean(data["URN"]) in known:
                    self.school_result(row, data, year, rectype, create=False)
                else:
                    self.counts["skipped_not_in_partnership"] += 1
        self.load_schools({urn for urn, _ in self.candidates})
        self.new_schools = {urn: item for urn, item in self.school_rows.items() if urn not in self.schools}
        for (urn, year), item in self.candidates.items():
            self.results[(urn, year)] = item
        if self.deferred and self.counts["skipped_not_in_partnership"] == len(self.deferred) and not self.candidates:
            raise FileError(
                f"None of the file's {len(self.deferred):,} school rows names a school of {self.partnership.name}, "
                "and the file has no LA column to create them from: nothing was imported. Check that it is the "
                "file for your LA, or import the GIAS or spine file first."
            )
        if self.counts["skipped_not_in_partnership"]:
            self.notes.append(
                f"{self.counts['skipped_not_in_partnership']} rows name URNs that are not schools of this partnership "
                "and the file has no LA column to create them from: import the GIAS or spine file first."
            )

    def apply(self, *, actor) -> None:
        self.create_new_schools(actor=actor)
        years = {year for _, year in self.results}
        existing = {
            (r.school.urn, r.academic_year): r
            for r in PerformanceResult.objects.for_partnership(self.partnership)
            .filter(school__urn__in={urn for urn, _ in self.results}, academic_year__in=years)
            .select_related("school")
        }
        for key, item in self.results.items():
            old = existing.get(key)
            item.values["source"] = source_line(old.source if old else "", self.kind, self.filename)

        def make(key, item):
            return PerformanceResult(
                partnership=self.partnership, school=self.schools[key[0]], academic_year=key[1], **item.values
            )

        self.upsert(
            actor=actor, model=PerformanceResult, label="result", items=self.results, existing=existing, make=make
        )
        existing_b = {
            (b.level, b.code, b.academic_year): b
            for b in Benchmark.objects.for_partnership(self.partnership).filter(
                academic_year__in={k[2] for k in self.benchmarks}
            )
        }
        for key, item in self.benchmarks.items():
            old = existing_b.get(key)
            item.values["source"] = source_line(old.source if old else "", self.kind, self.filename)

        def make_b(key, item):
            return Benchmark(
                partnership=self.partnership, level=key[0], code=key[1], academic_year=key[2], **item.values
            )

        self.upsert(
            actor=actor,
            model=Benchmark,
            label="benchmark",
            items=self.benchmarks,
            existing=existing_b,
            make=make_b,
            exclude=("partnership",),
        )

    default_phase = Phase.OTHER


def parse_int_or_none(value: str) -> int | None:
    try:
        return parse_int(value)
    except ValueError:
        return None


def check_year(value: str) -> str:
    try:
        return check_academic_year(value)
    except ValueError as exc:
        raise FileError(str(exc)) from exc
