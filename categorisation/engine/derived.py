"""Derived facts: computed from the data when not given, never typed in.

below_floor  the Milton Keynes floor standards (DOMAIN.md), for primary and secondary schools.
data_trend   a three-year classification of the phase's headline history.
coasting     three years under the coasting thresholds (DfE 2016 definition, an interpretation).
attainment_vs_national, progress_vs_average, progress_3yr, attendance, exclusions
             the school's data against the England figures for the same year (interpretations).

Every threshold is a framework parameter (``parameters`` in the framework JSON); DEFAULTS holds the
values used when a framework does not override them. A derived fact that cannot be computed stays
missing, and the inputs that would let it be computed are reported.
"""

from __future__ import annotations

import copy
import functools
import json

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
    # attainment_vs_national: the school's headline minus England's (primary: RWM percentage points,
    # secondary: Attainment 8 points). in_line within +/- in_line_band (edges included), above beyond it,
    # well_below at or under well_below, below in between.
    "attainment": {
        "primary_in_line_band": 2.0,
        "primary_well_below": -10.0,
        "secondary_in_line_band": 2.0,
        "secondary_well_below": -5.0,
    },
    # progress_vs_average. Primary: a KS2 subject score is below average under primary_below and well
    # below under primary_well_below; `subjects` (2) subjects or more decide. Secondary (P8 covers every
    # subject): below average when the P8 CI upper bound < secondary_ci_upper, well below when also
    # P8 < secondary_well_below_p8.
    "progress": {
        "primary_below": 0.0,
        "primary_well_below": -3.0,
        "subjects": 2,
        "secondary_ci_upper": 0.0,
        "secondary_well_below_p8": -0.5,
    },
    # progress_3yr from the progress histories (last `years` values; years with a null are skipped and at
    # least min_years complete years are needed): consistently above when every subject score of every
    # year is >= the *_above value; inadequate when inadequate_years or more years have a score under the
    # floor-level *_inadequate_* values; otherwise not consistently above.
    "progress_3yr": {
        "years": 3,
        "min_years": 2,
        "primary_above": 0.0,
        "primary_inadequate_reading": -5.0,
        "primary_inadequate_maths": -5.0,
        "primary_inadequate_writing": -7.0,
        "secondary_above": 0.0,
        "secondary_inadequate_p8": -0.5,
        "inadequate_years": 2,
    },
    # attendance, in percentage points against England. good: attendance_pct >= national - good_attendance_gap
    # and persistent_absence_pct <= national + good_pa_gap. inadequate: attendance_pct < national -
    # inadequate_attendance_gap or persistent_absence_pct > national + inadequate_pa_gap. Otherwise
    # not consistently good.
    "attendance": {
        "good_attendance_gap": 0.5,
        "good_pa_gap": 2.0,
        "inadequate_attendance_gap": 2.0,
        "inadequate_pa_gap": 10.0,
    },
    # exclusions: suspensions_rate against national_suspensions_rate times a ratio. At or under
    # national x at_national_ratio: at_or_reducing_to_national. Over national x high_ratio: high_or_rising.
    # In between the direction of suspensions_rate_history decides (last `years` values, nulls skipped,
    # at least two): a fall of more than trend_fraction of the first value is reducing
    # (at_or_reducing_to_national), a rise of more than it is rising (high_or_rising), else few_not_reducing.
    "exclusions": {
        "at_national_ratio": 1.0,
        "high_ratio": 2.0,
        "years": 3,
        "trend_fraction": 0.1,
    },
}


def parameters(overrides: dict | None) -> dict:
    """DEFAULTS with a framework's overrides laid over them, one level deep per section.

    Worked out once per distinct set of overrides (a run asks for every school): the answer is shared,
    so callers only read it."""
    try:
        key = json.dumps(overrides, sort_keys=True)
    except TypeError:  # not JSON: invalid, and validation says so; merge it as given
        return _merge(overrides)
    return _merged(key)


@functools.lru_cache(maxsize=64)
def _merged(key: str) -> dict:
    return _merge(json.loads(key))


def _merge(overrides: dict | None) -> dict:
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


def derive(facts: dict, params: dict, *, only=None) -> tuple[dict, list[str], dict[str, set[str]]]:
    """Return (facts with derived values added, reasons for each derivation, gaps).

    gaps maps a derived fact that could not be computed to the inputs that were missing. ``only``: the
    facts a framework reads, when the caller knows them; the measures it does not read are not derived
    (each is worked out from the given facts alone, never from another measure).
    """
    out = dict(facts)
    reasons: list[str] = []
    gaps: dict[str, set[str]] = {}
    # Implied by the inspection: only an inadequate school is in special measures or serious weaknesses.
    if not known(out, "ofsted_category") and known(out, "ofsted_grade") and out["ofsted_grade"] != 4:
        out["ofsted_category"] = None
        reasons.append(
            "ofsted_category derived as null: a school judged 1-3 is not in special measures or serious weaknesses"
        )
    if not known(out, "consecutive_ri") and known(out, "ofsted_grade") and out["ofsted_grade"] != 3:
        out["consecutive_ri"] = 0
        reasons.append(f"consecutive_ri derived as 0: the last inspection was graded {out['ofsted_grade']}, not RI")
    if not known(out, "ofsted_grade") and out.get("ofsted_category") in ("SM", "SW"):
        out["ofsted_grade"] = 4
        reasons.append(f"ofsted_grade derived as 4: {out['ofsted_category']} is an inadequate judgement")
    for name, fn in DERIVATIONS:
        if known(out, name) or (only is not None and name not in only):
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
        above = {
            "any": [
                _c("ks2_rwm_expected_pct", "ge", f["primary_rwm_pct"]),
                {
                    "all": [
                        _c("ks2_progress_reading", "ge", f["primary_progress_reading"]),
                        _c("ks2_progress_maths", "ge", f["primary_progress_maths"]),
                        _c("ks2_progress_writing", "ge", f["primary_progress_writing"]),
                    ]
                },
            ]
        }
        return {"not": above}
    if phase == "secondary":
        return {"all": [_c("p8", "lt", f["secondary_p8"]), _c("p8_ci_upper", "lt", f["secondary_p8_ci_upper"])]}
    return None


_FLOORS: dict[tuple[str, int], tuple[dict, object, str]] = {}


def _floor(phase: str, p: dict):
    """The phase's floor test compiled, and the rule in words: made once per phase for each merged set of
    parameters (a run's are shared by all its schools). None for a phase with no floor standard."""
    key = (phase, id(p))
    hit = _FLOORS.get(key)
    if hit is None or hit[0] is not p:
        if len(_FLOORS) > 256:
            _FLOORS.clear()
        cond, f = floor_condition(phase, p), p["floor"]
        if phase == "primary":
            rule = (
                f"primary floor: above if RWM ≥ {f['primary_rwm_pct']:g}% or progress reading ≥ "
                f"{f['primary_progress_reading']:g}, maths ≥ {f['primary_progress_maths']:g} and writing ≥ "
                f"{f['primary_progress_writing']:g}"
            )
        else:
            rule = (
                f"secondary floor: below if P8 < {f['secondary_p8']:g} and its CI upper bound < "
                f"{f['secondary_p8_ci_upper']:g}"
            )
        hit = _FLOORS[key] = (p, None if cond is None else conditions.compile_condition(cond), rule)
    return hit[1], hit[2]


# The phases as a sentence says them, for the reasons of the facts that do not apply to them.
PHASE_WORDS = {
    "primary": "a primary school",
    "secondary": "a secondary school",
    "special": "a special school",
    "alternative_provision": "an alternative provision",
    "nursery": "a nursery school",
}


def _phase_words(phase) -> str:
    return PHASE_WORDS.get(phase, f"phase {phase!r}")


def _below_floor(facts: dict, p: dict):
    if not known(facts, "phase"):
        return None, "", {"phase"}
    phase = facts["phase"]
    if phase in p["floor"]["not_applicable_phases"]:
        return (
            False,
            f"no floor standard applies to {_phase_words(phase)} (the floor standards are for primary and "
            "secondary schools)",
            set(),
        )
    test, rule = _floor(phase, p)
    if test is None:  # a phase with no floor of its own that the framework does not exempt: an officer's call
        return None, "", {"below_floor"}
    truth = test(facts)
    if truth.value is None:
        return None, "", truth.missing
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
    return (
        trend,
        (f"{series} [{shown}] with tolerance {th['tolerance']:g}, decline {th['decline']:g}, sharp {th['sharp']:g}"),
        set(),
    )


def _coasting(facts: dict, p: dict):
    if not known(facts, "phase"):
        return None, "", {"phase"}
    c = p["coasting"]
    phase, years = facts["phase"], c["years"]
    if phase in p["floor"]["not_applicable_phases"]:
        return (
            False,
            f"no coasting standard applies to {_phase_words(phase)} (the coasting standard is for primary and "
            "secondary schools)",
            set(),
        )
    if phase == "primary":
        names = [
            "ks2_rwm_expected_pct_history",
            "ks2_progress_reading_history",
            "ks2_progress_maths_history",
            "ks2_progress_writing_history",
        ]
    elif phase == "secondary":
        names = ["p8_history", "p8_ci_upper_history"]
    else:
        return None, "", {"coasting"}
    series = {n: _last(facts, n, years) for n in names}
    missing = {n for n, v in series.items() if v is None}
    if missing:
        return None, "", missing
    coasting_years = []
    for i in range(years):
        if phase == "primary":
            rwm, read, maths, write = (series[n][i] for n in names)
            weak = rwm < c["primary_rwm_pct_below"] and (
                read < c["primary_progress_reading_below"]
                or maths < c["primary_progress_maths_below"]
                or write < c["primary_progress_writing_below"]
            )
        else:
            p8, upper = (series[n][i] for n in names)
            weak = p8 < c["secondary_p8_below"] and upper < c["secondary_p8_ci_upper_below"]
        coasting_years.append(weak)
    value = all(coasting_years)
    return value, f"under the coasting thresholds in {sum(coasting_years)} of the last {years} years", set()


# --------------------------------------------------------------------------------------------------
# Measures against national: attainment_vs_national, progress_vs_average, progress_3yr, attendance,
# exclusions. Each returns (value, why, missing): value None when it cannot be decided, with the names
# of the missing inputs.


def _num(v: float) -> str:
    return f"{v:g}"


def _diff(a: float, b: float) -> float:
    """a - b, rounded so that 62.9 - 60.9 is exactly 2 at a boundary."""
    return round(float(a) - float(b), 6)


def _inputs(facts: dict, *names: str) -> set[str]:
    return {n for n in names if not known(facts, n)}


def _attainment_vs_national(facts: dict, p: dict):
    if not known(facts, "phase"):
        return None, "", {"phase"}
    phase, a = facts["phase"], p["attainment"]
    if phase == "primary":
        school, national, unit = "ks2_rwm_expected_pct", "national_ks2_rwm_expected_pct", "points"
    elif phase == "secondary":
        school, national, unit = "attainment8", "national_attainment8", "Attainment 8 points"
    else:
        return None, "", {"attainment_vs_national"}  # no national comparison for this phase: an officer decides
    missing = _inputs(facts, school, national)
    if missing:
        return None, "", missing
    band, well = a[f"{phase}_in_line_band"], a[f"{phase}_well_below"]
    gap = _diff(facts[school], facts[national])
    if gap > band:
        value = "above"
    elif gap >= -band:
        value = "in_line"
    elif gap > well:
        value = "below"
    else:
        value = "well_below"
    return (
        value,
        (
            f"{school} {_num(facts[school])} against national {_num(facts[national])}, {_num(gap)} {unit} "
            f"(in line within ±{_num(band)}, well below at {_num(well)} or under)"
        ),
        set(),
    )


PRIMARY_SUBJECTS = ("reading", "writing", "maths")


def _progress_vs_average(facts: dict, p: dict):
    if not known(facts, "phase"):
        return None, "", {"phase"}
    phase, g = facts["phase"], p["progress"]
    if phase == "primary":
        names = [f"ks2_progress_{s}" for s in PRIMARY_SUBJECTS]
        scores = {n: facts[n] for n in names if known(facts, n)}
        unknown = set(names) - set(scores)
        well = [n for n, v in scores.items() if v < g["primary_well_below"]]
        below = [n for n, v in scores.items() if v < g["primary_below"]]
        need = int(g["subjects"])
        if len(well) >= need:
            value = "well_below_average_2plus_subjects"
        elif len(well) + len(unknown) >= need:
            return None, "", unknown
        elif len(below) >= need:
            value = "below_average_2plus_subjects"
        elif len(below) + len(unknown) >= need:
            return None, "", unknown
        else:
            value = "at_least_average"
        shown = ", ".join(f"{n}={_num(v)}" for n, v in scores.items())
        return (
            value,
            (
                f"{len(below)} subject(s) below {_num(g['primary_below'])}, {len(well)} below "
                f"{_num(g['primary_well_below'])}; {need} or more decide ({shown})"
            ),
            set(),
        )
    if phase == "secondary":
        if not known(facts, "p8_ci_upper"):
            return None, "", {"p8_ci_upper"}
        upper = facts["p8_ci_upper"]
        rule = (
            f"P8 below average when its CI upper bound < {_num(g['secondary_ci_upper'])}, well below when "
            f"also P8 < {_num(g['secondary_well_below_p8'])}"
        )
        if upper >= g["secondary_ci_upper"]:
            return "at_least_average", f"{rule} (p8_ci_upper={_num(upper)})", set()
        if not known(facts, "p8"):
            return None, "", {"p8"}
        well = facts["p8"] < g["secondary_well_below_p8"]
        value = "well_below_average_2plus_subjects" if well else "below_average_2plus_subjects"
        return value, f"{rule} (p8={_num(facts['p8'])}, p8_ci_upper={_num(upper)})", set()
    return None, "", {"progress_vs_average"}


def _progress_3yr(facts: dict, p: dict):
    if not known(facts, "phase"):
        return None, "", {"phase"}
    phase, q = facts["phase"], p["progress_3yr"]
    years = int(q["years"])
    if phase == "primary":
        names = [f"ks2_progress_{s}_history" for s in PRIMARY_SUBJECTS]
        above = {n: q["primary_above"] for n in names}
        floor = {n: q[f"primary_inadequate_{s}"] for n, s in zip(names, PRIMARY_SUBJECTS, strict=True)}
    elif phase == "secondary":
        names = ["p8_history"]
        above, floor = {"p8_history": q["secondary_above"]}, {"p8_history": q["secondary_inadequate_p8"]}
    else:
        return None, "", {"progress_3yr"}
    windows = {}
    for n in names:
        series = facts.get(n)
        windows[n] = list(series[-years:]) if isinstance(series, list) else []
    length = min(len(w) for w in windows.values())
    rows = []  # complete years, oldest first: {name: value}
    for i in range(length):
        row = {n: windows[n][len(windows[n]) - length + i] for n in names}
        if all(v is not None for v in row.values()):
            rows.append(row)
    if len(rows) < q["min_years"]:
        gappy = {n for n, w in windows.items() if len(w) < years or any(v is None for v in w)}
        return None, "", gappy or set(names)
    weak = [any(r[n] < floor[n] for n in names) for r in rows]
    strong = [all(r[n] >= above[n] for n in names) for r in rows]
    if sum(weak) >= q["inadequate_years"]:
        value = "inadequate"
    elif all(strong):
        value = "consistently_above_national"
    else:
        value = "not_consistently_above_national"
    shown = "; ".join(f"{n} [{', '.join(_num(r[n]) for r in rows)}]" for n in names)
    floors = ", ".join(_num(floor[n]) for n in names)
    return (
        value,
        (
            f"{len(rows)} complete year(s): {sum(strong)} at or above {_num(above[names[0]])} in every "
            f"measure, {sum(weak)} under the floor-level ({floors}); {q['inadequate_years']} such years "
            f"are inadequate ({shown})"
        ),
        set(),
    )


def _attendance(facts: dict, p: dict):
    t = p["attendance"]
    att = pa = None
    missing = set()
    if known(facts, "attendance_pct") and known(facts, "national_attendance_pct"):
        att = _diff(facts["attendance_pct"], facts["national_attendance_pct"])
    else:
        missing |= _inputs(facts, "attendance_pct", "national_attendance_pct")
    if known(facts, "persistent_absence_pct") and known(facts, "national_persistent_absence_pct"):
        pa = _diff(facts["persistent_absence_pct"], facts["national_persistent_absence_pct"])
    else:
        missing |= _inputs(facts, "persistent_absence_pct", "national_persistent_absence_pct")
    shown = []
    if att is not None:
        shown.append(
            f"attendance_pct {_num(facts['attendance_pct'])} against national "
            f"{_num(facts['national_attendance_pct'])} ({_num(att)} points)"
        )
    if pa is not None:
        shown.append(
            f"persistent_absence_pct {_num(facts['persistent_absence_pct'])} against national "
            f"{_num(facts['national_persistent_absence_pct'])} ({_num(pa)} points)"
        )
    rule = (
        f"good within {_num(t['good_attendance_gap'])} points of national attendance and "
        f"{_num(t['good_pa_gap'])} of national persistent absence; inadequate beyond "
        f"{_num(t['inadequate_attendance_gap'])} and {_num(t['inadequate_pa_gap'])}"
    )
    if (att is not None and att < -t["inadequate_attendance_gap"]) or (pa is not None and pa > t["inadequate_pa_gap"]):
        return "inadequate", f"{rule} ({'; '.join(shown)})", set()
    if missing:
        return None, "", missing
    good = att >= -t["good_attendance_gap"] and pa <= t["good_pa_gap"]
    return ("good" if good else "not_consistently_good"), f"{rule} ({'; '.join(shown)})", set()


def _exclusions(facts: dict, p: dict):
    e = p["exclusions"]
    missing = _inputs(facts, "suspensions_rate", "national_suspensions_rate")
    if missing:
        return None, "", missing
    rate, national = float(facts["suspensions_rate"]), float(facts["national_suspensions_rate"])
    at, high = round(national * e["at_national_ratio"], 6), round(national * e["high_ratio"], 6)
    level = (
        f"suspensions_rate {_num(rate)} against national {_num(national)} (at national up to {_num(at)}, "
        f"high over {_num(high)})"
    )
    if rate <= at:
        return "at_or_reducing_to_national", level, set()
    if rate > high:
        return "high_or_rising", level, set()
    series = facts.get("suspensions_rate_history")
    values = [float(v) for v in series[-int(e["years"]) :] if v is not None] if isinstance(series, list) else []
    if len(values) < 2:
        return None, "", {"suspensions_rate_history"}
    first, last = values[0], values[-1]
    shown = f"{level}; suspensions_rate_history [{', '.join(_num(v) for v in values)}]"
    if last < first * (1 - e["trend_fraction"]):
        return "at_or_reducing_to_national", f"{shown}, reducing by more than {_num(e['trend_fraction'])}", set()
    if last > first * (1 + e["trend_fraction"]):
        return "high_or_rising", f"{shown}, rising by more than {_num(e['trend_fraction'])}", set()
    return "few_not_reducing", f"{shown}, not reducing by more than {_num(e['trend_fraction'])}", set()


DERIVATIONS = (
    ("below_floor", _below_floor),
    ("data_trend", _data_trend),
    ("coasting", _coasting),
    ("attainment_vs_national", _attainment_vs_national),
    ("progress_vs_average", _progress_vs_average),
    ("progress_3yr", _progress_3yr),
    ("attendance", _attendance),
    ("exclusions", _exclusions),
)
# Every fact derive can give: the measures, and what an inspection implies.
DERIVABLE = ("ofsted_category", "consecutive_ri", "ofsted_grade", *(name for name, _ in DERIVATIONS))
