"""The fact vocabulary: every name a framework may test and a facts file may give.

Each fact has a kind (int, number, bool, enum, list of numbers), its allowed values, whether null is a
meaningful value of its own (``nullable``), and whether it is derived from other facts when absent.
Documented for users in ``categorisation/FACTS.md``; keep the two in step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

GRADES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str  # "int", "number", "bool", "enum", "series"
    description: str
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False
    derived: bool = False
    group: str = "given"
    extra: dict = field(default_factory=dict)

    @property
    def ordered(self) -> bool:
        """Facts whose values can be compared with lt/le/gt/ge."""
        return self.kind in ("int", "number")

    def describe_allowed(self) -> str:
        if self.kind == "bool":
            return "true or false"
        if self.kind == "enum":
            text = ", ".join(repr(c) if isinstance(c, str) else str(c) for c in self.choices)
            return f"one of {text}" + (" or null" if self.nullable else "")
        if self.kind == "series":
            return "a list of numbers (or nulls), oldest year first"
        low = "" if self.minimum is None else f"from {self.minimum:g}"
        high = "" if self.maximum is None else f"to {self.maximum:g}"
        what = "a whole number" if self.kind == "int" else "a number"
        return " ".join(p for p in (what, low, high) if p)

    def check(self, value) -> str | None:
        """None if value is allowed for this fact, else a message saying why not."""
        if value is None:
            return None
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"{value!r} is not {self.describe_allowed()}"
        if self.kind == "enum":
            ok = any(value == c and type(value) is type(c) for c in self.choices)
            return None if ok else f"{value!r} is not {self.describe_allowed()}"
        if self.kind == "series":
            if not isinstance(value, list):
                return f"{value!r} is not {self.describe_allowed()}"
            for item in value:
                if item is not None and not _is_number(item):
                    return f"{item!r} in the list is not a number"
            return None
        if not _is_number(value) or (self.kind == "int" and not isinstance(value, int)):
            return f"{value!r} is not {self.describe_allowed()}"
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            return f"{value!r} is not {self.describe_allowed()}"
        return None


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _grade(name: str, description: str, **kw) -> Fact:
    return Fact(name, "enum", description, choices=GRADES, **kw)


def _measure(name: str, description: str, choices: tuple) -> Fact:
    return Fact(
        name,
        "enum",
        description + " Derived from the data when absent.",
        choices=choices,
        derived=True,
        group="derived",
    )


def _judgement(name: str, description: str, choices: tuple) -> Fact:
    return Fact(name, "enum", description, choices=choices, group="judgement")


_FACTS = [
    # Inspection and school
    Fact(
        "phase",
        "enum",
        "School phase; decides which floor standard applies.",
        choices=("primary", "secondary", "special", "alternative_provision", "nursery"),
    ),
    _grade("ofsted_grade", "Current Ofsted overall effectiveness: 1 outstanding, 2 good, 3 RI, 4 inadequate."),
    _grade("ofsted_leadership_grade", "Leadership and management grade at the current inspection (1-4)."),
    Fact(
        "previous_ofsted_grade",
        "enum",
        'The judgement before the current one: 1-4, or "SM"/"SW".',
        choices=(*GRADES, "SM", "SW"),
    ),
    _grade("previous_ofsted_leadership_grade", "Leadership grade at the previous inspection (1-4)."),
    Fact(
        "ofsted_category",
        "enum",
        'Ofsted category of concern now: "SM", "SW" or null for none.',
        choices=("SM", "SW"),
        nullable=True,
    ),
    Fact(
        "consecutive_ri",
        "int",
        "How many consecutive inspections up to now judged RI (0 if the last was not RI).",
        minimum=0,
        maximum=20,
    ),
    Fact("safeguarding_effective", "bool", "Safeguarding effective / meets statutory requirements."),
    _grade("sef_validated_grade", "The grade the school's self-evaluation (SEF) claims, as validated by the LA."),
    _grade("likely_next_ofsted_grade", "The LA's evidence-based view of the likely next Ofsted grade (1-4)."),
    Fact(
        "recent_s8_with_priorities",
        "bool",
        "Recently inspected under section 8 with priorities for improvement and a section 5 proposed.",
    ),
    # Performance data
    Fact(
        "data_trend",
        "enum",
        "Three-year data trend; derived from the phase's history when absent.",
        choices=("improving", "consistent", "inconsistent", "small_decline", "declining", "sharp_decline"),
        derived=True,
        group="derived",
    ),
    Fact(
        "below_floor",
        "bool",
        "Below the floor standard; derived from the phase's measures when absent.",
        derived=True,
        group="derived",
    ),
    Fact(
        "coasting",
        "bool",
        "Coasting over three years; derived from the yearly histories when absent.",
        derived=True,
        group="derived",
    ),
    Fact(
        "ks2_rwm_expected_pct",
        "number",
        "KS2 % of pupils meeting the expected standard in RWM combined.",
        minimum=0,
        maximum=100,
        group="data",
    ),
    Fact("ks2_progress_reading", "number", "KS2 progress score, reading.", minimum=-40, maximum=40, group="data"),
    Fact("ks2_progress_writing", "number", "KS2 progress score, writing.", minimum=-40, maximum=40, group="data"),
    Fact("ks2_progress_maths", "number", "KS2 progress score, maths.", minimum=-40, maximum=40, group="data"),
    Fact("p8", "number", "KS4 Progress 8 score.", minimum=-10, maximum=10, group="data"),
    Fact(
        "p8_ci_upper",
        "number",
        "Upper bound of the Progress 8 95% confidence interval.",
        minimum=-10,
        maximum=10,
        group="data",
    ),
    Fact(
        "p8_ci_lower",
        "number",
        "Lower bound of the Progress 8 95% confidence interval.",
        minimum=-10,
        maximum=10,
        group="data",
    ),
    Fact("attainment8", "number", "KS4 Attainment 8 score.", minimum=0, maximum=90, group="data"),
    Fact(
        "eyfs_gld_pct", "number", "EYFS % reaching a good level of development.", minimum=0, maximum=100, group="data"
    ),
    Fact("attendance_pct", "number", "Overall attendance %.", minimum=0, maximum=100, group="data"),
    Fact("persistent_absence_pct", "number", "Persistent absence %.", minimum=0, maximum=100, group="data"),
    Fact("suspensions_rate", "number", "Suspensions per 100 pupils.", minimum=0, group="data"),
    Fact("permanent_exclusions", "int", "Permanent exclusions in the year.", minimum=0, group="data"),
    # England (state-funded) figures for the same year: the inputs of the *_vs_national derived facts
    Fact(
        "national_ks2_rwm_expected_pct",
        "number",
        "England KS2 % meeting the expected standard in RWM, same year.",
        minimum=0,
        maximum=100,
        group="national",
    ),
    Fact(
        "national_attainment8",
        "number",
        "England average Attainment 8 score, same year.",
        minimum=0,
        maximum=90,
        group="national",
    ),
    Fact(
        "national_attendance_pct",
        "number",
        "England overall attendance %, same year.",
        minimum=0,
        maximum=100,
        group="national",
    ),
    Fact(
        "national_persistent_absence_pct",
        "number",
        "England persistent absence %, same year.",
        minimum=0,
        maximum=100,
        group="national",
    ),
    Fact(
        "national_suspensions_rate",
        "number",
        "England suspensions per 100 pupils, same year.",
        minimum=0,
        group="national",
    ),
    # Yearly histories, oldest first: the inputs of data_trend and coasting
    Fact("ks2_rwm_expected_pct_history", "series", "KS2 RWM expected % by year, oldest first.", group="history"),
    Fact("ks2_progress_reading_history", "series", "KS2 reading progress by year, oldest first.", group="history"),
    Fact("ks2_progress_writing_history", "series", "KS2 writing progress by year, oldest first.", group="history"),
    Fact("ks2_progress_maths_history", "series", "KS2 maths progress by year, oldest first.", group="history"),
    Fact("p8_history", "series", "Progress 8 by year, oldest first.", group="history"),
    Fact("p8_ci_upper_history", "series", "Progress 8 CI upper bound by year, oldest first.", group="history"),
    Fact("suspensions_rate_history", "series", "Suspensions per 100 pupils by year, oldest first.", group="history"),
    # Derived from the data against national when absent (given values win), used by Oldham and Calderdale
    _measure(
        "attainment_vs_national",
        "Attainment against national at the end of key stages.",
        ("above", "in_line", "below", "well_below"),
    ),
    _measure(
        "progress_vs_average",
        "Progress against average across subjects.",
        ("at_least_average", "below_average_2plus_subjects", "well_below_average_2plus_subjects"),
    ),
    _measure(
        "progress_3yr",
        "Pupil progress against national standards over the last three years.",
        ("consistently_above_national", "not_consistently_above_national", "inadequate"),
    ),
    _measure(
        "attendance",
        "Attendance and absence (including persistent absence) against national.",
        ("good", "not_consistently_good", "inadequate"),
    ),
    _measure(
        "exclusions",
        "Suspensions and exclusions against national.",
        ("at_or_reducing_to_national", "few_not_reducing", "high_or_rising"),
    ),
    # Officer judgements (the local-data CSV), used by the Oldham and Calderdale frameworks
    _judgement(
        "teaching_quality",
        "Quality of teaching, learning and assessment over time.",
        ("consistently_good", "not_consistently_good", "insufficient_good"),
    ),
    _judgement(
        "leadership_governance",
        "Leadership and management at all levels, including governance.",
        ("effective", "not_consistently_effective", "ineffective"),
    ),
    _judgement(
        "outward_facing",
        "Participation in outward-facing links with other schools and partners.",
        ("fully", "partly", "not_engaged"),
    ),
    _judgement("finance_concern", "Financial position.", ("none", "concern", "serious")),
    Fact("behaviour_concern", "bool", "Significant concerns about behaviour.", group="judgement"),
    Fact("self_evaluation_accurate", "bool", "The school's self-evaluation is accurate.", group="judgement"),
    Fact(
        "judged_securely_good",
        "bool",
        "Judged securely good or outstanding by both the school and the partnership.",
        group="judgement",
    ),
]

FACTS: dict[str, Fact] = {f.name: f for f in _FACTS}


def _accepts(spec: Fact):
    """A quick test that passes the usual allowed values of a fact, None included (unknown); what it does
    not pass, Fact.check decides, with the message."""
    if spec.kind == "bool":
        return lambda value: value is None or type(value) is bool
    if spec.kind == "enum":
        allowed = frozenset((type(c), c) for c in spec.choices)
        return lambda value: value is None or (type(value) in (int, str) and (type(value), value) in allowed)
    if spec.kind == "series":
        return lambda value: (
            value is None
            or type(value) is list
            and all(v is None or type(v) is int or (type(v) is float and v - v == 0) for v in value)
        )  # v - v: not inf, nan
    low = -math.inf if spec.minimum is None else spec.minimum
    high = math.inf if spec.maximum is None else spec.maximum
    if spec.kind == "int":
        return lambda value: value is None or (type(value) is int and low <= value <= high)
    return lambda value: (
        value is None
        or ((type(value) is int or (type(value) is float and value - value == 0)) and low <= value <= high)
    )


_ACCEPTS = {name: _accepts(spec) for name, spec in FACTS.items()}


def _NOT(value) -> bool:  # an unknown fact: never passes the quick test
    return False


class FactsError(ValueError):
    """Facts that break the vocabulary: the message names every fact and why."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def validate_facts(facts: dict, *, ignore: tuple[str, ...] = ("urn",)) -> None:
    """Raise FactsError naming each unknown fact and each value outside its allowed values."""
    if not isinstance(facts, dict):
        raise FactsError([f"facts must be an object of name: value, not {type(facts).__name__}"])
    errors = []
    # The quick pass first (a run validates every school's facts, nearly all fine); only what it does
    # not pass is looked at closely, for the message.
    doubtful = [name for name, value in facts.items() if not _ACCEPTS.get(name, _NOT)(value)]
    for name in doubtful:
        if name in ignore:
            continue
        value = facts[name]
        spec = FACTS.get(name)
        if spec is None:
            errors.append(f"unknown fact {name!r}")
            continue
        if value is None:
            continue
        problem = spec.check(value)
        if problem:
            errors.append(f"{name}: {problem}")
    grade, category = facts.get("ofsted_grade"), facts.get("ofsted_category")
    if category in ("SM", "SW") and grade in (1, 2, 3):
        errors.append(f"ofsted_category {category!r} contradicts ofsted_grade {grade}: SM and SW are grade 4")
    if errors:
        raise FactsError(errors)


def known(facts: dict, name: str) -> bool:
    """A fact is known when given; null counts as known only for nullable facts (e.g. ofsted_category)."""
    if name not in facts:
        return False
    return facts[name] is not None or FACTS[name].nullable
