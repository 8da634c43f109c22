"""Derived facts: computed from the data when not given, never typed in.

below_floor  the Milton Keynes floor standards (DOMAIN.md), for primary and secondary schools.
data_trend   a three-year classification of the phase's headline history.
coasting     three years under the coasting thresholds (DfE 2016 definition, an interpretation).

Every threshold is a framework parameter (``parameters`` in the framework JSON); DEFAULTS holds the
values used when a framework does not override them. A derived fact that cannot be computed stays
missing, and the inputs that would let it be computed are reported.
"""

from __future__ import annotations

import copy

from . import conditions
from .facts import known

DEFAULTS = {
    "floor": {
        # Primary: above floor if RWM% >= rwm_pct, OR all three progress scores reach their minimum.
        "primary_rwm_pct": 65.0,
        "primary_progress_reading": -5.0,
        "primary_progress_maths": -5.0,
        "primary_progress_writing": -7.0,
        # Secondary: below floor if P8 < p8 AND the upper end of its 95% CI < p8_ci_upper.
        "secondary_p8": -0.5,
        "secondary_p8_ci_upper": 0.0,
        # Phases where no floor standard applies: below_floor is false, with a reason.
        "not_applicable_phases": ["special", "alternative_provision", "nursery"],
    },
    "trend": {
        # The history each phase's trend is read from, oldest year first; the last `years` values count.
        "series": {"primary": "ks2_rwm_expected_pct_history", "secondary": "p8_history"},
        "years": 3,
        # Per phase, in the series' own units: a change within +/- tolerance is "no change";
        # a fall over the years of more than tolerance is small_decline, of at least `decline`
        # is declining, of at least `sharp` is sharp_decline.
        "primary": {"tolerance": 2.0, "decline": 5.0, "sharp": 10.0},
        "secondary": {"tolerance": 0.1, "decline": 0.25, "sharp": 0.5},
    },
    "coasting": {
        "years": 3,
        "primary_rwm_pct_below": 85.0,
        "primary_progress_reading_below": -2.5,
        "primary_progress_maths_below": -2.5,
        "primary_progress_writing_below": -3.5,
        "secondary_p8_below": -0.25,
        "secondary_p8_ci_upper_below": 0.0,
    },
}


def parameters(overrides: dict | None) -> dict:
    """DEFAULTS with a framework's overrides laid over them, one level deep per section."""
    merged = copy.deepcopy(DEFAULTS)
    for section, values in (overrides or {}).items():
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(merged[section].get(key), dict):
                merged[section][key].update(value)
            else:
                merged[section][key] = value
    return merged


def validate_parameters(overrides, errors: list[str]) -> None:
    if overrides is None:
        return
    if not isinstance(overrides, dict):
        errors.append("parameters: must be an object")
        return
    for section, values in overrides.items():
        if section not in DEFAULTS:
            errors.append(f"parameters: unknown section {section!r} (use {', '.join(DEFAULTS)})")
            continue
        if not isinstance(values, dict):
            errors.append(f"parameters.{section}: must be an object")
            continue
        for key, value in values.items():
            default = DEFAULTS[section].get(key)
            where = f"parameters.{section}.{key}"
            if key not in DEFAULTS[section]:
                errors.append(f"{where}: unknown parameter")
            elif isinstance(default, dict):
                if not isinstance(value, dict):
                    errors.append(f"{where}: must be an object")
                    continue
                for sub, v in value.items():
                    if sub not in default:
                        errors.append(f"{where}.{sub}: unknown parameter")
                    elif not isinstance(v, type(default[sub])) and not (_number(v) and _number(default[sub])):
                        errors.append(f"{where}.{sub}: {v!r} is not a {type(default[sub]).__name__}")
            elif isinstance(default, list):
                if not isinstance(value, list):
                    errors.append(f"{where}: must be a list")
            elif not _number(value):
                errors.append(f"{where}: {value!r} is not a number")


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def derive(facts: dict, params: dict) -> tuple[dict, list[str], dict[str, set[str]]]:
    """Return (facts with derived values added, reasons for each derivation, gaps).

    gaps maps a derived fact that could not be computed to the inputs that were missing.
    """
    out = dict(facts)
    reasons: list[str] = []
    gaps: dict[str, set[str]] = {}
    # Implied by the inspection: only an inadequate school is in special measures or serious weaknesses.
    if not known(out, "ofsted_category") and known(out, "ofsted_grade") and out["ofsted_grade"] != 4:
        out["ofsted_category"] = None
        reasons.append("ofsted_category derived as null: a school judged 1-3 is not in special measures or "
                       "serious weaknesses")
    if not known(out, "consecutive_ri") and known(out, "ofsted_grade") and out["ofsted_grade"] != 3:
        out["consecutive_ri"] = 0
        reasons.append(f"consecutive_ri derived as 0: the last inspection was graded {out['ofsted_grade']}, not RI")
    if not known(out, "ofsted_grade") and out.get("ofsted_category") in ("SM", "SW"):
        out["ofsted_grade"] = 4
        reasons.append(f"ofsted_grade derived as 4: {out['ofsted_category']} is an inadequate judgement")
    for name, fn in (("below_floor", _below_floor), ("data_trend", _data_trend), ("coasting", _coasting)):
        if known(out, name):
            continue
        value, why, missing = fn(out, params)
        if value is None:
            gaps[name] = missing
        else:
            out[name] = value
            reasons.append(f"{name} derived as {conditions._show(value)}: {why}")
    return out, reasons, gaps


def _c(fact: str, op: str, value) -> dict:
    return {"fact": fact, "op": op, "value": value}


def floor_condition(phase: str, p: dict) -> dict | None:
    """The below-floor test for a phase as a condition tree, so unknowns follow the engine's logic."""
    f = p["floor"]
    if phase == "primary":
        above = {"any": [
            _c("ks2_rwm_expected_pct", "ge", f["primary_rwm_pct"]),
            {"all": [
                _c("ks2_progress_reading", "ge", f["primary_progress_reading"]),
                _c("ks2_progress_maths", "ge", f["primary_progress_maths"]),
                _c("ks2_progress_writing", "ge", f["primary_progress_writing"]),
            ]},
        ]}
        return {"not": above}
    if phase == "secondary":
        return {"all": [_c("p8", "lt", f["secondary_p8"]), _c("p8_ci_upper", "lt", f["secondary_p8_ci_upper"])]}
    return None


def _below_floor(facts: dict, p: dict):
    if not known(facts, "phase"):
        return None, "", {"phase"}
    phase = facts["phase"]
    if phase in p["floor"]["not_applicable_phases"]:
        return False, f"no floor standard applies to phase {phase!r}", set()
    cond = floor_condition(phase, p)
    if cond is None:
        return None, "", {"phase"}
    truth = conditions.evaluate(cond, facts)
    if truth.value is None:
        return None, "", truth.missing
    f = p["floor"]
    if phase == "primary":
        rule = (f"primary floor: above if RWM ≥ {f['primary_rwm_pct']:g}% or progress reading ≥ "
                f"{f['primary_progress_reading']:g}, maths ≥ {f['primary_progress_maths']:g} and writing ≥ "
                f"{f['primary_progress_writing']:g}")
    else:
        rule = (f"secondary floor: below if P8 < {f['secondary_p8']:g} and its CI upper bound < "
                f"{f['secondary_p8_ci_upper']:g}")
    return truth.value, f"{rule} ({conditions.show_facts(truth.used)})", set()


def _last(facts: dict, name: str, years: int) -> list | None:
    series = facts.get(name)
    if not isinstance(series, list) or len(series) < years:
        return None
    tail = series[-years:]
    return None if any(v is None for v in tail) else [float(v) for v in tail]


def classify_trend(values: list[float], tolerance: float, decline: float, sharp: float) -> str:
    """Classify a yearly series (oldest first).

    consistent     every year-on-year change is within +/- tolerance
    improving      no year falls by more than tolerance, and the last is above the first by more than it
    declining ...  no year rises by more than tolerance, and the last is below the first by more than it:
                   a fall of at least `sharp` is sharp_decline, at least `decline` is declining,
                   otherwise small_decline
    inconsistent   anything else: rises and falls of more than tolerance
    """
    steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    overall = values[-1] - values[0]
    if all(abs(s) <= tolerance for s in steps) and abs(overall) <= tolerance:
        return "consistent"
    if all(s >= -tolerance for s in steps) and overall > tolerance:
        return "improving"
    if all(s <= tolerance for s in steps) and overall < -tolerance:
        fall = -overall
        if fall >= sharp:
            return "sharp_decline"
        if fall >= decline:
            return "declining"
        return "small_decline"
    return "inconsistent"


def _data_trend(facts: dict, p: dict):
    if not known(facts, "phase"):
        return None, "", {"phase"}
    t = p["trend"]
    phase = facts["phase"]
    series = t["series"].get(phase)
    if series is None or phase not in t:
        return None, "", {"data_trend"}
    values = _last(facts, series, t["years"])
    if values is None:
        return None, "", {series}
    th = t[phase]
    trend = classify_trend(values, th["tolerance"], th["decline"], th["sharp"])
    shown = ", ".join(f"{v:g}" for v in values)
    return trend, (f"{series} [{shown}] with tolerance {th['tolerance']:g}, decline {th['decline']:g}, "
                   f"sharp {th['sharp']:g}"), set()


def _coasting(facts: dict, p: dict):
    if not known(facts, "phase"):
        return None, "", {"phase"}
    c = p["coasting"]
    phase, years = facts["phase"], c["years"]
    if phase in p["floor"]["not_applicable_phases"]:
        return False, f"no coasting standard applies to phase {phase!r}", set()
    if phase == "primary":
        names = ["ks2_rwm_expected_pct_history", "ks2_progress_reading_history",
                 "ks2_progress_maths_history", "ks2_progress_writing_history"]
    elif phase == "secondary":
        names = ["p8_history", "p8_ci_upper_history"]
    else:
        return None, "", {"phase"}
    series = {n: _last(facts, n, years) for n in names}
    missing = {n for n, v in series.items() if v is None}
    if missing:
        return None, "", missing
    coasting_years = []
    for i in range(years):
        if phase == "primary":
            rwm, read, maths, write = (series[n][i] for n in names)
            weak = rwm < c["primary_rwm_pct_below"] and (
                read < c["primary_progress_reading_below"] or maths < c["primary_progress_maths_below"]
                or write < c["primary_progress_writing_below"]
            )
        else:
            p8, upper = (series[n][i] for n in names)
            weak = p8 < c["secondary_p8_below"] and upper < c["secondary_p8_ci_upper_below"]
        coasting_years.append(weak)
    value = all(coasting_years)
    return value, f"under the coasting thresholds in {sum(coasting_years)} of the last {years} years", set()
