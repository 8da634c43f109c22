"""Importers for the DfE, GIAS and Ofsted files and the LA's own CSV; one module per kind.

``run_import`` is the one entry point: the command, the upload page and the Celery task all call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from partnership.models import Partnership

from .base import Importer, RowError, RowErrors
from .gias import GiasImporter
from .groups import GroupsImporter
from .ks2 import Ks2Importer
from .ks4 import Ks4Importer
from .links import LinksImporter
from .local import LocalImporter
from .ofsted import OfstedImporter
from .spine import SpineImporter

IMPORTERS: dict[str, type[Importer]] = {
    "gias": GiasImporter,
    "gias-links": LinksImporter,
    "gias-groups": GroupsImporter,
    "spine": SpineImporter,
    "ofsted": OfstedImporter,
    "ks2": Ks2Importer,
    "ks4": Ks4Importer,
    "local": LocalImporter,
}
KIND_CHOICES = [(kind, importer.label[0].upper() + importer.label[1:]) for kind, importer in IMPORTERS.items()]
MAX_ERRORS = 1000


@dataclass
class ImportResult:
    ok: bool
    applied: bool
    summary: dict
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0

    def error_dicts(self) -> list[dict]:
        return [e.as_dict() for e in self.errors]


def run_import(
    *,
    actor,
    partnership: Partnership,
    kind: str,
    data: bytes,
    filename: str,
    year: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Read and check every row; if all are good, apply the changes in one transaction (rolled back
    again for a dry run, which so previews exactly what would change). Nothing changes on any error."""
    if kind not in IMPORTERS:
        raise ValueError(f"Unknown kind {kind!r}: use one of {', '.join(IMPORTERS)}.")
    importer = IMPORTERS[kind](partnership=partnership, year=year, filename=filename)
    importer.read(data, progress=progress)
    if importer.errors:
        return _failed(importer, importer.errors)
    try:
        with transaction.atomic():
            importer.apply(actor=actor)
            if dry_run:
                transaction.set_rollback(True)
    except RowErrors as exc:
        return _failed(importer, exc.errors)
    if progress:
        progress(100)
    summary = importer.summary() | {"dry_run": dry_run}
    return ImportResult(ok=True, applied=not dry_run, summary=summary)


def _failed(importer: Importer, errors: list[RowError]) -> ImportResult:
    errors = sorted(errors, key=lambda e: e.row)
    return ImportResult(
        ok=False,
        applied=False,
        summary=importer.summary() | {"dry_run": True},
        errors=errors[:MAX_ERRORS],
        more_errors=max(0, len(errors) - MAX_ERRORS),
    )


def summary_lines(summary: dict) -> list[str]:
    """The summary as sentences a person reads, for the command's output and the preview page."""
    lines = [
        f"{summary.get('rows', 0)} rows read from {summary.get('file', 'the file')}"
        + (f" ({summary['layout']} layout)" if summary.get("layout") else "")
        + (f" for {summary['year']}" if summary.get("year") else "")
        + "."
    ]
    verb = "would be" if summary.get("dry_run") else "were"
    for label in sorted({*summary.get("created", {}), *summary.get("updated", {}), *summary.get("unchanged", {})}):
        created = summary.get("created", {}).get(label, 0)
        updated = summary.get("updated", {}).get(label, 0)
        unchanged = summary.get("unchanged", {}).get(label, 0)
        if not (created or updated or unchanged):
            continue
        lines.append(f"{label}: {created} {verb} created, {updated} {verb} updated, {unchanged} unchanged.")
    if summary.get("schools_created"):
        urns = summary["schools_created"]
        shown = ", ".join(urns[:20]) + (" …" if len(urns) > 20 else "")
        lines.append(f"{len(urns)} schools not known before {verb} created from the file's own fields: {shown}.")
    for key, text in (
        ("skipped_other_la", "rows of other LAs skipped"),
        ("skipped_not_in_partnership", "rows for URNs that are not schools of this partnership skipped"),
        ("skipped_other", "rows of other kinds skipped (summary rows or groups that are not trusts)"),
        ("duplicates_ignored", "exact duplicate rows ignored"),
    ):
        if summary.get(key):
            lines.append(f"{summary[key]} {text}.")
    lines.extend(summary.get("notes", []))
    return lines
