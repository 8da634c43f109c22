"""The framework's thresholds (``parameters``) as a form: one field per threshold, grouped by the derived
fact it decides, each with a label an officer can read. The engine's defaults (engine.derived.DEFAULTS)
fill every threshold a framework leaves out; saving keeps a threshold in the framework when the
framework set it before or when it now differs from the default, so the stored JSON changes only where
the officer changed it."""

from __future__ import annotations

import copy

from django import forms

from ..engine import FACTS, PARAMETER_DEFAULTS
from ..engine.conditions import facts_in
from ..engine.derived import parameters as merged_parameters

SECTIONS = {
    "floor": ("Floor standards", "Decide below_floor.", {"below_floor", "progress_3yr"}),
    "trend": ("Three-year data trend", "Decides data_trend from each phase's headline history.", {"data_trend"}),
    "coasting": ("Coasting standard", "Decides coasting: three years under these thresholds.", {"coasting"}),
    "attainment": ("Attainment against national", "Decides attainment_vs_national.", {"attainment_vs_national"}),
    "progress": ("Progress against average", "Decides progress_vs_average.", {"progress_vs_average"}),
    "progress_3yr": ("Progress over three years", "Decides progress_3yr.", {"progress_3yr"}),
    "attendance": (
        "Attendance and absence",
        "Decides attendance, in percentage points against England.",
        {"attendance"},
    ),
    "exclusions": (
        "Suspensions and exclusions",
        "Decides exclusions, against England's suspension rate.",
        {"exclusions"},
    ),
}

LABELS = {
    "floor.primary_rwm_pct": ("Primary: above floor with at least this % meeting the expected standard in RWM", "%"),
    "floor.primary_progress_reading": ("Primary: or progress in reading of at least", "progress score"),
    "floor.primary_progress_maths": ("Primary: and progress in maths of at least", "progress score"),
    "floor.primary_progress_writing": ("Primary: and progress in writing of at least", "progress score"),
    "floor.secondary_p8": ("Secondary: below floor when Progress 8 is under", "Progress 8"),
    "floor.secondary_p8_ci_upper": (
        "Secondary: and the upper end of its 95% confidence interval is under",
        "Progress 8",
    ),
    "floor.not_applicable_phases": ("Phases where no floor standard applies", "below_floor is false for them"),
    "trend.series.primary": ("Primary: the history the trend is read from", ""),
    "trend.series.secondary": ("Secondary: the history the trend is read from", ""),
    "trend.years": ("Years of history read", "the last this many years"),
    "trend.primary.tolerance": ("Primary: a change within ± this is no change", "percentage points"),
    "trend.primary.decline": ("Primary: a fall of at least this is declining", "percentage points"),
    "trend.primary.sharp": ("Primary: a fall of at least this is a sharp decline", "percentage points"),
    "trend.secondary.tolerance": ("Secondary: a change within ± this is no change", "Progress 8"),
    "trend.secondary.decline": ("Secondary: a fall of at least this is declining", "Progress 8"),
    "trend.secondary.sharp": ("Secondary: a fall of at least this is a sharp decline", "Progress 8"),
    "coasting.years": ("Years read", "coasting needs every one of them under the thresholds"),
    "coasting.primary_rwm_pct_below": ("Primary: % meeting the expected standard in RWM under", "%"),
    "coasting.primary_progress_reading_below": ("Primary: and progress in reading under", "progress score"),
    "coasting.primary_progress_maths_below": ("Primary: or progress in maths under", "progress score"),
    "coasting.primary_progress_writing_below": ("Primary: or progress in writing under", "progress score"),
    "coasting.secondary_p8_below": ("Secondary: Progress 8 under", "Progress 8"),
    "coasting.secondary_p8_ci_upper_below": ("Secondary: and its confidence interval's upper end under", "Progress 8"),
    "attainment.primary_in_line_band": ("Primary: in line with national within ±", "RWM percentage points"),
    "attainment.primary_well_below": ("Primary: well below national at or under", "RWM percentage points"),
    "attainment.secondary_in_line_band": ("Secondary: in line with national within ±", "Attainment 8 points"),
    "attainment.secondary_well_below": ("Secondary: well below national at or under", "Attainment 8 points"),
    "progress.primary_below": ("Primary: a subject's progress is below average under", "progress score"),
    "progress.primary_well_below": ("Primary: a subject's progress is well below average under", "progress score"),
    "progress.subjects": ("Primary: how many subjects decide", "subjects"),
    "progress.secondary_ci_upper": (
        "Secondary: below average when the P8 confidence interval's upper end is under",
        "Progress 8",
    ),
    "progress.secondary_well_below_p8": ("Secondary: well below average when also Progress 8 is under", "Progress 8"),
    "progress_3yr.years": ("Years read", "the last this many years"),
    "progress_3yr.min_years": ("Complete years needed at least", "years"),
    "progress_3yr.primary_above": (
        "Primary: consistently above national when every score is at least",
        "progress score",
    ),
    "progress_3yr.primary_inadequate_reading": ("Primary: inadequate reading progress under", "progress score"),
    "progress_3yr.primary_inadequate_maths": ("Primary: inadequate maths progress under", "progress score"),
    "progress_3yr.primary_inadequate_writing": ("Primary: inadequate writing progress under", "progress score"),
    "progress_3yr.secondary_above": ("Secondary: consistently above national when every P8 is at least", "Progress 8"),
    "progress_3yr.secondary_inadequate_p8": ("Secondary: inadequate when Progress 8 is under", "Progress 8"),
    "progress_3yr.inadequate_years": ("Inadequate when this many years or more are under those", "years"),
    "attendance.good_attendance_gap": ("Good: attendance no more than this under national", "percentage points"),
    "attendance.good_pa_gap": ("Good: and persistent absence no more than this over national", "percentage points"),
    "attendance.inadequate_attendance_gap": (
        "Inadequate: attendance more than this under national",
        "percentage points",
    ),
    "attendance.inadequate_pa_gap": (
        "Inadequate: or persistent absence more than this over national",
        "percentage points",
    ),
    "exclusions.at_national_ratio": ("At national: suspensions at or under national times", "ratio"),
    "exclusions.high_ratio": ("High: suspensions over national times", "ratio"),
    "exclusions.years": ("Years of history read for the direction", "years"),
    "exclusions.trend_fraction": (
        "A change of more than this fraction of the first year is a trend",
        "fraction, 0.1 is 10%",
    ),
}

WHOLE_NUMBER_MINIMUM = {"years": 1, "min_years": 1, "subjects": 1, "inadequate_years": 1}
NOT_NEGATIVE = ("_gap", "_band", "_ratio", "tolerance", "decline", "sharp", "trend_fraction", "_pct")


def field_name(path: str) -> str:
    return path.replace(".", "__")


def leaves(defaults: dict = PARAMETER_DEFAULTS, prefix: str = "") -> list[tuple[str, object]]:
    """(dotted path, default) for every threshold, in the order of DEFAULTS."""
    out = []
    for key, value in defaults.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out += leaves(value, path)
        else:
            out.append((path, value))
    return out


def _get(tree: dict, path: str):
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None, False
        node = node[part]
    return node, True


def used_sections(definition: dict) -> set[str]:
    """The sections whose derived facts the framework's criteria or rows test."""
    facts = set()
    for cat in definition.get("categories", []):
        for crit in cat.get("criteria", []):
            facts |= facts_in(crit["when"])
    for row in definition.get("rows") or []:
        facts |= facts_in(row["when"])
    return {section for section, (_, _, derived) in SECTIONS.items() if facts & derived}


def _field(path: str, default):
    label, unit = LABELS.get(path, (path, ""))
    last = path.rsplit(".", 1)[-1]
    if isinstance(default, list):
        return forms.MultipleChoiceField(
            label=label,
            help_text=unit,
            required=False,
            choices=[(c, c.replace("_", " ")) for c in FACTS["phase"].choices],
            widget=forms.CheckboxSelectMultiple,
        )
    if isinstance(default, str):
        series = [(f.name, f"{f.name}: {f.description}") for f in FACTS.values() if f.kind == "series"]
        return forms.ChoiceField(label=label, choices=series)
    if isinstance(default, int):
        return forms.IntegerField(
            label=label,
            help_text=unit,
            min_value=WHOLE_NUMBER_MINIMUM.get(last, 0),
            max_value=20,
            error_messages={"invalid": f"Enter a whole number for “{label}”."},
        )
    minimum = 0.0 if last.endswith(NOT_NEGATIVE) or last in NOT_NEGATIVE else None
    return forms.FloatField(
        label=label,
        help_text=unit,
        min_value=minimum,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={"invalid": f"Enter a number for “{label}”, such as 65 or -0.5."},
    )


class ParametersForm(forms.Form):
    """Every threshold, with the framework's value or the default."""

    def __init__(self, *args, definition: dict, **kwargs):
        self.definition = definition
        self.overrides = copy.deepcopy(definition.get("parameters") or {})
        merged = merged_parameters(definition.get("parameters"))
        initial = {field_name(path): _get(merged, path)[0] for path, _ in leaves()}
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        self.paths = {}
        for path, default in leaves():
            self.fields[field_name(path)] = _field(path, default)
            self.paths[field_name(path)] = path
        used = used_sections(definition)
        self.sections = [
            {
                "key": key,
                "title": title,
                "hint": hint,
                "used": key in used,
                "fields": [self[field_name(p)] for p, _ in leaves() if p.split(".")[0] == key],
            }
            for key, (title, hint, _) in SECTIONS.items()
        ]

    def parameters(self) -> dict:
        """The framework's parameters after the edit: what it set before, and what now differs from the
        default."""
        out: dict = {}
        for name, path in self.paths.items():
            value = self.cleaned_data[name]
            default, _ = _get(PARAMETER_DEFAULTS, path)
            _, was_set = _get(self.overrides, path)
            if was_set or value != default:
                node = out
                parts = path.split(".")
                for part in parts[:-1]:
                    node = node.setdefault(part, {})
                node[parts[-1]] = value
        return out

    def field_for(self, path: str) -> str | None:
        name = field_name(path)
        return name if name in self.fields else None
