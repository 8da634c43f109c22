"""Frameworks as data: validate a framework dict and categorise one school's facts with it.

A framework is an ordered list of categories (most severe or highest precedence first) and a method:

ordered         categories are tried in order; each holds when all (``"combine": "all"``) or any
                (``"combine": "any"``) of its criteria hold; the first that holds wins (Oldham).
best_fit        each category's criteria are indicators; the category with most indicators met wins.
                Ties go to the category listed first (the more severe), and a category needs at least
                one indicator met (Calderdale).
decision_table  ``rows``: ordered conditions each naming a category; the first row that holds wins
                (Milton Keynes).

Any criterion can be ``"limiting": true``: limiting criteria are checked before the method, in
category order, and a true one decides the category alone.

Unknowns are never a silent pass: when an earlier rule or category cannot be ruled out because facts
are missing, a later match is only accepted if every undecided earlier candidate would give the same
category; otherwise the school gets no category and the missing facts are named.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field

from . import conditions
from .conditions import Truth, describe, show_facts
from .derived import DERIVABLE, derive, parameters, validate_parameters
from .facts import FACTS, validate_facts

METHODS = ("ordered", "best_fit", "decision_table")
TOP_KEYS = {"schema", "slug", "name", "description", "source", "notes", "method", "parameters", "categories", "rows"}
CATEGORY_KEYS = {"code", "label", "tib", "register", "combine", "criteria", "description"}
CRITERION_KEYS = {"id", "label", "when", "limiting", "note"}
ROW_KEYS = {"id", "label", "category", "when", "note"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_DEPTH = conditions.MAX_DEPTH
# Lists and objects within one another: a condition MAX_DEPTH levels deep of 'all' is twice that (an
# object and its list per level) under the framework's own five (categories, criteria, the condition).
MAX_NESTING = 2 * MAX_DEPTH + 20


class FrameworkError(ValueError):
    """An invalid framework: ``errors`` holds one message per mistake, each with its path."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("invalid framework: " + "; ".join(errors))


@dataclass
class Result:
    category: str | None
    tib: bool
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # The facts the category was decided on, derived ones included, and each criterion's answer on them
    # (for criteria_met, not the output).
    truth: conditions.Memo | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict:
        return {"category": self.category, "tib": self.tib, "reasons": self.reasons, "missing": self.missing}


# --------------------------------------------------------------------------------------------------
# Validation


def _check_entry(entry, where: str, allowed, noun: str, ids: set, errors: list) -> tuple[bool, str | None]:
    """The checks a criterion and a decision-table row share: an object, only known keys, and an id that
    is unique in the framework. Returns whether it is an object, and its id when it is new."""
    if not isinstance(entry, dict):
        errors.append(f"{where}: must be an object")
        return False, None
    for key in sorted(set(entry) - allowed):
        errors.append(f"{where}: unexpected key {key!r}")
    entry_id = entry.get("id")
    if not isinstance(entry_id, str) or not entry_id:
        errors.append(f"{where}.id: give the {noun} an id")
    elif entry_id in ids:
        errors.append(f"{where}.id: duplicate id {entry_id!r}")
    else:
        ids.add(entry_id)
        return True, entry_id
    return True, None


def _conditions_too_deep(fw: dict) -> list[str]:
    """One message for each criterion's or row's condition deeper than MAX_DEPTH, with its path."""
    errors = []

    def check(entry, where):
        if isinstance(entry, dict) and conditions.condition_depth(entry.get("when")) > MAX_DEPTH:
            conditions.validate(entry["when"], f"{where}.when", errors)

    categories = fw.get("categories")
    for i, cat in enumerate(categories if isinstance(categories, list) else []):
        if isinstance(cat, dict) and isinstance(cat.get("criteria"), list):
            code = f" ({cat['code']})" if isinstance(cat.get("code"), str) and cat["code"].strip() else ""
            for j, crit in enumerate(cat["criteria"]):
                check(crit, f"categories[{i}]{code}.criteria[{j}]")
    rows = fw.get("rows")
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        rid = f" ({row['id']})" if isinstance(row, dict) and isinstance(row.get("id"), str) and row["id"] else ""
        check(row, f"rows[{i}]{rid}")
    return errors


def validate_framework(fw) -> None:
    """Raise FrameworkError naming every mistake: unknown fact or operator, bad value, empty or
    duplicate category, unknown method, and so on."""
    errors: list[str] = []
    if not isinstance(fw, dict):
        raise FrameworkError([f"a framework must be an object, not {type(fw).__name__}"])
    # Depth is checked first and alone, without recursion: every later step (and the audit, the copy, the
    # display) reads the framework recursively. A condition too deep is named; anything else, as a whole.
    too_deep = _conditions_too_deep(fw)
    if too_deep:
        raise FrameworkError(too_deep)
    if conditions.nesting(fw, MAX_NESTING) > MAX_NESTING:
        raise FrameworkError(
            [f"the framework's lists and objects nest more than {MAX_NESTING} levels deep: a framework needs far fewer"]
        )
    for key in sorted(set(fw) - TOP_KEYS):
        errors.append(f"unexpected key {key!r}")
    slug = fw.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        errors.append(f"slug: {slug!r} is not a slug such as 'milton-keynes'")
    if not isinstance(fw.get("name"), str) or not fw.get("name", "").strip():
        errors.append("name: give the framework a name")
    if "notes" in fw and not (isinstance(fw["notes"], list) and all(isinstance(n, str) for n in fw["notes"])):
        errors.append("notes: must be a list of strings")
    method = fw.get("method")
    if method not in METHODS:
        errors.append(f"method: {method!r} is not one of {', '.join(METHODS)}")
    validate_parameters(fw.get("parameters"), errors)

    categories = fw.get("categories")
    codes: list[str] = []
    ids: set[str] = set()
    if not isinstance(categories, list) or not categories:
        errors.append("categories: give at least one category")
        categories = []
    for i, cat in enumerate(categories):
        where = f"categories[{i}]"
        if not isinstance(cat, dict):
            errors.append(f"{where}: must be an object")
            continue
        for key in sorted(set(cat) - CATEGORY_KEYS):
            errors.append(f"{where}: unexpected key {key!r}")
        code = cat.get("code")
        if not isinstance(code, str) or not code.strip():
            errors.append(f"{where}.code: give the category a code")
        elif code in codes:
            errors.append(f"{where}.code: duplicate category code {code!r}")
        else:
            codes.append(code)
            where = f"categories[{i}] ({code})"
        for flag in ("tib", "register"):
            if flag in cat and not isinstance(cat[flag], bool):
                errors.append(f"{where}.{flag}: must be true or false")
        if method == "ordered" and cat.get("combine") not in ("all", "any"):
            errors.append(f"{where}.combine: {cat.get('combine')!r} is not 'all' or 'any' (needed by method ordered)")
        if method != "ordered" and "combine" in cat:
            errors.append(f"{where}.combine: only method 'ordered' combines a category's criteria")
        criteria = cat.get("criteria", [])
        if not isinstance(criteria, list):
            errors.append(f"{where}.criteria: must be a list")
            criteria = []
        if not criteria and method in ("ordered", "best_fit"):
            errors.append(f"{where}: empty category, it has no criteria")
        for j, crit in enumerate(criteria):
            cwhere = f"{where}.criteria[{j}]"
            is_object, _ = _check_entry(crit, cwhere, CRITERION_KEYS, "criterion", ids, errors)
            if not is_object:
                continue
            if not isinstance(crit.get("label"), str) or not crit.get("label"):
                errors.append(f"{cwhere}.label: give the criterion a label")
            if "limiting" in crit and not isinstance(crit["limiting"], bool):
                errors.append(f"{cwhere}.limiting: must be true or false")
            if "when" not in crit:
                errors.append(f"{cwhere}.when: give the criterion a condition")
            else:
                conditions.validate(crit["when"], f"{cwhere}.when", errors)

    if method == "best_fit":
        _check_indicators(categories, errors)
    rows = fw.get("rows")
    if method == "decision_table":
        used_codes = set()
        if not isinstance(rows, list) or not rows:
            errors.append("rows: a decision table needs at least one row")
            rows = []
        for i, row in enumerate(rows):
            where = f"rows[{i}]"
            is_object, rid = _check_entry(row, where, ROW_KEYS, "row", ids, errors)
            if not is_object:
                continue
            if rid is not None:
                where = f"rows[{i}] ({rid})"
            if row.get("category") not in codes:
                errors.append(f"{where}.category: {row.get('category')!r} is not a category code of this framework")
            used_codes.add(row.get("category"))
            if "when" not in row:
                errors.append(f"{where}.when: give the row a condition")
            else:
                conditions.validate(row["when"], f"{where}.when", errors)
        for i, cat in enumerate(categories):
            if (
                isinstance(cat, dict)
                and cat.get("code") in codes
                and cat["code"] not in used_codes
                and not cat.get("criteria")
            ):
                errors.append(f"categories[{i}] ({cat['code']}): empty category, no row or criterion leads to it")
    elif rows is not None:
        errors.append("rows: only method 'decision_table' has rows")
    if errors:
        raise FrameworkError(errors)


def _check_indicators(categories: list, errors: list[str]) -> None:
    """Best fit weighs indicators (criteria that are not limiting): a framework whose every criterion is
    limiting has none to weigh, so each category with criteria says so."""
    listed = [
        (i, cat)
        for i, cat in enumerate(categories)
        if isinstance(cat, dict) and isinstance(cat.get("criteria"), list) and cat["criteria"]
    ]
    crits = [c for _, cat in listed for c in cat["criteria"] if isinstance(c, dict)]
    if not crits or any(not c.get("limiting") for c in crits):
        return
    for i, cat in listed:
        code = cat.get("code")
        where = f"categories[{i}] ({code})" if isinstance(code, str) and code.strip() else f"categories[{i}]"
        errors.append(
            f"{where}.criteria: every criterion is limiting, so best fit has no indicator to weigh: make at "
            "least one criterion of a category an indicator (not limiting), or choose the ordered method"
        )


# --------------------------------------------------------------------------------------------------
# Evaluation


@dataclass
class _Candidate:
    category: str | None
    truth: Truth
    label: str
    reasons: list[str] = field(default_factory=list)


def evaluate(fw: dict, facts: dict, *, validate: bool = True) -> Result:
    """Categorise one school. Raises FrameworkError or FactsError on invalid input."""
    if validate:
        validate_framework(fw)
    validate_facts(facts)
    facts, derivations, gaps = derive(facts, parameters(fw.get("parameters")))
    result = _decide(fw, facts)
    quoted = _quoted(result.reasons, framework_facts(fw))
    result.reasons = result.reasons + _notes(derivations, gaps, quoted, result.missing)
    return result


def _decide(fw: dict, facts: dict) -> Result:
    """The category, TIB flag, reasons and missing facts from facts already derived, without the notes on
    derivations: a function of the values of the facts the framework's conditions read, nothing else."""
    cats = fw["categories"]
    tib = {c["code"]: c.get("tib", False) for c in cats}
    truth = conditions.Memo(facts)

    candidates: list[_Candidate] = []
    for cat in cats:
        for crit in cat.get("criteria", []):
            if crit.get("limiting"):
                t = truth(crit["when"])
                candidates.append(_Candidate(cat["code"], t, f"limiting factor: {crit['label']}"))
    method = fw["method"]
    if method == "ordered":
        candidates += _ordered(cats, truth)
    elif method == "decision_table":
        for row in fw["rows"]:
            t = truth(row["when"])
            candidates.append(_Candidate(row["category"], t, f"row {row['id']} ({row['label']})"))
    else:
        candidates.append(_best_fit(cats, truth))

    result = _resolve(candidates)
    result.tib = bool(result.category and tib.get(result.category))
    result.truth = truth
    return result


# A derivation is shown when its fact is quoted (not merely a longer name ending in it, e.g.
# permanent_exclusions): one pattern per fact a derivation can give.
_QUOTES = {name: re.compile(rf"(?<!\w){re.escape(name)}=") for name in DERIVABLE}


def _quoted(reasons: list[str], reads) -> frozenset[str]:
    """The derivable facts the framework reads whose values the reasons quote (a criterion's label that
    happens to contain "below_floor=" does not make a note of a measure the framework never reads)."""
    shown = " ".join(reasons)
    return frozenset(name for name, pattern in _QUOTES.items() if name in reads and pattern.search(shown))


def _notes(derivations: list[str], gaps: dict[str, set[str]], quoted: frozenset[str], missing: list[str]) -> list[str]:
    """How each quoted fact was derived, and for each missing fact that could not be derived, what would
    let it be."""
    notes = [d for d in derivations if d.split(" ", 1)[0] in quoted]
    for name in sorted(set(missing) & set(gaps)):
        inputs = ", ".join(sorted(gaps[name] - {name}))
        if inputs:
            notes.append(f"{name} is missing and could not be derived: give it, or give {inputs}")
    return notes


_ABSENT = object()


def _key_part(value):
    # Equal values of different types answer differently (1 is not true; 1 and 1.0 print differently),
    # and -0.0 == 0.0 prints as "-0": the type, and a float's sign, are part of the key.
    kind = type(value)
    if kind is float:
        return kind, value, math.copysign(1.0, value)
    return kind, value


class Categoriser:
    """One framework prepared for categorising many schools, giving exactly what ``evaluate`` gives.

    Its parameters are merged and the facts its conditions read are worked out once; for each school only
    the derived facts it reads are computed, and each distinct combination of the values it reads is
    decided once (a decision depends on nothing else), so a partnership's schools that share their
    grades, trend and floor share one decision. The notes on derivations quote each school's own data and
    are made per school."""

    def __init__(self, fw: dict, *, validate: bool = True):
        if validate:
            validate_framework(fw)
        self.fw = fw
        self.params = parameters(fw.get("parameters"))
        self.reads = tuple(sorted(framework_facts(fw)))
        self._decided: dict[tuple, tuple[Result, list[dict], frozenset[str]]] = {}

    @classmethod
    def shared(cls, fw: dict) -> Categoriser:
        """The categoriser of this framework's definition, kept for the process's later runs of the same
        definition (every partnership using a shipped framework unchanged shares one). The framework is
        not validated here: give only a validated (e.g. published) one."""
        return _shared(json.dumps(fw, sort_keys=True))

    @staticmethod
    def forget_shared() -> None:
        """Drop the kept categoriser of every definition, and their decisions (for measuring a cold run)."""
        _shared.cache_clear()

    def evaluate(self, facts: dict) -> Result:
        return self.explain(facts)[0]

    def explain(self, facts: dict) -> tuple[Result, list[dict]]:
        """The school's result, and the criteria it meets (``criteria_met``). Raises FactsError on
        invalid facts. The criteria are shared with other schools: read them, do not change them."""
        from .explain import criteria_met

        validate_facts(facts)
        derived, derivations, gaps = derive(facts, self.params, only=self.reads)
        try:
            key = tuple(_key_part(derived.get(name, _ABSENT)) for name in self.reads)
            entry = self._decided.get(key)
        except TypeError:  # an unhashable value: decide this school on its own
            key, entry = None, None
        if entry is None:
            decided = _decide(self.fw, derived)
            met = criteria_met(self.fw, derived, truth=decided.truth)
            decided.truth = None  # the first school's answers: not for others to read
            entry = (decided, met, _quoted(decided.reasons, self.reads))
            if key is not None and len(self._decided) < MAX_DECISIONS:
                self._decided[key] = entry
        decided, met, quoted = entry
        result = Result(
            decided.category,
            decided.tib,
            decided.reasons + _notes(derivations, gaps, quoted, decided.missing),
            list(decided.missing),
        )
        return result, met


# Decisions a categoriser keeps (each two to five kilobytes): well above the distinct combinations of Milton
# Keynes' facts across England (under a thousand); Calderdale and Oldham, which read more facts, and a
# framework that tests raw numbers have more, and past this bound decide the rest anew. A process keeps the
# categorisers of four definitions: some 80 MB at most.
MAX_DECISIONS = 4_000


@functools.lru_cache(maxsize=4)
def _shared(definition: str) -> Categoriser:
    return Categoriser(json.loads(definition), validate=False)


def framework_facts(fw: dict) -> set[str]:
    """Every fact the framework's criteria and rows test."""
    whens = [crit["when"] for cat in fw["categories"] for crit in cat.get("criteria", [])]
    whens += [row["when"] for row in fw.get("rows") or []]
    return set().union(*(conditions.facts_in(when) for when in whens))


def _ordered(cats: list[dict], truth: conditions.Memo) -> list[_Candidate]:
    out = []
    for cat in cats:
        crits = [c for c in cat.get("criteria", []) if not c.get("limiting")]
        if not crits:
            continue
        code = cat["code"]
        truths = [(c, truth(c["when"])) for c in crits]
        decisive = cat["combine"] == "any"
        whole = conditions._combine([t for _, t in truths], decisive=decisive)
        label = f"{'any' if decisive else 'all'} of its {len(crits)} criteria"
        if whole.value is True:
            shown = [(c, t) for c, t in truths if t.value is True]
            reasons = [
                f"{code}: all of its {len(crits)} criteria hold"
                if not decisive
                else f"{code}: {len(shown)} of its {len(crits)} criteria hold (any one is enough)"
            ]
            reasons += [f"{code}: {c['label']} ({show_facts(t.used)})" for c, t in shown]
        elif whole.value is False:
            if decisive:
                reasons = [f"not {code}: none of its {len(crits)} criteria hold"]
            else:
                reasons = [
                    f"not {code}: {c['label']} fails ({show_facts(t.used)})" for c, t in truths if t.value is False
                ]
        else:
            reasons = [
                f"{code}: {c['label']} is unknown without {', '.join(sorted(t.missing))}"
                for c, t in truths
                if t.value is None
            ]
        out.append(_Candidate(code, whole, label, reasons))
    return out


def _best_fit(cats: list[dict], truth: conditions.Memo) -> _Candidate:
    tallies = []
    for cat in cats:
        indicators = [c for c in cat.get("criteria", []) if not c.get("limiting")]
        if not indicators:
            continue
        truths = [(c, truth(c["when"])) for c in indicators]
        met = [(c, t) for c, t in truths if t.value is True]
        unknown = [(c, t) for c, t in truths if t.value is None]
        tallies.append((cat["code"], len(met), len(met) + len(unknown), len(indicators), met, unknown))
    if not tallies:  # validation refuses this; a stored definition from before it answers, not crashes
        return _Candidate(None, Truth(False, {}), "best fit", ["best fit: no category has an indicator to weigh"])
    summary = (
        "best fit: "
        + ", ".join(
            f"{code} {lo} of {n}" + (f" (up to {hi} with missing facts)" if hi > lo else "")
            for code, lo, hi, n, _, _ in tallies
        )
        + " indicators met"
    )
    used = {}
    for *_, met, _unknown in tallies:
        for _, t in met:
            used.update(t.used)
    # The winner on what is known: most indicators met, ties to the earlier (more severe) category.
    best = max(range(len(tallies)), key=lambda i: (tallies[i][1], -i))
    code, lo = tallies[best][0], tallies[best][1]
    beaten = all(lo > other[2] or (lo == other[2] and best < i) for i, other in enumerate(tallies) if i != best)
    if lo > 0 and beaten:
        reasons = [summary]
        if any(lo == other[1] for i, other in enumerate(tallies) if i != best):
            reasons.append(f"tie on indicators met, broken towards the more severe category {code}")
        reasons += [f"{code}: {c['label']} ({show_facts(t.used)})" for c, t in tallies[best][4]]
        return _Candidate(code, Truth(True, used), f"best fit {code}", reasons)
    if all(hi == 0 for _, _, hi, *_ in tallies):
        return _Candidate(None, Truth(False, used), "best fit", [summary + ": no indicator met in any category"])
    missing = set()
    for *_, unknown in tallies:
        for _, t in unknown:
            missing |= t.missing
    return _Candidate(
        None, Truth(None, used, missing), "best fit", [summary + ": the best fit depends on the missing facts"]
    )


def _resolve(candidates: list[_Candidate]) -> Result:
    pending: list[_Candidate] = []
    for index, cand in enumerate(candidates):
        if cand.truth.value is True:
            if all(p.category == cand.category for p in pending):
                reasons = []
                for c in candidates[:index]:
                    if c.truth.value is False and c.reasons:
                        reasons += c.reasons  # why earlier categories were ruled out (ordered method)
                reasons += cand.reasons or [f"{cand.category}: {cand.label} ({show_facts(cand.truth.used)})"]
                return Result(cand.category, False, reasons, [])
            return _undecided(pending, also=cand)
        if cand.truth.value is None:
            pending.append(cand)
    if pending:
        return _undecided(pending)
    used = {}
    for c in candidates:
        used.update(c.truth.used)
    reasons = [f"no rule matched, for an officer to decide ({show_facts(used)})"]
    for c in candidates:
        reasons += c.reasons
    return Result(None, False, reasons, [])


def _undecided(pending: list[_Candidate], also: _Candidate | None = None) -> Result:
    missing = sorted(set().union(*(p.truth.missing for p in pending)))
    reasons = [f"cannot be decided, for an officer to complete or decide: missing {', '.join(missing)}"]
    for p in pending:
        what = f"{p.label}, giving {p.category}," if p.category else "the best fit"
        reasons.append(f"{what} cannot be ruled in or out without {', '.join(sorted(p.truth.missing))}")
        reasons += p.reasons
    if also is not None:
        reasons.append(f"{also.label}, giving {also.category}, holds, but an earlier rule might take precedence")
    return Result(None, False, reasons, missing)


def describe_framework(fw: dict) -> list[str]:
    """One line per rule, for documentation and review screens."""
    lines = []
    for cat in fw["categories"]:
        for crit in cat.get("criteria", []):
            tag = "limiting " if crit.get("limiting") else ""
            lines.append(f"{cat['code']} {tag}{crit['id']}: {describe(crit['when'])}")
    for row in fw.get("rows", []):
        lines.append(f"{row['category']} {row['id']}: {describe(row['when'])}")
    return lines


__all__ = [
    "FACTS",
    "Categoriser",
    "FrameworkError",
    "Result",
    "describe_framework",
    "evaluate",
    "framework_facts",
    "validate_framework",
]
