"""The condition language: a JSON tree evaluated with three-valued logic.

A condition is one of
  {"fact": NAME, "op": OP, "value": V}   OP in eq, ne, lt, le, gt, ge, in, not_in
  {"fact": NAME, "op": "is_null"}          the fact is known and null (only nullable facts)
  {"fact": NAME, "op": "present"}          the fact is known; never unknown itself
  {"all": [C, ...]}  {"any": [C, ...]}  {"not": C}

A comparison whose fact is missing is unknown, and carries the fact's name. ``any`` holds when one
child holds, whatever else is missing; ``all`` fails when one child fails, whatever else is missing;
otherwise an unknown child makes the whole unknown, with every missing name carried up.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

from .facts import FACTS, known

COMPARISONS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
ORDERING = {"lt", "le", "gt", "ge"}
MEMBERSHIP = {"in", "not_in"}
UNARY = {"is_null", "present"}
OPERATORS = set(COMPARISONS) | MEMBERSHIP | UNARY
SYMBOLS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "in": "in", "not_in": "not in"}


@dataclass(slots=True)
class Truth:
    """A three-valued answer: value True, False or None (unknown), the facts read, the facts missing."""

    value: bool | None
    used: dict = field(default_factory=dict)
    missing: set = field(default_factory=set)


def evaluate(cond: dict, facts: dict) -> Truth:
    if "all" in cond:
        return _combine([evaluate(c, facts) for c in cond["all"]], decisive=False)
    if "any" in cond:
        return _combine([evaluate(c, facts) for c in cond["any"]], decisive=True)
    if "not" in cond:
        inner = evaluate(cond["not"], facts)
        return Truth(None if inner.value is None else not inner.value, inner.used, inner.missing)
    name, op = cond["fact"], cond["op"]
    if op == "present":
        return Truth(known(facts, name), {name: facts.get(name)} if known(facts, name) else {})
    if not known(facts, name):
        return Truth(None, {}, {name})
    value = facts[name]
    used = {name: value}
    if op == "is_null":
        return Truth(value is None, used)
    target = cond["value"]
    if op in MEMBERSHIP:
        inside = any(value == t and type(value) is type(t) for t in target) if value is not None else None in target
        return Truth(inside if op == "in" else not inside, used)
    if value is None or target is None:
        # Only nullable facts reach here with None: null equals only null and is never ordered.
        return Truth({"eq": value is target, "ne": value is not target}.get(op, False), used)
    if op in ORDERING and (isinstance(value, str) or isinstance(target, str)):
        return Truth(False, used)
    return Truth(bool(COMPARISONS[op](value, target)), used)


def compile_condition(cond: dict):
    """The condition as a function of the facts giving what ``evaluate`` gives, with the tree walked once
    here rather than at every school (for a condition asked of many schools, such as a floor standard)."""
    if "all" in cond or "any" in cond:
        decisive = "any" in cond
        parts = [compile_condition(c) for c in cond["any" if decisive else "all"]]
        return lambda facts: _combine([part(facts) for part in parts], decisive=decisive)
    if "not" in cond:
        inner = compile_condition(cond["not"])

        def negation(facts):
            t = inner(facts)
            return Truth(None if t.value is None else not t.value, t.used, t.missing)

        return negation
    name, op = cond["fact"], cond["op"]
    if (
        op in ORDERING
        and isinstance(cond.get("value"), (int, float))
        and not isinstance(cond["value"], bool)
        and not FACTS[name].nullable
    ):
        # The common leaf, a number compared with a number: checked directly; anything else as evaluate does.
        compare, target = COMPARISONS[op], cond["value"]

        def ordered(facts):
            value = facts.get(name)
            if value is None or isinstance(value, (str, bool)):
                return evaluate(cond, facts)
            return Truth(bool(compare(value, target)), {name: value})

        return ordered
    return lambda facts: evaluate(cond, facts)


class Memo:
    """One school's conditions, each answered once: a framework's evaluation and the list of criteria met
    ask about the same criteria, on the same facts. Keyed by the condition object itself."""

    def __init__(self, facts: dict):
        self.facts = facts
        self._answers: dict[int, tuple[dict, Truth]] = {}

    def __call__(self, cond: dict) -> Truth:
        hit = self._answers.get(id(cond))
        if hit is not None and hit[0] is cond:
            return hit[1]
        truth = evaluate(cond, self.facts)
        self._answers[id(cond)] = (cond, truth)
        return truth


def _combine(parts: list[Truth], *, decisive: bool) -> Truth:
    """any (decisive=True) or all (decisive=False) of parts."""
    hits = [p for p in parts if p.value is decisive]
    if hits:
        used = {}
        for p in hits:
            used.update(p.used)
        return Truth(decisive, used)
    unknown = [p for p in parts if p.value is None]
    used = {}
    for p in parts:
        used.update(p.used)
    if unknown:
        missing = set().union(*(p.missing for p in unknown))
        return Truth(None, used, missing)
    return Truth(not decisive, used)


def describe(cond: dict) -> str:
    """A short human reading of a condition, for reasons and documentation."""
    if "all" in cond:
        return "(" + " and ".join(describe(c) for c in cond["all"]) + ")"
    if "any" in cond:
        return "(" + " or ".join(describe(c) for c in cond["any"]) + ")"
    if "not" in cond:
        return "not " + describe(cond["not"])
    name, op = cond["fact"], cond["op"]
    if op == "is_null":
        return f"{name} is null"
    if op == "present":
        return f"{name} is given"
    return f"{name} {SYMBOLS[op]} {_show(cond['value'])}"


def _show(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)


def show_facts(used: dict) -> str:
    return ", ".join(f"{k}={_show(v)}" for k, v in used.items())


def facts_in(cond: dict) -> set[str]:
    if "all" in cond or "any" in cond:
        return set().union(*(facts_in(c) for c in cond.get("all", cond.get("any"))))
    if "not" in cond:
        return facts_in(cond["not"])
    return {cond["fact"]}


MAX_DEPTH = 50  # levels of all, any and not: the deepest shipped condition has four


def nesting(value, limit: int) -> int:
    """How deeply lists and objects nest in a JSON value (a bare value is 0), counted without recursion and
    no further than ``limit + 1``: a value too deep for a recursive reader is measured safely."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        if depth > limit:
            return depth
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def condition_depth(cond, limit: int = MAX_DEPTH) -> int:
    """How many levels of all, any and not a condition tree has, counted without recursion up to ``limit + 1``."""
    deepest, stack = 0, [(cond, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > limit or not isinstance(item, dict):
            continue
        if isinstance(item.get("not"), dict):
            stack.append((item["not"], depth + 1))
        for key in ("all", "any"):
            if isinstance(item.get(key), list):
                stack.extend((child, depth + 1) for child in item[key])
    return deepest


def validate(cond, path: str, errors: list[str]) -> None:
    """Append to errors one precise message per mistake in the condition tree at path. A tree deeper than
    MAX_DEPTH is one mistake, found before the tree is walked."""
    if condition_depth(cond) > MAX_DEPTH:
        errors.append(
            f"{path}: the condition nests more than {MAX_DEPTH} levels deep (of 'all', 'any' and 'not'): "
            "write it with fewer levels"
        )
        return
    _validate(cond, path, errors)


def _validate(cond, path: str, errors: list[str]) -> None:
    if not isinstance(cond, dict):
        errors.append(f"{path}: a condition must be an object, not {type(cond).__name__}")
        return
    combinators = [k for k in ("all", "any", "not") if k in cond]
    if combinators:
        key = combinators[0]
        extra = set(cond) - {key}
        if extra:
            errors.append(f"{path}: {key!r} cannot be combined with {sorted(extra)}")
        if key == "not":
            _validate(cond["not"], f"{path}.not", errors)
            return
        children = cond[key]
        if not isinstance(children, list) or not children:
            errors.append(f"{path}.{key}: must be a non-empty list of conditions")
            return
        for i, child in enumerate(children):
            _validate(child, f"{path}.{key}[{i}]", errors)
        return
    if "fact" not in cond or "op" not in cond:
        errors.append(f"{path}: a condition needs 'fact' and 'op', or one of 'all', 'any', 'not'")
        return
    extra = set(cond) - {"fact", "op", "value"}
    if extra:
        errors.append(f"{path}: unexpected keys {sorted(extra)}")
    name, op = cond["fact"], cond["op"]
    spec = FACTS.get(name) if isinstance(name, str) else None
    if spec is None:
        errors.append(f"{path}: unknown fact {name!r}")
    if op not in OPERATORS:
        errors.append(f"{path}: unknown operator {op!r} (use one of {', '.join(sorted(OPERATORS))})")
        return
    if op in UNARY:
        if "value" in cond:
            errors.append(f"{path}: operator {op!r} takes no value")
        if op == "is_null" and spec is not None and not spec.nullable:
            errors.append(f"{path}: {name} is never null when known; test it with 'present' instead")
        return
    if "value" not in cond:
        errors.append(f"{path}: operator {op!r} needs a value")
        return
    if spec is None:
        return
    value = cond["value"]
    if spec.kind == "series":
        errors.append(f"{path}: {name} is a yearly history; conditions test the facts derived from it")
        return
    if op in ORDERING and not spec.ordered:
        errors.append(f"{path}: operator {op!r} needs a numeric fact; {name} is {spec.describe_allowed()}")
        return
    if op in MEMBERSHIP:
        if not isinstance(value, list) or not value:
            errors.append(f"{path}: operator {op!r} needs a non-empty list, not {value!r}")
            return
        values = value
    else:
        if isinstance(value, list):
            errors.append(f"{path}: operator {op!r} needs a single value, not a list (use 'in')")
            return
        values = [value]
    for v in values:
        if v is None and not spec.nullable:
            errors.append(f"{path}: {name} is never null when known; test it with 'present' instead")
        elif v is not None and (problem := spec.check(v)):
            errors.append(f"{path}: bad value for {name}: {problem}")
