"""A condition written as text, for the framework editor: read into the engine's condition tree and back.

    ofsted_grade = 1 and (data_trend = sharp_decline or below_floor = true)
    previous_ofsted_grade in [4, SM, SW]
    not ofsted_category is null

Grammar (``and`` binds tighter than ``or``; brackets group; no Python is ever evaluated)::

    expression  := term ("or" term)*
    term        := factor ("and" factor)*
    factor      := "not" factor | "(" expression ")" | comparison
    comparison  := FACT OP value | FACT ("in" | "not in") "[" value ("," value)* "]"
                 | FACT "is null" | FACT "is given"
    OP          := = == != ≠ < <= ≤ > >= ≥
    value       := a number (65, 65.0, -0.5) | true | false | null | a word (sharp_decline, SM)
                 | a quoted text ("not engaged" or 'not engaged')

``and``/``or`` chains become ``{"all": [...]}``/``{"any": [...]}``; a bracketed group stays its own node,
so ``to_text`` then ``parse`` gives back the same tree. Whether a fact, operator or value is allowed is
the engine's validation, which names the mistake; this module only reads the shape and says where it
cannot.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

OPERATORS = {
    "=": "eq",
    "==": "eq",
    "!=": "ne",
    "≠": "ne",
    "<": "lt",
    "<=": "le",
    "≤": "le",
    ">": "gt",
    ">=": "ge",
    "≥": "ge",
}
SYMBOLS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
KEYWORDS = {"and", "or", "not", "in", "is", "null", "given", "true", "false"}
WORD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op><=|>=|==|!=|[=<>≤≥≠])
  | (?P<punct>[()\[\],])
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
""",
    re.VERBOSE,
)


class ConditionTextError(ValueError):
    """The text is not a condition; the message says where and what was expected."""


def _tokens(text: str) -> list[tuple[str, object, int]]:
    out, pos = [], 0
    while pos < len(text):
        match = TOKEN_RE.match(text, pos)
        if match is None:
            raise ConditionTextError(f"unexpected {text[pos]!r} at character {pos + 1}")
        kind, raw = match.lastgroup, match.group()
        if kind == "number":
            out.append(("value", float(raw) if "." in raw else int(raw), pos))
        elif kind == "string":
            out.append(("value", re.sub(r"\\(.)", r"\1", raw[1:-1]), pos))
        elif kind == "word" and raw.lower() in KEYWORDS:
            out.append(("keyword", raw.lower(), pos))
        elif kind != "space":
            out.append((kind, raw, pos))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self, offset: int = 0):
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else ("end", None, len(self.text))

    def take(self):
        token = self.peek()
        self.i += 1
        return token

    def expect(self, kind: str, value=None, what: str = ""):
        token = self.take()
        if token[0] != kind or (value is not None and token[1] != value):
            raise ConditionTextError(f"expected {what or value or kind} {self.where(token)}")
        return token

    def where(self, token) -> str:
        if token[0] == "end":
            return "at the end"
        shown = json.dumps(token[1]) if isinstance(token[1], str) and token[0] == "value" else token[1]
        return f"at {shown} (character {token[2] + 1})"

    def is_keyword(self, word: str, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token[0] == "keyword" and token[1] == word

    def expression(self) -> dict:
        parts = [self.term()]
        while self.is_keyword("or"):
            self.take()
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else {"any": parts}

    def term(self) -> dict:
        parts = [self.factor()]
        while self.is_keyword("and"):
            self.take()
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else {"all": parts}

    def factor(self) -> dict:
        if self.is_keyword("not") and not self.is_keyword("in", 1):
            self.take()
            return {"not": self.factor()}
        if self.peek()[:2] == ("punct", "("):
            self.take()
            inner = self.expression()
            self.expect("punct", ")", "a closing bracket")
            return inner
        return self.comparison()

    def comparison(self) -> dict:
        token = self.take()
        if token[0] != "word":
            raise ConditionTextError(f"expected a fact name such as ofsted_grade {self.where(token)}")
        fact = token[1]
        nxt = self.peek()
        if nxt[0] == "op":
            self.take()
            return {"fact": fact, "op": OPERATORS[nxt[1]], "value": self.value()}
        if self.is_keyword("in") or (self.is_keyword("not") and self.is_keyword("in", 1)):
            op = "in"
            if self.take()[1] == "not":
                self.take()
                op = "not_in"
            return {"fact": fact, "op": op, "value": self.values()}
        if self.is_keyword("is"):
            self.take()
            word = self.take()
            if word[:2] == ("keyword", "null"):
                return {"fact": fact, "op": "is_null"}
            if word[:2] == ("keyword", "given"):
                return {"fact": fact, "op": "present"}
            raise ConditionTextError(f"expected 'null' or 'given' after '{fact} is' {self.where(word)}")
        raise ConditionTextError(
            f"expected an operator (=, ≠, <, ≤, >, ≥, in, not in, is null, is given) after {fact} {self.where(nxt)}"
        )

    def value(self):
        token = self.take()
        if token[0] == "value":
            return token[1]
        if token[0] == "keyword" and token[1] in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token[1]]
        if token[0] == "word":
            return token[1]
        raise ConditionTextError(f"expected a value {self.where(token)}")

    def values(self) -> list:
        self.expect("punct", "[", "'[' to open the list of values")
        items = [self.value()]
        while self.peek()[:2] == ("punct", ","):
            self.take()
            items.append(self.value())
        self.expect("punct", "]", "',' or ']' to close the list")
        return items

    def parse(self) -> dict:
        if not self.tokens:
            raise ConditionTextError("the condition is empty")
        tree = self.expression()
        if self.peek()[0] != "end":
            raise ConditionTextError(f"expected 'and', 'or' or the end {self.where(self.peek())}")
        return tree


MAX_LENGTH = 5000  # characters: the longest shipped condition is a few hundred


def parse(text: str) -> dict:
    """The condition tree written in text; ConditionTextError says where the text goes wrong."""
    text = text or ""
    if len(text) > MAX_LENGTH:
        raise ConditionTextError(f"the condition is {len(text)} characters long: write it in at most {MAX_LENGTH}")
    try:
        return _Parser(text).parse()
    except RecursionError:
        raise ConditionTextError("the condition nests too deeply: use fewer brackets or 'not's") from None
    except ValueError as exc:  # e.g. a number too long to read
        if isinstance(exc, ConditionTextError):
            raise
        raise ConditionTextError(f"a value cannot be read: {exc}") from None


def value_text(value) -> str:
    """One value as the editor shows it: words bare, other text quoted, numbers as stored."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if WORD_RE.match(value) and value.lower() not in KEYWORDS:
            return value
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, float):
        # Plain decimals, never 1e-05, which the parser does not read.
        return format(Decimal(repr(value)), "f") if "e" in repr(value) else repr(value)
    return repr(value)


def to_text(cond: dict, *, nested: bool = False) -> str:
    """The condition tree as text that ``parse`` reads back into the same tree."""
    for key, joiner in (("all", " and "), ("any", " or ")):
        if key in cond:
            text = joiner.join(to_text(c, nested=True) for c in cond[key])
            return f"({text})" if nested or len(cond[key]) == 1 else text
    if "not" in cond:
        return "not " + to_text(cond["not"], nested=True)
    fact, op = cond["fact"], cond["op"]
    if op == "is_null":
        return f"{fact} is null"
    if op == "present":
        return f"{fact} is given"
    if op in ("in", "not_in"):
        return f"{fact} {'in' if op == 'in' else 'not in'} {value_text(cond.get('value', []))}"
    return f"{fact} {SYMBOLS[op]} {value_text(cond.get('value'))}"
