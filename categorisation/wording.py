"""A categorisation result as a headteacher reads it: one module for the words, used by the result page and
the letter alike, so a fact is worded the same everywhere.

Facts are named by their description, never their name; inspection grades are Ofsted's words (Outstanding,
Good, Requires Improvement, Inadequate), dates read "12 March 2019", percentages carry %, yes/no facts are
sentences. Each criterion that held becomes its label and a sentence with the school's figures; a missing
fact becomes "We did not have ... for this school."; a framework is named with the date of its version.
Nothing here prints an engine name, ``=``, True or False. No queries: the caller passes what it read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from .engine.facts import FACTS

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
OFSTED_WORDS = {1: "Outstanding", 2: "Good", 3: "Requires Improvement", 4: "Inadequate"}
CATEGORY_OF_CONCERN = {"SM": "special measures", "SW": "serious weaknesses"}
GRADE_FACTS = {
    "ofsted_grade",
    "ofsted_leadership_grade",
    "previous_ofsted_grade",
    "previous_ofsted_leadership_grade",
    "sef_validated_grade",
    "likely_next_ofsted_grade",
}
# What each choice of a text fact reads as, after the fact's own words ("Attainment is well below national").
CHOICE_WORDS = {
    "phase": {
        "primary": "a primary school",
        "secondary": "a secondary school",
        "special": "a special school",
        "alternative_provision": "an alternative provision",
        "nursery": "a nursery school",
    },
    "data_trend": {
        "improving": "improving",
        "consistent": "consistent",
        "inconsistent": "inconsistent",
        "small_decline": "in a small decline",
        "declining": "declining",
        "sharp_decline": "in a sharp decline",
    },
    "attainment_vs_national": {
        "above": "above national",
        "in_line": "in line with national",
        "below": "below national",
        "well_below": "well below national",
    },
    "progress_vs_average": {
        "at_least_average": "at least average",
        "below_average_2plus_subjects": "below average in two or more subjects",
        "well_below_average_2plus_subjects": "well below average in two or more subjects",
    },
    "progress_3yr": {
        "consistently_above_national": "consistently above national",
        "not_consistently_above_national": "not consistently above national",
        "inadequate": "inadequate",
    },
    "attendance": {"good": "good", "not_consistently_good": "not consistently good", "inadequate": "inadequate"},
    "exclusions": {
        "at_or_reducing_to_national": "in line with or reducing to national",
        "few_not_reducing": "few, but not reducing",
        "high_or_rising": "high or rising",
    },
    "teaching_quality": {
        "consistently_good": "consistently good",
        "not_consistently_good": "not consistently good",
        "insufficient_good": "not good enough often enough",
    },
    "leadership_governance": {
        "effective": "effective",
        "not_consistently_effective": "not consistently effective",
        "ineffective": "ineffective",
    },
    "outward_facing": {"fully": "fully", "partly": "partly", "not_engaged": "not engaged"},
    "finance_concern": {"none": "no concern", "concern": "a concern", "serious": "a serious concern"},
}
# A text fact's sentence, with {words} its choice's words.
CHOICE_SENTENCES = {
    "phase": "The school is {words}",
    "data_trend": "The school's results over the last three years are {words}",
    "attainment_vs_national": "Attainment at the end of the key stages is {words}",
    "progress_vs_average": "Pupils' progress is {words}",
    "progress_3yr": "Pupils' progress over the last three years is {words}",
    "attendance": "Attendance and absence against national are {words}",
    "exclusions": "Suspensions and exclusions are {words}",
    "teaching_quality": "The quality of teaching over time is {words}",
    "leadership_governance": "Leadership and management, including governance, are {words}",
    "outward_facing": "The school is {words} outward facing in its links with other schools and partners",
    "finance_concern": "The school's financial position is {words}",
}
# A yes/no fact's sentence when it holds, and when it does not.
YES_NO_SENTENCES = {
    "safeguarding_effective": ("Safeguarding is effective", "Safeguarding does not meet statutory requirements"),
    "recent_s8_with_priorities": (
        "A recent section 8 inspection set priorities for improvement and proposed a section 5 inspection",
        "No recent section 8 inspection set priorities for improvement",
    ),
    "below_floor": ("Results are below the floor standard", "Results are above the floor standard"),
    "coasting": ("Results have been at the coasting level for three years", "Results are not at the coasting level"),
    "behaviour_concern": (
        "There are significant concerns about behaviour",
        "There are no significant concerns about behaviour",
    ),
    "self_evaluation_accurate": (
        "The school's self-evaluation is accurate",
        "The school's self-evaluation is not accurate",
    ),
    "judged_securely_good": (
        "The school and the partnership both judge the school securely Good or Outstanding",
        "The school and the partnership do not both judge the school securely Good or Outstanding",
    ),
}
# The school's figures, named as a reader says them.
FIGURE_LABELS = {
    "ks2_rwm_expected_pct": "pupils meeting the expected standard in reading, writing and maths at key stage 2",
    "ks2_progress_reading": "reading progress score",
    "ks2_progress_writing": "writing progress score",
    "ks2_progress_maths": "maths progress score",
    "p8": "Progress 8 score",
    "p8_ci_upper": "upper end of its confidence interval",
    "p8_ci_lower": "lower end of its confidence interval",
    "attainment8": "Attainment 8 score",
    "eyfs_gld_pct": "children reaching a good level of development in the early years",
    "attendance_pct": "attendance",
    "persistent_absence_pct": "pupils persistently absent",
    "suspensions_rate": "suspensions per 100 pupils",
    "permanent_exclusions": "permanent exclusions",
}
NATIONAL_OF = {
    "ks2_rwm_expected_pct": "national_ks2_rwm_expected_pct",
    "attainment8": "national_attainment8",
    "attendance_pct": "national_attendance_pct",
    "persistent_absence_pct": "national_persistent_absence_pct",
    "suspensions_rate": "national_suspensions_rate",
}
KS2_PROGRESS = ("ks2_progress_reading", "ks2_progress_writing", "ks2_progress_maths")
# The figures a derived fact rests on, per phase (primary, secondary): what the letter shows beside it.
DERIVED_FIGURES = {
    "attainment_vs_national": (("ks2_rwm_expected_pct",), ("attainment8",)),
    "progress_vs_average": (KS2_PROGRESS, ("p8", "p8_ci_upper")),
    "below_floor": (("ks2_rwm_expected_pct", *KS2_PROGRESS), ("p8", "p8_ci_upper")),
    "attendance": (("attendance_pct", "persistent_absence_pct"),) * 2,
    "exclusions": (("suspensions_rate", "permanent_exclusions"),) * 2,
    "data_trend": (("ks2_rwm_expected_pct_history",), ("p8_history",)),
    "coasting": (("ks2_rwm_expected_pct_history",), ("p8_history",)),
    "progress_3yr": (tuple(f"{n}_history" for n in KS2_PROGRESS), ("p8_history",)),
}
ABBREVIATIONS = [
    (re.compile(r"\bSM/SW\b"), "special measures or serious weaknesses"),
    (re.compile(r"\bRI\b"), "Requires Improvement"),
    (re.compile(r"\bSM\b"), "special measures"),
    (re.compile(r"\bSW\b"), "serious weaknesses"),
    (re.compile(r"\bRWM\b"), "reading, writing and maths"),
    (re.compile(r"\bSEF\b"), "self-evaluation"),
]


def date_words(value) -> str:
    """A date as "12 March 2019"; an ISO date string is read first. Empty for none."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def fact_label(name: str) -> str:
    """A fact named by its description's first clause: "Current Ofsted overall effectiveness"."""
    fact = FACTS.get(name)
    if fact is None:
        return str(name).replace("_", " ").capitalize()
    return re.split(r"[:;(]| - |\. ", fact.description, maxsplit=1)[0].strip().rstrip(".")


def number_words(value, *, percent: bool = False) -> str:
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return text + ("%" if percent else "")


def grade_words(value) -> str:
    if value in CATEGORY_OF_CONCERN:
        return f"Inadequate ({CATEGORY_OF_CONCERN[value]})"
    return OFSTED_WORDS.get(value, str(value))


def value_words(value, name: str | None = None) -> str:
    """A fact's value in words: a grade as Ofsted's word, a choice as its words, yes or no, a percentage with %."""
    if value is None:
        return "not known" if name != "ofsted_category" else "none"
    if isinstance(value, bool) or (isinstance(value, str) and value in ("True", "False")):
        return "yes" if value in (True, "True") else "no"
    if name in GRADE_FACTS:
        return grade_words(value)
    if name == "ofsted_category":
        return CATEGORY_OF_CONCERN.get(value, str(value))
    if name in CHOICE_WORDS:
        return CHOICE_WORDS[name].get(value, str(value).replace("_", " "))
    if isinstance(value, list):
        percent = bool(name and name.removesuffix("_history").endswith("_pct"))
        return ", ".join("not known" if v is None else number_words(v, percent=percent) for v in value)
    if isinstance(value, (int, float)):
        return number_words(value, percent=bool(name and name.endswith("_pct")))
    return str(value).replace("_", " ")


def label_words(text: str) -> str:
    """A framework's own words (a criterion's label, an engine sentence) with each fact name given as its
    description, True/False as yes/no and the sources' abbreviations (RI, SM/SW, RWM) spelt out."""
    text = _NAME_PATTERN.sub(lambda m: fact_label(m.group(1)).lower(), str(text))
    text = re.sub(r"\b(True|False)\b", lambda m: "yes" if m.group(1) == "True" else "no", text)
    for pattern, words in ABBREVIATIONS:
        text = pattern.sub(words, text)
    return text


_NAMES = sorted((n for n in FACTS if "_" in n), key=len, reverse=True)
_NAME_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, _NAMES)) + r")\b")


@dataclass(frozen=True)
class Inspections:
    """The dates of the inspections a result's Ofsted facts come from (None where not known)."""

    latest: date | None = None
    previous: date | None = None


def _at(when: date | None, fallback: str) -> str:
    return f"at the inspection of {date_words(when)}" if when else fallback


def fact_sentence(name: str, value, inspections: Inspections = Inspections(), facts: dict | None = None) -> str:
    """One fact of the school as a sentence, without its full stop; ``facts`` (the result's data) give the
    England figure beside the school's."""
    latest, previous = inspections.latest, inspections.previous
    if name == "ofsted_grade":
        return f"Judged {grade_words(value)} {_at(latest, 'at the last inspection')}"
    if name == "ofsted_leadership_grade":
        return f"Leadership and management judged {grade_words(value)} {_at(latest, 'at the last inspection')}"
    if name == "previous_ofsted_grade":
        return f"Judged {grade_words(value)} {_at(previous, 'at the inspection before the last')}"
    if name == "previous_ofsted_leadership_grade":
        when = _at(previous, "at the inspection before the last")
        return f"Leadership and management judged {grade_words(value)} {when}"
    if name == "ofsted_category":
        if value is None:
            return "The school is in no Ofsted category of concern"
        return f"Placed in {CATEGORY_OF_CONCERN.get(value, value)} {_at(latest, 'at the last inspection')}"
    if name == "consecutive_ri":
        if value == 0:
            return "The last inspection did not judge the school Requires Improvement"
        times = "the last inspection" if value == 1 else f"{value} inspections in a row"
        return f"Judged Requires Improvement at {times}" + (
            f", most recently on {date_words(latest)}" if latest else ""
        )
    if name == "safeguarding_effective" and latest:
        return (
            f"Safeguarding was judged effective at the inspection of {date_words(latest)}"
            if value
            else f"Safeguarding was judged not to meet statutory requirements at the inspection of {date_words(latest)}"
        )
    if name == "sef_validated_grade":
        return f"The school's self-evaluation, as validated by the LA, judges it {grade_words(value)}"
    if name == "likely_next_ofsted_grade":
        return f"The LA's view is that the next inspection is likely to judge the school {grade_words(value)}"
    if name in YES_NO_SENTENCES and isinstance(value, bool):
        return YES_NO_SENTENCES[name][0 if value else 1]
    if name in CHOICE_SENTENCES:
        return CHOICE_SENTENCES[name].format(words=value_words(value, name))
    if name in FIGURE_LABELS and value is not None:
        return _upper_first(_figure(name, value, facts or {}))
    return f"{fact_label(name)}: {value_words(value, name)}"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _figure(name: str, value, facts: dict) -> str:
    """ "attendance 93.1% (England 94.5%)" for a figure, with England's beside it when known."""
    label = FIGURE_LABELS.get(name) or fact_label(name.removesuffix("_history")).lower()
    if name.endswith("_history"):
        label = FIGURE_LABELS.get(name.removesuffix("_history"), label)
        return f"{label} over the last three years, oldest first: {value_words(value, name)}"
    text = f"{label} {value_words(value, name)}"
    national = facts.get(NATIONAL_OF.get(name, ""))
    if national is not None:
        text += f" (England {value_words(national, name)})"
    return text


def figures_sentence(name: str, facts: dict) -> str:
    """The school's figures a derived fact rests on, as a sentence; empty when there are none to show."""
    ways = DERIVED_FIGURES.get(name)
    if ways is None:
        return ""
    names = ways[1] if facts.get("phase") == "secondary" else ways[0]
    parts = []
    for figure in names:
        value = facts.get(figure)
        if value is None or (isinstance(value, list) and all(v is None for v in value)):
            continue
        parts.append(_figure(figure, value, facts))
    if not parts:
        return ""
    return "The school's figures: " + "; ".join(parts)


def missing_sentence(name: str) -> str:
    """A fact the category needed and did not have."""
    label = label_words(fact_label(name))
    label = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    fact = FACTS.get(name)
    if fact is not None and fact.derived:
        return f"We did not have the figures to work out {label} for this school."
    if fact is not None and fact.group == "judgement":
        return f"We did not have the LA's judgement of {label} for this school."
    return f"We did not have {label} for this school."


def _sentence(text: str) -> str:
    text = _upper_first(text.strip())
    if not text:
        return ""
    return text if text.endswith((".", "!", "?")) else text + "."


@dataclass
class Reason:
    """A criterion that held: its label in words, and the school's facts and figures behind it."""

    category: str
    category_label: str
    label: str
    limiting: bool
    sentences: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def criterion_reason(criterion: dict, facts: dict, labels: dict, inspections: Inspections = Inspections()) -> Reason:
    """One criterion (an entry of ``Result.criteria_met``) in words, with the school's figures."""
    sentences = []
    for name, value in (criterion.get("values") or {}).items():
        sentences.append(_sentence(fact_sentence(name, value, inspections, facts)))
        figures = figures_sentence(name, facts)
        if figures:
            sentences.append(_sentence(figures))
    return Reason(
        category=criterion["category"],
        category_label=labels.get(criterion["category"], criterion["category"]),
        label=_sentence(label_words(criterion["label"])).rstrip("."),
        limiting=bool(criterion.get("limiting")),
        sentences=list(dict.fromkeys(s for s in sentences if s)),
    )


def method_sentence(definition: dict, category: str | None, reasons: list[Reason]) -> str:
    """How the framework turns the criteria into a category, for this school, in a sentence or two."""
    limiting = next((r for r in reasons if r.limiting and r.category == category), None)
    if limiting is not None:
        return f"{limiting.label} is a limiting factor in the framework: on its own it decides the category."
    method = definition.get("method")
    if method == "best_fit":
        counts = []
        for cat in definition["categories"]:
            total = len(cat.get("criteria", []))
            met = sum(1 for r in reasons if r.category == cat["code"])
            counts.append(f"{met} of the {total} {cat['code']} indicators")
        return (
            "The category is the best fit: the one whose indicators the school meets most. "
            f"The school meets {', '.join(counts[:-1])} and {counts[-1]}."
            if len(counts) > 1
            else "The category is the best fit: the one whose indicators the school meets most."
        )
    if method == "ordered":
        codes = [c["code"] for c in definition["categories"]]
        return (
            f"The categories are considered in turn, {', then '.join(codes)}: the first whose criteria apply "
            "is the school's category."
        )
    if method == "decision_table":
        return "The category is read from the row of the framework's table that fits the school."
    return ""


def framework_words(version) -> str:
    """A framework version as a reader names it: "Calderdale risk assessment, as published on 3 September
    2024" (a draft: "as drafted")."""
    name = version.framework.name
    when = getattr(version, "published_at", None)
    return f"{name}, as published on {date_words(when)}" if when else f"{name}, as drafted"


@dataclass
class ResultWords:
    """Everything a letter (or a page) says about a result, in words."""

    category: str | None
    category_label: str
    review: str
    reasons: list[Reason]
    other_reasons: list[Reason]
    method: str
    missing: list[str]
    framework: str


def review_sentence(*, self_assessed: bool, moderated: bool) -> str:
    """What the category follows: the school's self-assessment only when it submitted one (a draft does not
    count), and the discussion with the school only when one was recorded."""
    steps = []
    if self_assessed:
        steps.append("the school's self-assessment")
    steps.append("the partnership's review of the school's data")
    if moderated:
        steps.append("our discussion with the school")
    joined = steps[0] if len(steps) == 1 else ", ".join(steps[:-1]) + " and " + steps[-1]
    return f"This follows {joined}."


def result_words(
    result,
    *,
    definition: dict,
    inspections: Inspections = Inspections(),
    self_assessed: bool = False,
    moderated: bool = False,
) -> ResultWords:
    """A result (``categorisation.models.Result`` or anything with its fields) in words."""
    labels = {c["code"]: c.get("label", c["code"]) for c in definition["categories"]}
    category = result.category
    every = [criterion_reason(c, result.facts or {}, labels, inspections) for c in result.criteria_met or []]
    return ResultWords(
        category=category,
        category_label=labels.get(category or "", ""),
        review=review_sentence(self_assessed=self_assessed, moderated=moderated),
        reasons=[r for r in every if r.category == category],
        other_reasons=[r for r in every if r.category != category],
        method=method_sentence(definition, result.computed_category, every),
        missing=[missing_sentence(name) for name in result.missing or []],
        framework=framework_words(result.framework_version),
    )
