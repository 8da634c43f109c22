"""The facts of every school of a partnership for one academic year, in a fixed number of queries.

``facts_for_partnership`` gives, for each school, the same dict as ``schools.selectors.school_facts``
(which reads one school at a time): it reads the schools, their graded inspections up to the end of
the year, their results for the year and the two before it, and the LA's local indicators for the
year in four bulk queries, then builds each school's facts in Python with the selectors' own helpers.
A run over a thousand schools costs the same four queries as a run over one.
"""

from collections import defaultdict
from datetime import date

from partnership.models import Partnership
from schools.models import Grade, Inspection, LocalIndicator, PerformanceResult, School
from schools.selectors import FACT_MEASURES, HISTORY_FACTS, _number, _previous_judgement, fact_phase, previous_years


def facts_for_partnership(
    partnership: Partnership, year: str, *, school_ids=None
) -> dict[int, dict]:
    """{school id: facts} for the partnership's schools (or those of ``school_ids``) in ``year``."""
    years = previous_years(year, 3)
    year_end = date(int(year[:4]) + 1, 8, 31)
    schools = School.objects.for_partnership(partnership).order_by("pk")
    if school_ids is not None:
        schools = schools.filter(pk__in=list(school_ids))
    schools = list(schools)
    wanted = {s.pk for s in schools}

    graded: dict[int, list[Inspection]] = defaultdict(list)
    inspections = (
        Inspection.objects.for_partnership(partnership)
        .filter(inspection_date__lte=year_end, overall_grade__isnull=False)
        .order_by("school_id", "-inspection_date")
    )
    results: dict[int, dict[str, PerformanceResult]] = defaultdict(dict)
    performance = PerformanceResult.objects.for_partnership(partnership).filter(academic_year__in=years)
    local = LocalIndicator.objects.for_partnership(partnership).filter(academic_year=year)
    if school_ids is not None:
        inspections = inspections.filter(school_id__in=wanted)
        performance = performance.filter(school_id__in=wanted)
        local = local.filter(school_id__in=wanted)
    for inspection in inspections:
        graded[inspection.school_id].append(inspection)
    for result in performance:
        results[result.school_id][result.academic_year] = result
    locals_ = {row.school_id: row for row in local}
    return {
        school.pk: _facts(school, year, years, graded.get(school.pk, []), results.get(school.pk, {}),
                          locals_.get(school.pk))
        for school in schools
    }


def _facts(school: School, year: str, years: list[str], graded: list, results: dict, local) -> dict:
    """One school's facts, as schools.selectors.school_facts builds them (kept in step by a test)."""
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
    for fact in HISTORY_FACTS:
        field = FACT_MEASURES[fact]
        facts[f"{fact}_history"] = [_number(getattr(results[y], field)) if y in results else None for y in years]
    facts["sef_validated_grade"] = local.sef_validated_grade if local else None
    facts["finance_concern"] = (local.finance_concern or None) if local else None
    facts["outward_facing"] = (local.outward_facing or None) if local else None
    return facts
