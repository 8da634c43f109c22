"""A school's protected data outside its own page: the LA's judgements (LocalIndicator) and its
categorisation results, and who may read them.

The school list's CSV export and the protected API read through here, so both ask the sharing rules the
same way: ``partnership.sharing.accesses_for`` gives the person's access to every school of the
partnership in a fixed number of queries; protected data is read only for the schools at ``full``; and
every school whose protected data leaves is logged for its data controller in one bulk insert
(``partnership.services.log_data_views``).
"""

from django.db.models import QuerySet

from partnership.models import Partnership
from partnership.sharing import Access

from .models import LocalIndicator


def full_ids(accesses: dict[int, Access]) -> set[int]:
    return {school_id for school_id, access in accesses.items() if access.is_full}


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


def categorisation_list(partnership: Partnership, school_ids, *, to_officer: bool) -> QuerySet:
    """The categorisation results of the given schools from finished runs that the person may be shown
    (``categorisation.selectors.revealed``: a school self-assesses before anyone but the LA sees its
    computed category; ``to_officer``: see ``categorisation.selectors.sees_unrevealed``), by URN then newest
    run first."""
    from categorisation.models import Result, Run  # categorisation builds on schools
    from categorisation.selectors import revealed

    results = Result.objects.for_partnership(partnership).filter(school_id__in=school_ids, run__status=Run.Status.DONE)
    return (
        revealed(results, to_officer=to_officer)
        .select_related("school", "run", "framework_version__framework")
        .order_by("school__urn", "-run__created_at", "-run_id")
    )


def latest_categories(partnership: Partnership, school_ids: set[int], *, to_officer: bool) -> dict[int, dict]:
    """School id -> {"category", "status", "academic_year"} of its current category that the person may be
    shown, for the given schools (``categorisation.selectors.latest_results``). One query."""
    from categorisation.selectors import latest_results

    return latest_results(partnership, to_officer=to_officer, school_ids=school_ids)
