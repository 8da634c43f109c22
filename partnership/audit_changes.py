"""The audit trail as people read it: action codes as plain words, and an edit as the values it changed.

Pure reads of an ``AuditEvent``'s before and after, no queries. ``audit_changes`` turns them into one
``Change(label, old, new)`` per value that differs: nested dicts are followed key by key, lists of records
(categories, criteria, rows) are matched by their code or id and named by it, and a whole record added or
removed is summarised in a line instead of printed. An app may name how one of its nested values reads
(``register_summary``), as categorisation does for a criterion's condition.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

BLANK = "–"
MAX_CHANGES = 40
MAX_TEXT = 300
# The keys that name a record within a list of records, tried in this order.
IDENTITY_KEYS = ("code", "id", "slug", "key", "urn", "name", "label")
# The keys that say what a record is, for a line that summarises it.
TITLE_KEYS = ("label", "name", "title")

ACTION_LABELS = {
    "partnership.create": "Partnership created",
    "partnership.change": "Partnership settings changed",
    "partnership.pages_edit": "Service pages changed",
    "school.create": "School added",
    "school.change": "School changed",
    "school.update": "School changed",
    "school.import_create": "School added by an import",
    "school.import_update": "School changed by an import",
    "cluster.create": "Cluster added",
    "cluster.change": "Cluster changed",
    "cluster.add_school": "School added to a cluster",
    "inspection.import_create": "Inspection added by an import",
    "inspection.import_update": "Inspection changed by an import",
    "link.import_create": "School link added by an import",
    "link.import_update": "School link changed by an import",
    "result.import_create": "Results added by an import",
    "result.import_update": "Results changed by an import",
    "benchmark.import_create": "Benchmark added by an import",
    "benchmark.import_update": "Benchmark changed by an import",
    "local.create": "LA judgements recorded",
    "local.update": "LA judgements changed",
    "local.import_create": "LA judgements added by an import",
    "local.import_update": "LA judgements changed by an import",
    "import.upload": "Data file uploaded",
    "import.confirm": "Import confirmed",
    "import.apply": "Import applied",
    "membership.add": "Person added",
    "membership.change_role": "Role changed",
    "membership.end": "Membership ended",
    "invitation.create": "Person invited",
    "invitation.accept": "Invitation accepted",
    "invitation.decline": "Invitation declined",
    "memorandum.record": "Memorandum answer recorded",
    "support.start": "Support started",
    "support.end": "Support ended",
    "partner_grant.grant": "Strategic partner given access",
    "partner_grant.end": "Strategic partner access ended",
    "register.add": "Added to the concern register",
    "register.notice": "Warning notice recorded",
    "sharing.drift": "Sharing access corrected",
    "sharing.retention": "Old sharing records removed",
    "sharing_policy.change": "Sharing policy changed",
    "framework.create": "Framework created",
    "framework.edit": "Framework draft saved",
    "framework.publish": "Framework version published",
    "framework.rename": "Framework renamed",
    "categorisation.run.start": "Categorisation run started",
    "categorisation.run.done": "Categorisation run finished",
    "categorisation.run.resume": "Categorisation run resumed",
    "categorisation.run.withdraw": "Categorisation run withdrawn",
    "categorisation.letters.retry": "Letters written again",
    "categorisation.run.confirm": "Categorisation run confirmed",
    "categorisation.run.confirm_start": "Confirming a categorisation run started",
    "categorisation.run.confirm_resume": "Confirming a categorisation run resumed",
    "categorisation.result.confirm": "Category confirmed",
    "categorisation.result.flag": "Disagreement flagged for moderation",
    "categorisation.result.moderate": "Category moderated",
    "categorisation.self_assess": "Self-assessment submitted",
    "categorisation.self_assess.draft": "Self-assessment saved as a draft",
    "categorisation.run.due_date": "Self-assessment due date changed",
    "categorisation.letters.render": "Letters written",
    "categorisation.letters.send": "Letters sent",
    "categorisation.letter_template.change": "Letter wording changed",
    "funding.formula.save": "Allocation formula changed",
    "funding.allocations.lock": "Cluster allocations locked",
    "funding.rate.add": "Rate card charge added",
    "funding.bid.create": "Bid started",
    "funding.bid.edit": "Bid changed",
    "funding.bid.conflict": "Interest in a bid declared",
    "funding.bid.submit": "Bid submitted",
    "funding.bid.withdraw": "Bid withdrawn",
    "funding.bid.return": "Bid returned to its author",
    "funding.bid.endorse": "Bid endorsed by the cluster lead",
    "funding.bid.approve": "Bid approved",
    "funding.bid.part_approve": "Bid approved in part",
    "funding.bid.reject": "Bid rejected",
    "funding.bid.devolve": "Bid's money devolved to the school",
    "funding.bid.report_impact": "Impact report filed",
    "funding.bid.close": "Bid closed",
    "funding.bid.hold_meeting": "Meeting recorded: minimum impact not met",
    "funding.bid.request_repayment": "Repayment requested",
    "funding.bid.record_repaid": "Repayment recorded",
    "funding.bid.write_off": "Repayment written off",
    "funding.policy.save": "Funding rules changed",
    "funding.plan.create": "Cluster plan written",
    "funding.plan.report": "Cluster plan report filed",
    "funding.plan.skip": "Cluster plan report skipped",
}

# How the last part of an unlisted code reads, after the name of its object.
VERB_WORDS = {
    "create": "added",
    "add": "added",
    "change": "changed",
    "update": "changed",
    "edit": "changed",
    "delete": "removed",
    "remove": "removed",
    "end": "ended",
    "start": "started",
    "import_create": "added by an import",
    "import_update": "changed by an import",
}


def humanise(name: str) -> str:
    """``safeguarding_effective`` as "Safeguarding effective"."""
    words = re.sub(r"[_\-.]+", " ", str(name)).strip()
    return words[:1].upper() + words[1:] if words else BLANK


def action_label(code: str) -> str:
    """An action code in plain English: the listed label, else its words ("school.archive": "School archive")."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    *nouns, verb = (code or "").split(".") or [""]
    if nouns and verb in VERB_WORDS:
        return f"{humanise(' '.join(nouns))} {VERB_WORDS[verb]}"
    return humanise(" ".join(part for part in (*nouns, verb) if part)) if code else "Change recorded"


@lru_cache(maxsize=256)
def object_kind_label(object_type: str) -> str:
    """``people.membership`` as "Membership": the model's own name for itself."""
    try:
        return humanise(str(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return humanise(object_type.rpartition(".")[2])


@lru_cache(maxsize=1024)
def field_label(object_type: str, name: str) -> str:
    """A top-level field's label: the model field's verbose name where the model has that field."""
    try:
        field = apps.get_model(object_type)._meta.get_field(name)
        return humanise(str(field.verbose_name))
    except (LookupError, ValueError, FieldDoesNotExist):
        return humanise(name)


@lru_cache(maxsize=1024)
def _field_choices(object_type: str, name: str) -> dict:
    try:
        field = apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return {}
    return {str(value): str(label) for value, label in (getattr(field, "flatchoices", None) or [])}


class Change(NamedTuple):
    label: str
    old: str
    new: str


_SUMMARIES: dict[tuple[str, str], Callable[[object], str]] = {}


def register_summary(*, object_type: str, key: str, summarise: Callable[[object], str]) -> None:
    """Read every value under ``key`` in an ``object_type``'s audit rows as one line, ``summarise(value)``,
    rather than key by key (a criterion's condition tree as "ofsted_grade = 3 and ...")."""
    _SUMMARIES[(object_type, key)] = summarise


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _text(value) -> str:
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _record_name(record: dict) -> str | None:
    for key in IDENTITY_KEYS:
        if isinstance(record.get(key), (str, int)) and not isinstance(record.get(key), bool):
            return str(record[key])
    return None


def _top_shown(value, object_type: str, name: str) -> str:
    """A model field's value: its choice's label where the field has choices."""
    if not isinstance(value, (dict, list)) and value is not None:
        label = _field_choices(object_type, name).get(str(value))
        if label:
            return label
    return shown(value, object_type=object_type, key=name)


def shown(value, *, object_type: str = "", key: str = "") -> str:
    """One value as a short line: yes/no, dates as dates, a list joined, a record by its name and size."""
    summarise = _SUMMARIES.get((object_type, key))
    if summarise is not None and value is not None:
        try:
            return _text(summarise(value))
        except Exception:  # a malformed value in an old row still reads, just less kindly
            pass
    if value is None or value == "" or value == [] or value == {}:
        return BLANK
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        if _DATE_RE.match(value):
            try:
                return dateformat.format(date.fromisoformat(value), "j F Y")
            except ValueError:
                return value
        if _DATETIME_RE.match(value):
            moment = parse_datetime(value)
            if isinstance(moment, datetime):
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return dateformat.format(moment, "j M Y H:i")
        return _text(value)
    if isinstance(value, list):
        if all(isinstance(v, dict) for v in value):
            names = [_record_name(v) for v in value]
            count = f"{len(value)} item{'s' if len(value) != 1 else ''}"
            return _text(f"{count}: {', '.join(names)}" if all(names) else count)
        return _text(", ".join(shown(v, object_type=object_type) for v in value))
    if isinstance(value, dict):
        title = next((str(value[k]) for k in TITLE_KEYS if isinstance(value.get(k), str) and value[k]), None)
        if title is None and len(value) <= 4 and all(not isinstance(v, (dict, list)) for v in value.values()):
            return _text(
                "; ".join(f"{humanise(k)}: {shown(v, object_type=object_type, key=k)}" for k, v in value.items())
            )
        sizes = [
            f"{len(v)} {humanise(k).lower()}"
            for k, v in value.items()
            if isinstance(v, list) and v and all(isinstance(item, dict) for item in v)
        ]
        if title is None:
            return _text(", ".join(sizes) or f"{len(value)} setting{'s' if len(value) != 1 else ''}")
        return _text(f"{title} ({', '.join(sizes)})" if sizes else title)
    return _text(value)


def _records(items: list) -> dict[str, dict] | None:
    """A list of records keyed by their names, if every one has a different name; else None."""
    if not items or not all(isinstance(v, dict) for v in items):
        return None
    names = [_record_name(v) for v in items]
    if not all(names) or len(set(names)) != len(names):
        return None
    return dict(zip(names, items, strict=True))


def _diff(path: tuple[str, ...], key: str, old, new, object_type: str, out: list[Change]) -> None:
    if old == new or (shown(old) == BLANK and shown(new) == BLANK):
        return
    label = " › ".join(path)

    def line(before, after):
        show = _top_shown if len(path) == 1 else lambda v, t, k: shown(v, object_type=t, key=k)
        out.append(Change(label, show(before, object_type, key), show(after, object_type, key)))

    if (object_type, key) in _SUMMARIES:
        line(old, new)
    elif isinstance(old, dict) and isinstance(new, dict):
        for name in dict.fromkeys([*old, *new]):
            _diff((*path, humanise(name)), name, old.get(name), new.get(name), object_type, out)
    elif isinstance(old, list) and isinstance(new, list) and (_records(old) or not old) and (_records(new) or not new):
        before, after = _records(old) or {}, _records(new) or {}
        for name in dict.fromkeys([*before, *after]):
            if name not in after:
                out.append(Change(f"{label} › {name}", shown(before[name], object_type=object_type), "Removed"))
            elif name not in before:
                out.append(Change(f"{label} › {name}", "Added", shown(after[name], object_type=object_type)))
            else:
                _diff((*path, name), name, before[name], after[name], object_type, out)
        kept = [n for n in before if n in after]
        if kept != [n for n in after if n in before]:
            out.append(Change(f"{label} (order)", ", ".join(kept), ", ".join(n for n in after if n in before)))
    elif (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and all(isinstance(v, (dict, list)) for v in [*old, *new])
    ):
        for i, (a, b) in enumerate(zip(old, new, strict=True), start=1):
            _diff((*path, f"{i}"), key, a, b, object_type, out)
    else:
        line(old, new)


def audit_changes(event) -> list[Change]:
    """What an audit row changed, one ``Change(label, old, new)`` per value that differs, at most
    ``MAX_CHANGES`` of them (then one line saying how many more). A creation lists what it was created
    with, nested values summarised; an edit only what differs."""
    before, after = event.before, event.after
    object_type = event.object_type
    out: list[Change] = []
    if not isinstance(before, dict) or not isinstance(after, dict):
        # A creation or removal (or a value that is no record): each field once, summarised.
        for name, value in (after if isinstance(after, dict) else before if isinstance(before, dict) else {}).items():
            text = _top_shown(value, object_type, name)
            if text != BLANK:
                old, new = (BLANK, text) if isinstance(after, dict) else (text, BLANK)
                out.append(Change(field_label(object_type, name), old, new))
    else:
        for name in dict.fromkeys([*before, *after]):
            _diff((field_label(object_type, name),), name, before.get(name), after.get(name), object_type, out)
    if len(out) > MAX_CHANGES:
        more = len(out) - MAX_CHANGES
        out = [*out[:MAX_CHANGES], Change("More", "", f"and {more} more change{'s' if more != 1 else ''}")]
    return out
