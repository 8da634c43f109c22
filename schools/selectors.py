"""Reads of schools and clusters, always within one partnership."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.shortcuts import get_object_or_404

from partnership.models import Partnership

from .models import (
    Benchmark,
    Cluster,
    ClusterMembership,
    Grade,
    ImportRun,
    Inspection,
    LocalIndicator,
    PerformanceResult,
    School,
)

ENGLAND_CODE = "E92000001"
# The LA's judgements (LocalIndicator fields), under the names the API and the school list CSV use.
JUDGEMENT_COLUMNS = (
    "self_evaluation_grade",
    "sef_validated_grade",
    "finance_concern",
    "complaints",
    "outward_facing",
    "teaching_quality",
    "leadership_governance",
    "likely_next_ofsted_grade",
    "behaviour_concern",
    "self_evaluation_accurate",
    "judged_securely_good",
    "recent_s8_with_priorities",
)


def school_list(partnership: Partnership) -> QuerySet[School]:
    return School.objects.for_partnership(partnership)


def get_school(partnership: Partnership, urn: str) -> School:
    return get_object_or_404(school_list(partnership), urn=urn)


def cluster_list(partnership: Partnership) -> QuerySet[Cluster]:
    full = Q(members__kind=ClusterMembership.Kind.FULL)
    return Cluster.objects.for_partnership(partnership).annotate(
        full_members=Count("members", filter=full),
        associate_members=Count("members", filter=Q(members__kind=ClusterMembership.Kind.ASSOCIATE)),
        pupils=Sum("members__school__pupils", filter=full),
    )


def get_cluster(partnership: Partnership, slug: str) -> Cluster:
    return get_object_or_404(cluster_list(partnership), slug=slug)


def cluster_members(cluster: Cluster) -> QuerySet[ClusterMembership]:
    return (
        ClusterMembership.objects.for_partnership(cluster.partnership)
        .filter(cluster=cluster)
        .select_related("school")
        .order_by("kind", "school__name")
    )


def school_clusters(school: School) -> QuerySet[ClusterMembership]:
    return (
        ClusterMembership.objects.for_partnership(school.partnership)
        .filter(school=school)
        .select_related("cluster")
        .order_by("kind", "cluster__name")
    )


# ---- inspections, results and facts ---------------------------------------------------------


def school_inspections(school: School) -> QuerySet[Inspection]:
    return Inspection.objects.for_partnership(school.partnership).filter(school=school).order_by("-inspection_date")


def school_local_indicators(school: School) -> QuerySet[LocalIndicator]:
    """The LA's own judgements of the school by year, newest first: protected data (see partnership.sharing)."""
    return LocalIndicator.objects.for_partnership(school.partnership).filter(school=school).order_by("-academic_year")


def school_local_indicator(school: School, year: str) -> LocalIndicator | None:
    """The LA's judgements of the school for one academic year, or None where none are recorded."""
    return school_local_indicators(school).filter(academic_year=year).first()


def school_results(school: School) -> QuerySet[PerformanceResult]:
    return PerformanceResult.objects.for_partnership(school.partnership).filter(school=school).order_by("academic_year")


def inspection_list(partnership: Partnership) -> QuerySet[Inspection]:
    return (
        Inspection.objects.for_partnership(partnership)
        .select_related("school")
        .order_by("school__urn", "-inspection_date")
    )


def result_list(partnership: Partnership) -> QuerySet[PerformanceResult]:
    return (
        PerformanceResult.objects.for_partnership(partnership)
        .select_related("school")
        .order_by("school__urn", "academic_year")
    )


def benchmark_list(partnership: Partnership) -> QuerySet[Benchmark]:
    return Benchmark.objects.for_partnership(partnership)


def import_run_list(partnership: Partnership) -> QuerySet[ImportRun]:
    return ImportRun.objects.for_partnership(partnership).select_related("created_by", "applied_by")


def get_import_run(partnership: Partnership, run_uuid) -> ImportRun:
    return get_object_or_404(import_run_list(partnership), uuid=run_uuid)


def previous_years(year: str, count: int) -> list[str]:
    """The academic year and the ones before it, oldest first: previous_years("2018-19", 3)."""
    start = int(year[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(start - count + 1, start + 1)]


def academic_year_of(year: int, month: int, start_month: int = 9) -> str:
    """The academic year a month falls in, for a year starting in ``start_month``: (2019, 3) -> "2018-19"."""
    start = year if month >= start_month else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _in_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class DataYears:
    """The academic years a partnership holds data for, oldest first: published results by year, and the
    years in which its schools were inspected."""

    results: tuple[str, ...]
    inspections: tuple[str, ...]

    @property
    def latest(self) -> str | None:
        """The year a categorisation defaults to: the newest with results, else the newest with an inspection.
        Results come first because inspections run ahead of them (an Ofsted file is imported monthly, the
        year's results a year later): a year with only a few inspections would leave most schools with no
        category."""
        return (self.results or self.inspections or (None,))[-1]

    @property
    def sentence(self) -> str:
        """In words, for the pages that ask for a year: "Data is held for 2017-18 and 2018-19 ..."."""
        inspected = f"Ofsted inspections are held up to {self.inspections[-1]}." if self.inspections else ""
        if self.results:
            return f"Data is held for {_in_words(list(self.results))}. {inspected}".strip()
        if inspected:
            return f"No results are held yet. {inspected}"
        return "No results or inspections are held yet: import them first."


def data_years(partnership: Partnership) -> DataYears:
    """Which academic years the partnership has performance results or inspections for. Two queries, each
    answering a row per year (or per month inspected), whatever the number of schools."""
    results = (
        PerformanceResult.objects.for_partnership(partnership)
        .order_by("academic_year")
        .values_list("academic_year", flat=True)
        .distinct()
    )
    months = (
        Inspection.objects.for_partnership(partnership)
        .annotate(y=ExtractYear("inspection_date"), m=ExtractMonth("inspection_date"))
        .order_by()
        .values_list("y", "m")
        .distinct()
    )
    start = partnership.academic_year_start_month
    inspected = sorted({academic_year_of(y, m, start) for y, m in months})
    return DataYears(results=tuple(results), inspections=tuple(inspected))


def default_academic_year(partnership: Partnership, years: DataYears | None = None) -> str:
    """The year a form asks about first: the newest the partnership has data for, else its current year."""
    years = years or data_years(partnership)
    return years.latest or partnership.current_academic_year


# the officers' judgements from the local data (LocalIndicator), under their own fact names
JUDGEMENT_FACTS = (
    "sef_validated_grade",
    "finance_concern",
    "outward_facing",
    "teaching_quality",
    "leadership_governance",
    "likely_next_ofsted_grade",
    "behaviour_concern",
    "self_evaluation_accurate",
    "judged_securely_good",
    "recent_s8_with_priorities",
)

SCHOOL_SORTS = {
    "name": ("name", "urn"),
    "-name": ("-name", "urn"),
    "urn": ("urn",),
    "pupils": ("pupils", "name"),
    "-pupils": ("-pupils", "name"),
    "ofsted": ("latest_grade", "name"),
    "-ofsted": ("-latest_grade", "name"),
    "cluster": ("cluster_name", "name"),
}


def school_browse(
    partnership: Partnership,
    *,
    query: str = "",
    cluster_slug: str = "",
    phase: str = "",
    school_type: str = "",
    grade: str = "",
    school_ids=None,
    sort: str = "name",
) -> QuerySet[School]:
    """The school list with its filters and sort; the latest Ofsted grade and main cluster are annotated,
    so a page of the list costs the same few queries whatever the number of schools."""
    latest = Inspection.objects.filter(school=OuterRef("pk"), overall_grade__isnull=False).order_by("-inspection_date")
    main_cluster = ClusterMembership.objects.filter(school=OuterRef("pk"), kind=ClusterMembership.Kind.FULL)
    schools = school_list(partnership).annotate(
        latest_grade=Subquery(latest.values("overall_grade")[:1]),
        latest_category=Subquery(latest.values("category")[:1]),
        cluster_name=Subquery(main_cluster.values("cluster__name")[:1]),
        cluster_slug=Subquery(main_cluster.values("cluster__slug")[:1]),
    )
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(urn=query) | Q(postcode__istartswith=query))
    if cluster_slug:
        schools = schools.filter(
            cluster_memberships__cluster__slug=cluster_slug, cluster_memberships__partnership=partnership
        ).distinct()
    if phase:
        schools = schools.filter(phase=phase)
    if school_type:
        schools = schools.filter(school_type=school_type)
    if school_ids is not None:
        schools = schools.filter(pk__in=school_ids)
    if grade == "none":
        schools = schools.filter(latest_grade__isnull=True)
    elif grade in {"1", "2", "3", "4"}:
        schools = schools.filter(latest_grade=int(grade))
    return schools.order_by(*SCHOOL_SORTS.get(sort, SCHOOL_SORTS["name"]))


def school_trends(school: School, *, years: int = 3) -> dict:
    """The school's last few years of results with the England (state-funded) figures beside them."""
    results = list(school_results(school))
    if not results:
        return {"years": [], "results": {}, "national": {}}
    shown = previous_years(results[-1].academic_year, years)
    national = {
        b.academic_year: b
        for b in benchmark_list(school.partnership).filter(
            level=Benchmark.Level.ENGLAND_STATE, code=ENGLAND_CODE, academic_year__in=shown
        )
    }
    return {"years": shown, "results": {r.academic_year: r for r in results}, "national": national}


def cluster_headlines(cluster: Cluster) -> dict:
    """Headline figures of a cluster's full members: Ofsted grades and the latest results, in a few queries."""
    full = cluster_members(cluster).filter(kind=ClusterMembership.Kind.FULL)
    school_ids = list(full.values_list("school_id", flat=True))
    latest = Inspection.objects.filter(school=OuterRef("pk"), overall_grade__isnull=False).order_by("-inspection_date")
    grades = Counter(
        School.objects.filter(pk__in=school_ids)
        .annotate(g=Subquery(latest.values("overall_grade")[:1]))
        .values_list("g", flat=True)
    )
    results = PerformanceResult.objects.for_partnership(cluster.partnership).filter(school_id__in=school_ids)
    year = results.aggregate(year=Max("academic_year"))["year"]
    averages = {}
    if year:
        averages = results.filter(academic_year=year).aggregate(
            ks2_rwm=Avg("ks2_rwm_expected_pct"),
            p8=Avg("progress8"),
            att8=Avg("attainment8"),
            ks2_schools=Count("id", filter=Q(ks2_rwm_expected_pct__isnull=False)),
            ks4_schools=Count("id", filter=Q(progress8__isnull=False)),
        )
    graded = sum(n for g, n in grades.items() if g)
    good = grades.get(1, 0) + grades.get(2, 0)
    return {
        "grades": [(label, grades.get(value, 0)) for value, label in Grade.choices],
        "not_inspected": grades.get(None, 0),
        "good_or_better_pct": round(100 * good / graded) if graded else None,
        "year": year,
        "averages": averages,
    }


# ---- the LA's judgements (LocalIndicator): protected data, read for the schools the caller names ----------


def judgement_list(partnership: Partnership, school_ids) -> QuerySet[LocalIndicator]:
    """The LA's judgements of the given schools, by URN then newest year first."""
    return (
        LocalIndicator.objects.for_partnership(partnership)
        .filter(school_id__in=school_ids)
        .select_related("school")
        .order_by("school__urn", "-academic_year")
    )


def latest_judgements(partnership: Partnership, school_ids: set[int]) -> dict[int, LocalIndicator]:
    """School id -> its newest year of LA judgements, for the given schools. One query.

    The partnership's rows are read and filtered here rather than with ``IN (...)``, so the query is
    the same whatever the number of schools (SQLite caps the parameters of one statement)."""
    latest: dict[int, LocalIndicator] = {}
    for indicator in LocalIndicator.objects.for_partnership(partnership).order_by("school_id", "-academic_year"):
        if indicator.school_id in school_ids and indicator.school_id not in latest:
            latest[indicator.school_id] = indicator
    return latest
