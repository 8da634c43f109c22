"""Importers whose rows describe schools: each row may update a known school or create a new one."""

from ..models import School
from .base import Importer, Item, clean


class SchoolRowsImporter(Importer):
    """Collects one Item per URN; ``update_fields`` says which fields the file is trusted to update."""

    update_fields: tuple[str, ...] = ()
    # True: a known school's fields are only filled where blank, never overwritten
    fill_blanks_only = False

    def start(self) -> None:
        super().start()
        self.school_rows: dict[str, Item] = {}

    def add_school_row(self, row: int, urn: str, values: dict) -> None:
        values = {k: v for k, v in values.items() if v is not None or k in self.nullable_updates}
        values["name"] = clean(values.get("name", ""))[:200]
        signature = tuple(sorted((k, str(v)) for k, v in values.items()))
        if not self.first_time(row, ("school", urn), signature, f"URN {urn}"):
            return
        self.school_rows[urn] = Item(
            row=row,
            values={k: v for k, v in values.items() if k in self.update_fields},
            create_values={k: v for k, v in values.items() if k in self.school_fields},
        )

    nullable_updates: frozenset[str] = frozenset()

    def finish(self) -> None:
        self.load_schools(self.school_rows)
        self.new_schools = {urn: item for urn, item in self.school_rows.items() if urn not in self.schools}

    def apply_schools(self, *, actor) -> None:
        self.create_new_schools(actor=actor)
        known = {}
        for urn, item in self.school_rows.items():
            if urn in self.new_schools:
                continue
            if self.fill_blanks_only:
                school = self.schools[urn]
                item.values = {k: v for k, v in item.values.items() if getattr(school, k) in (None, "")}
            if item.values:
                known[urn] = item
            else:
                self.unchanged["school"] += 1
        self.upsert(
            actor=actor,
            model=School,
            label="school",
            items=known,
            existing=self.schools,
            make=lambda key, item: None,
            exclude=("partnership",),
        )

    def apply(self, *, actor) -> None:
        self.apply_schools(actor=actor)
