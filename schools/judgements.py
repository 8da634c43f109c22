"""A school's protected data outside its own page: the LA's judgements (LocalIndicator) and its
categorisation results, and who may read them.

The school list's CSV export and the protected API read through here, so both ask the sharing rules
(partnership.sharing) the same way: one call gives the person's access to every school of the
partnership in a fixed number of queries; protected data is read only for the schools at ``full``; and
every school whose protected data leaves is logged for its data controller, in one bulk insert.
"""

from django.db.models import QuerySet
from django.utils import timezone

from partnership import sharing
from partnership.models import DataAccessLog, Partnership
from partnership.sharing import Access

from .models import LocalIndicator


def accesses_for(user, partnership: Partnership) -> dict[int, Access]:
    """School id -> the person's access to it, with the rule, for every school of the partnership.

    The same answers as ``sharing.access_for`` school by school and ``sharing.visible_school_ids`` as a
    set (tests/schools/test_protected_data.py checks both), computed once for a whole list.
    """
    return sharing.accesses_for(user, partnership)


def full_ids(accesses: dict[int, Access]) -> set[int]:
    return {school_id for school_id, access in accesses.items() if access.is_full}


def log_views(user, partnership: Partnership, accesses: dict[int, Access], school_ids, what: str) -> int:
    """Log one view of protected data per school (who, what, when, the rule), in one bulk insert.

    The bulk form of ``partnership.services.log_data_view``; only schools at ``full`` are logged, since
    nothing protected leaves for the others. Returns the number of rows written."""
    now = timezone.now()
    username = getattr(user, "username", "") or "anonymous"
    rows = [
        DataAccessLog(
            partnership=partnership,
            user=user if user.is_authenticated else None,
            username=username,
            school_id=school_id,
            what=what[:200],
            because=accesses[school_id].because[:300],
            created_at=now,
        )
        for school_id in dict.fromkeys(school_ids)
        if school_id in accesses and accesses[school_id].is_full
    ]
    DataAccessLog.objects.bulk_create(rows)
    return len(rows)


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
