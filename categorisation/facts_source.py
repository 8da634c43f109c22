"""The facts of every school of a partnership for one academic year, in a fixed number of queries.

``facts_for_partnership`` gives, for each school, the same dict as ``schools.selectors.school_facts``
(which reads one school at a time): it reads the schools, their graded inspections up to the end of
the year, their results for the year and the two before it, the LA's local indicators for the year and
the year's England benchmark rows in five bulk queries, then builds each school's facts in Python with
the selectors' own builder (``build_facts``). A run over a thousand schools costs the same five queries
as a run over one.

The rows are read as named tuples of only the columns the facts use, not as model instances: a national
run reads a hundred thousand of them, and building models is most of the cost of reading.
"""

from collections import defaultdict
from datetime import date

from categorisation.facts import (
    ENGLAND_CODE,
    FACT_MEASURES,
    JUDGEMENT_FACTS,
    NATIONAL_LEVELS,
    build_facts,
    national_figures,
    previous_years,
)
from partnership.models import Partnership
from schools.models import Benchmark, Inspection, LocalIndicator, PerformanceResult, School

SCHOOL_COLUMNS = ("pk", "urn", "phase", "school_type", "age_high")
INSPECTION_COLUMNS = ("school_id", "overall_grade", "leadership_grade", "category", "safeguarding_effective")
# fact_phase also looks at these to tell a primary from a secondary when the phase does not say
RESULT_COLUMNS = tuple(
    dict.fromkeys(
        (
            "school_id",
            "academic_year",
            *FACT_MEASURES.values(),
            "attainment8",
            "progress8",
            "ks2_rwm_expected_pct",
            "ks2_progress_reading",
        )
    )
)
LOCAL_COLUMNS = ("school_id", *JUDGEMENT_FACTS)


def _rows(queryset, columns):
    return queryset.values_list(*columns, named=True)


def facts_for_partnership(partnership: Partnership, year: str, *, school_ids=None) -> dict[int, dict]:
    """{school id: facts} for the partnership's schools (or those of ``school_ids``) in ``year``."""
    years = previous_years(year, 3)
    year_end = date(int(year[:4]) + 1, 8, 31)
    schools = School.objects.for_partnership(partnership).order_by("pk")
    if school_ids is not None:
        schools = schools.filter(pk__in=list(school_ids))
    schools = list(_rows(schools, SCHOOL_COLUMNS))
    wanted = {s.pk for s in schools}

    graded: dict[int, list[Inspection]] = defaultdict(list)
    inspections = (
        Inspection.objects.for_partnership(partnership)
        .filter(inspection_date__lte=year_end, overall_grade__isnull=False)
        .order_by("school_id", "-inspection_date")
    )
    results: dict[int, dict[str, PerformanceResult]] = defaultdict(dict)
    # No ordering: the models' default one sorts by school name, which joins every school to sort them.
    performance = PerformanceResult.objects.for_partnership(partnership).filter(academic_year__in=years).order_by()
    local = LocalIndicator.objects.for_partnership(partnership).filter(academic_year=year).order_by()
    if school_ids is not None:
        inspections = inspections.filter(school_id__in=wanted)
        performance = performance.filter(school_id__in=wanted)
        local = local.filter(school_id__in=wanted)
    for inspection in _rows(inspections, INSPECTION_COLUMNS):
        graded[inspection.school_id].append(inspection)
    for result in _rows(performance, RESULT_COLUMNS):
        results[result.school_id][result.academic_year] = result
    locals_ = {row.school_id: row for row in _rows(local, LOCAL_COLUMNS)}
    # The same England rows for every school: one query, whatever the number of schools.
    benchmarks = list(
        Benchmark.objects.for_partnership(partnership).filter(
            academic_year=year, level__in=NATIONAL_LEVELS, code=ENGLAND_CODE
        )
    )
    national = national_figures(benchmarks)
    return {
        school.pk: build_facts(
            school,
            year,
            years,
            graded.get(school.pk, []),
            results.get(school.pk, {}),
            locals_.get(school.pk),
            benchmarks,
            national=national,
        )
        for school in schools
    }
