"""Reads of categorisation frameworks, always through the partnership."""

from django.db import models
from django.shortcuts import get_object_or_404

from partnership.models import Partnership

from .models import Framework, FrameworkVersion


def framework_list(partnership: Partnership) -> models.QuerySet[Framework]:
    return Framework.objects.for_partnership(partnership)


def get_framework(partnership: Partnership, slug: str) -> Framework:
    """The partnership's framework with this slug; another partnership's is a 404, as a missing one."""
    return get_object_or_404(framework_list(partnership), slug=slug)


def framework_versions(framework: Framework) -> models.QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.for_partnership(framework.partnership).filter(framework=framework)


def published_version(framework: Framework) -> FrameworkVersion | None:
    """The current version: the highest-numbered published one."""
    return (
        framework_versions(framework).filter(status=FrameworkVersion.Status.PUBLISHED).order_by("-number").first()
    )


def draft_version(framework: Framework) -> FrameworkVersion | None:
    return framework_versions(framework).filter(status=FrameworkVersion.Status.DRAFT).first()


def framework_export(framework: Framework, *, number: int | None = None) -> dict:
    """The definition of a published version (the current one by default) as a JSON-ready dict.

    It has the same shape as the shipped files, so it can be imported elsewhere or given to
    ``manage.py categorise --framework-file``.
    """
    versions = framework_versions(framework).filter(status=FrameworkVersion.Status.PUBLISHED)
    version = versions.get(number=number) if number is not None else versions.order_by("-number").first()
    if version is None:
        raise FrameworkVersion.DoesNotExist(f"{framework} has no published version to export.")
    return dict(version.definition)


# ---- runs and results ------------------------------------------------------------------------------


def run_list(partnership: Partnership) -> models.QuerySet:
    from .models import Run

    return Run.objects.for_partnership(partnership).select_related(
        "framework_version__framework", "started_by", "confirmed_by")


def get_run(partnership: Partnership, run_uuid):
    return get_object_or_404(run_list(partnership), uuid=run_uuid)


def published_versions(partnership: Partnership) -> models.QuerySet[FrameworkVersion]:
    return (FrameworkVersion.objects.for_partnership(partnership)
            .filter(status=FrameworkVersion.Status.PUBLISHED).select_related("framework")
            .order_by("framework__name", "-number"))


def run_results(run, *, category: str = "", status: str = "", query: str = "") -> models.QuerySet:
    """The results of a run, with the filters of the results table."""
    from .models import Result

    results = Result.objects.for_partnership(run.partnership).filter(run=run).select_related("school")
    if category == "none":
        results = results.filter(computed_category__isnull=True, final_category="")
    elif category:
        results = results.filter(models.Q(final_category=category)
                                 | models.Q(final_category="", computed_category=category))
    if status:
        results = results.filter(status=status)
    if query:
        results = results.filter(models.Q(school__name__icontains=query) | models.Q(school__urn=query))
    return results.order_by("school__name")


def run_counts(run) -> dict:
    from .models import Result

    counts = {"status": {}, "category": {}}
    for status, category, final in Result.objects.filter(run=run).values_list(
            "status", "computed_category", "final_category"):
        counts["status"][status] = counts["status"].get(status, 0) + 1
        key = final or category or "none"
        counts["category"][key] = counts["category"].get(key, 0) + 1
    return counts


def get_result(run, urn: str):
    from .models import Result

    return get_object_or_404(
        Result.objects.for_partnership(run.partnership).filter(run=run)
        .select_related("school", "framework_version__framework", "run", "confirmed_by"),
        school__urn=urn,
    )


def self_assessment_for(result):
    from .models import SelfAssessment

    return SelfAssessment.objects.for_partnership(result.partnership).filter(
        framework=result.framework_version.framework, school=result.school, academic_year=result.academic_year,
    ).select_related("submitted_by").first()


def moderation_notes(result):
    from .models import ModerationNote

    return list(ModerationNote.objects.for_partnership(result.partnership).filter(result=result)
                .select_related("created_by"))


def school_history(partnership: Partnership, school) -> list[dict]:
    """The school's category year by year (per year the confirmed result of the latest run, else the
    latest run's), oldest first, with the movement from the year before: "new", "same", "changed" (from
    which category), or "different framework". No direction is claimed: frameworks order categories by
    precedence, which is not always severity (Milton Keynes lists its best category first)."""
    from .models import Result

    results = (Result.objects.for_partnership(partnership).filter(school=school)
               .select_related("framework_version__framework", "run").order_by("academic_year", "-run__created_at"))
    by_year: dict[str, Result] = {}
    for r in results:
        kept = by_year.get(r.academic_year)
        if kept is None or (r.status == Result.Status.CONFIRMED and kept.status != Result.Status.CONFIRMED):
            by_year[r.academic_year] = r
    history, previous = [], None
    for year in sorted(by_year):
        r = by_year[year]
        if previous is None:
            movement = "new"
        elif previous.framework_version.framework_id != r.framework_version.framework_id:
            movement = "different framework"
        elif previous.category == r.category:
            movement = "same"
        else:
            movement = "changed"
        history.append({"year": year, "result": r, "movement": movement,
                        "from": previous.category if previous else None})
        previous = r
    return history


def letters_of_run(run) -> models.QuerySet:
    from .models import Letter

    return Letter.objects.for_partnership(run.partnership).filter(result__run=run).order_by("filename")


def latest_categories(partnership: Partnership) -> dict[int, str]:
    """Each school's current category: from the newest finished run that has a result for it, the
    agreed final category if moderated, else the computed one. Schools with none are left out. One query."""
    from .models import Result, Run

    rows = (
        Result.objects.for_partnership(partnership)
        .filter(run__status=Run.Status.DONE)
        .order_by("school_id", "-run__created_at", "-run_id")
        .values_list("school_id", "final_category", "computed_category")
    )
    categories: dict[int, str] = {}
    for school_id, final, computed in rows:
        if school_id not in categories and (final or computed):
            categories[school_id] = final or computed
    return categories
