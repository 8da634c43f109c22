"""The facts categorisation reads about one school for one year, built from the schools' data: the
vocabulary of categorisation/engine/facts.py. ``facts_source`` reads the same for a whole partnership."""

from datetime import date
from decimal import Decimal

from partnership.models import Partnership
from schools.models import Benchmark, Grade, Inspection, LocalIndicator, PerformanceResult, Phase, School, SchoolType
from schools.selectors import (
    ENGLAND_CODE,
    JUDGEMENT_FACTS,
    benchmark_list,
    previous_years,
    school_inspections,
    school_results,
)

# Fact names are those of the categorisation vocabulary (categorisation/engine/facts.py): fact -> measure field
FACT_MEASURES = {
    "ks2_rwm_expected_pct": "ks2_rwm_expected_pct",
    "ks2_progress_reading": "ks2_progress_reading",
    "ks2_progress_writing": "ks2_progress_writing",
    "ks2_progress_maths": "ks2_progress_maths",
    "p8": "progress8",
    "p8_ci_upper": "p8_ci_upper",
    "p8_ci_lower": "p8_ci_lower",
    "attainment8": "attainment8",
    "eyfs_gld_pct": "eyfs_gld_pct",
    "attendance_pct": "attendance_pct",
    "persistent_absence_pct": "persistent_absence_pct",
    "suspensions_rate": "suspensions_rate",
    "permanent_exclusions": "permanent_exclusions",
}
# yearly histories, oldest first (fact <name>_history)
HISTORY_FACTS = (
    "ks2_rwm_expected_pct",
    "ks2_progress_reading",
    "ks2_progress_writing",
    "ks2_progress_maths",
    "p8",
    "p8_ci_upper",
    "suspensions_rate",
)
# England figures for the same academic year: fact -> Benchmark measure field
NATIONAL_FACTS = {
    "national_ks2_rwm_expected_pct": "ks2_rwm_expected_pct",
    "national_attainment8": "attainment8",
    "national_attendance_pct": "attendance_pct",
    "national_persistent_absence_pct": "persistent_absence_pct",
    "national_suspensions_rate": "suspensions_rate",
}
# England rows, most preferred first: the state-funded figures are the ones schools are compared with
NATIONAL_LEVELS = (Benchmark.Level.ENGLAND_STATE, Benchmark.Level.ENGLAND_ALL)
# measures shown beside the national and LA figures in the context
CONTEXT_MEASURES = {
    **FACT_MEASURES,
    "ks2_pupils": "ks2_pupils",
    "ks2_rwm_high_pct": "ks2_rwm_high_pct",
    "ks4_pupils": "ks4_pupils",
    "ks4_basics_95_pct": "ks4_basics_95_pct",
    "phonics_pct": "phonics_pct",
}
PRIMARY_PHASES = {Phase.PRIMARY, Phase.MIDDLE, Phase.NURSERY}
SECONDARY_PHASES = {Phase.SECONDARY, Phase.ALL_THROUGH, Phase.SIXTEEN_PLUS}


def _number(value):
    """A stored Decimal as the number the source file showed: 72 for "72%", -0.57 for "-0.57"."""
    if type(value) is Decimal:
        number = float(value)  # a stored figure has at most a few decimal places: exact enough as a float
        return int(number) if number.is_integer() else number
    return value


def fact_phase(school: School, result: PerformanceResult | None) -> str | None:
    """The phase fact. A special school or an alternative provision is one whatever its age range or the
    key stage results it publishes (a special school for 3 to 19 year olds may publish Progress 8): the
    frameworks' floor standards and national comparisons are for mainstream primaries and secondaries."""
    if school.phase == Phase.SPECIAL or school.school_type == SchoolType.SPECIAL:
        return "special"
    if school.phase == Phase.AP or school.school_type == SchoolType.AP:
        return "alternative_provision"
    if school.phase in PRIMARY_PHASES:
        return "primary"
    if school.phase in SECONDARY_PHASES:
        return "secondary"
    if result is not None:
        if result.attainment8 is not None or result.progress8 is not None:
            return "secondary"
        if result.ks2_rwm_expected_pct is not None or result.ks2_progress_reading is not None:
            return "primary"
    if school.age_high is not None:
        return "primary" if school.age_high <= 11 else "secondary"
    return None


def _previous_judgement(inspection: Inspection | None):
    if inspection is None:
        return None
    return inspection.category or inspection.overall_grade  # "SM"/"SW" say more than grade 4


def national_figures(benchmarks) -> dict:
    """The national_* facts from a year's England benchmark rows (any iterable of Benchmark): each figure
    from the state-funded row, else from the all-schools row where the state-funded one lacks it; None
    when neither has it."""
    rows = {b.level: b for b in benchmarks if b.code == ENGLAND_CODE}
    preferred = [rows[level] for level in NATIONAL_LEVELS if level in rows]
    facts = {}
    for fact, field in NATIONAL_FACTS.items():
        values = (getattr(row, field) for row in preferred)
        facts[fact] = _number(next((v for v in values if v is not None), None))
    return facts


def local_judgements(local: LocalIndicator | None) -> dict:
    """The judgement facts of the year's local data; None for each when there is none or it is blank."""
    facts = {}
    for fact in JUDGEMENT_FACTS:
        value = getattr(local, fact) if local is not None else None
        facts[fact] = None if value == "" else value
    return facts


def build_facts(
    school: School,
    year: str,
    years: list[str],
    graded: list,
    results: dict,
    local,
    benchmarks,
    *,
    national: dict | None = None,
) -> dict:
    """One school's facts from what was read for it: graded inspections newest first (up to the year's
    end), results by year, the year's local indicator (or None) and the year's benchmark rows (or, as
    ``national``, the national_figures already worked out from them, for many schools at once). Shared by
    school_facts and categorisation.facts_source, so the two always agree."""
    latest = graded[0] if graded else None
    previous = graded[1] if len(graded) > 1 else None
    consecutive_ri = 0
    for inspection in graded:
        if inspection.overall_grade != Grade.REQUIRES_IMPROVEMENT:
            break
        consecutive_ri += 1
    result = results.get(year)
    facts: dict = {
        "urn": school.urn,
        "phase": fact_phase(school, result),
        "ofsted_grade": latest.overall_grade if latest else None,
        "ofsted_leadership_grade": latest.leadership_grade if latest else None,
        "previous_ofsted_grade": _previous_judgement(previous),
        "previous_ofsted_leadership_grade": previous.leadership_grade if previous else None,
        "ofsted_category": (latest.category or None) if latest else None,
        "consecutive_ri": consecutive_ri,
        "safeguarding_effective": latest.safeguarding_effective if latest else None,
    }
    for fact, field in FACT_MEASURES.items():
        facts[fact] = _number(getattr(result, field)) if result else None
    by_year = [results.get(y) for y in years]
    for fact in HISTORY_FACTS:
        field = FACT_MEASURES[fact]
        facts[f"{fact}_history"] = [None if row is None else _number(getattr(row, field)) for row in by_year]
    facts.update(national_figures(benchmarks) if national is None else national)
    facts.update(local_judgements(local))
    return facts


def _gather(partnership: Partnership, school: School, year: str) -> dict:
    years = previous_years(year, 3)
    year_end = date(int(year[:4]) + 1, 8, 31)
    graded = [i for i in school_inspections(school).filter(inspection_date__lte=year_end) if i.overall_grade]
    results = {r.academic_year: r for r in school_results(school).filter(academic_year__in=years)}
    benchmarks = {
        (b.level, b.code): b
        for b in benchmark_list(partnership).filter(
            academic_year=year,
            level__in=[*NATIONAL_LEVELS, Benchmark.Level.LA],
            code__in=[ENGLAND_CODE, school.la_code],
        )
    }
    local = LocalIndicator.objects.for_partnership(partnership).filter(school=school, academic_year=year).first()
    return {"years": years, "graded": graded, "results": results, "benchmarks": benchmarks, "local": local}


def school_facts(partnership: Partnership, school: School, year: str) -> dict:
    """The facts categorisation uses for a school and an academic year, named as in the categorisation
    vocabulary; None where missing or suppressed. Numbers are as the source files print them.

    Ofsted facts come from the graded inspections up to the end of that academic year (31 August); the
    national_* facts from the partnership's England benchmark rows for the year (state-funded first);
    the officers' judgements from the year's local data.
    """
    data = _gather(partnership, school, year)
    return build_facts(
        school, year, data["years"], data["graded"], data["results"], data["local"], data["benchmarks"].values()
    )


def school_fact_context(partnership: Partnership, school: School, year: str) -> dict:
    """What the facts rest on, for a person to check them: the inspection used, the years of the
    histories, and the LA and England (state-funded) figures for the same year."""
    data = _gather(partnership, school, year)
    latest = data["graded"][0] if data["graded"] else None
    result = data["results"].get(year)
    national = data["benchmarks"].get((Benchmark.Level.ENGLAND_STATE, ENGLAND_CODE))
    la = data["benchmarks"].get((Benchmark.Level.LA, school.la_code))

    def figures(source) -> dict:
        return {f: _number(getattr(source, field)) if source else None for f, field in CONTEXT_MEASURES.items()}

    local = data["local"]
    return {
        "name": school.name,
        "academic_year": year,
        "la_code": school.la_code,
        "school_type": school.school_type,
        "pupils": school.pupils,
        "ofsted_inspection_date": latest.inspection_date.isoformat() if latest else None,
        "ofsted_inspection_type": (latest.inspection_type or None) if latest else None,
        "history_years": data["years"],
        "school": figures(result),
        "la": figures(la),
        "england": figures(national),
        "self_evaluation_grade": local.self_evaluation_grade if local else None,
        "complaints": local.complaints if local else None,
        "sources": result.source.splitlines() if result else [],
    }


# ---- browsing ------------------------------------------------------------------------------------


def inspection_dates(school: School, year: str, facts: dict):
    """The dates of the inspections a result's Ofsted facts came from (``wording.Inspections``): the graded
    inspections up to the year's end, as the facts read them, each date kept only while that inspection
    still gives the grade the result used (an inspection recorded since leaves the date out, not wrong)."""
    from .wording import Inspections

    year_end = date(int(year[:4]) + 1, 8, 31)
    graded = [i for i in school_inspections(school).filter(inspection_date__lte=year_end) if i.overall_grade][:2]
    latest = graded[0] if graded else None
    previous = graded[1] if len(graded) > 1 else None
    return Inspections(
        latest=latest.inspection_date
        if latest is not None and latest.overall_grade == facts.get("ofsted_grade")
        else None,
        previous=previous.inspection_date
        if previous is not None and _previous_judgement(previous) == facts.get("previous_ofsted_grade")
        else None,
    )
