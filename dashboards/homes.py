"""The sections of the home page, one per kind of membership the person holds, each saying what to do next.

A headteacher's and a governor's school (its category, its letters, the self-assessment waiting), a strategic
partner's grants, what is coming to the board, and what is waiting on the LA's officers. A person with several
roles gets each section. Categories come from ``dashboards.categories.shown_categories`` (the same read as the
school page and the list), letters only where the letter page would hand them over.
"""

from collections import Counter
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from categorisation.letters import letters_to_post
from categorisation.models import Result, Run
from categorisation.runs import can_self_assess
from categorisation.selectors import (
    confirmed_runs,
    letters_of_run,
    run_list,
    run_results,
    school_history,
    sees_unrevealed,
    self_assessment_for,
    unrevealed_school_ids,
)
from categorisation.views.common import is_officer, own_school_ids, require_full_access
from partnership.roles import SCHOOL_ROLES, Role
from schools.models import ImportRun
from schools.selectors import import_run_list
from sharing.rules import active_partner_grants

from .categories import framework_order, shown_categories

# The import tasks stop after 30 minutes (schools.tasks): one still working after that has stopped for good.
IMPORT_STUCK_AFTER = timedelta(minutes=30)
IMPORT_FAILED_WITHIN = timedelta(days=30)


def may_open_letter(request, result) -> bool:
    """Whether the letter page (``categorisation_letter``) would hand this result's letter to the person: the
    same two checks it makes, officers or the school's own headteacher and governors, with full access."""
    if not is_officer(request) and result.school_id not in own_school_ids(request):
        return False
    try:
        require_full_access(request, result.school)
    except PermissionDenied:
        return False
    return True


def _letters(request, school) -> list[dict]:
    """The school's letters, newest year first, that the person may open: one a confirmed year."""
    history = school_history(
        request.partnership, school, to_officer=sees_unrevealed(request.roles), own=own_school_ids(request)
    )
    letters = []
    for year in reversed(history):
        result = year["result"]
        if not year["shown"] or result.status != Result.Status.CONFIRMED or not may_open_letter(request, result):
            continue
        letter = letters_of_run(result.run).filter(result=result).first()
        if letter is not None:
            letters.append({"year": year["year"], "run": result.run, "letter": letter})
    return letters


def school_sections(request, full: set[int]) -> list[dict]:
    """One section per school the person is headteacher or governor of."""
    memberships = [m for m in request.memberships if m.role in SCHOOL_ROLES and m.school_id]
    if not memberships:
        return []
    shown = shown_categories(request, {m.school_id for m in memberships} & full)
    run = shown.run
    sections = []
    for m in memberships:
        school = m.school
        section = {
            "membership": m,
            "school": school,
            "full": school.pk in full,
            "category": shown.categories.get(school.pk),
            "run": run,
            "letters": _letters(request, school) if school.pk in full else [],
            "self_assessment": None,
        }
        if m.role == Role.HEAD and run is not None and school.pk in full:
            section["self_assessment"] = _self_assessment(request, run, school)
        sections.append(section)
    return sections


def _self_assessment(request, run, school) -> dict | None:
    """The self-assessment the run waits for from the school, or the one it sent; None when the run has no
    result for it or is confirmed. The model keeps no due date, so none is given."""
    result = run_results(run, school_ids={school.pk}).first()
    if result is None or run.confirmed_at is not None or not can_self_assess(request.user, school)[0]:
        return None
    assessment = self_assessment_for(result)
    return {
        "result": result,
        "assessment": assessment,
        "waiting": assessment is None and result.status not in (Result.Status.AGREED, Result.Status.CONFIRMED),
    }


def partner_grants(request, today) -> list:
    """The strategic partner's current grants, by school, with their end dates."""
    mine = [m.pk for m in request.memberships if m.role == Role.PARTNER]
    if not mine:
        return []
    return list(
        active_partner_grants(request.partnership, today)
        .filter(membership_id__in=mine)
        .select_related("school")
        .order_by("school__name", "ends_on")
    )


def board_section(request, full: set[int]) -> dict:
    """What is coming to the board: the categorisation the members are shown, whether it is confirmed and its
    letters sent, and how many of the schools whose data the person may see are in each category (a held-back
    category is counted nowhere, as the list shows it nowhere)."""
    shown = shown_categories(request, full)
    run = shown.run
    if run is None:
        return {"run": None, "counts": []}
    counted = Counter(c.code for c in shown.categories.values())
    counts = [(code, label, counted[code]) for code, label in framework_order(run) if counted[code]]
    return {"run": run, "counts": counts, "letters_done": run.letters_status == Run.Letters.DONE}


def officer_section(request) -> dict:
    """What waits on the LA: results to moderate and schools yet to self-assess in the finished runs not yet
    confirmed, letters to post of the newest confirmed run, runs in progress or failed, imports that failed in
    the last 30 days or stopped."""
    partnership = request.partnership
    # One read of the runs that want something, split here.
    runs = list(
        run_list(partnership).filter(
            Q(status=Run.Status.DONE, confirmed_at__isnull=True)
            | Q(status__in=[Run.Status.QUEUED, Run.Status.RUNNING, Run.Status.FAILED])
        )
    )
    open_runs = [
        {
            "run": run,
            "flagged": run_results(run, status=Result.Status.FLAGGED).count(),
            "to_self_assess": len(unrevealed_school_ids(run)),
        }
        for run in runs
        if run.status == Run.Status.DONE
    ]
    latest_confirmed = (
        confirmed_runs().filter(partnership=partnership).order_by("-academic_year", "-confirmed_at").first()
    )
    now = timezone.now()
    working = [ImportRun.Status.PREVIEWING, ImportRun.Status.QUEUED, ImportRun.Status.APPLYING]
    imports = list(
        import_run_list(partnership).filter(
            Q(status=ImportRun.Status.FAILED, created_at__gte=now - IMPORT_FAILED_WITHIN)
            | Q(status__in=working, created_at__lt=now - IMPORT_STUCK_AFTER)
        )[:20]
    )
    return {
        "open_runs": open_runs,
        "working_runs": [run for run in runs if run.is_working],
        "failed_runs": [run for run in runs if run.status == Run.Status.FAILED],
        "latest_confirmed": latest_confirmed,
        "to_post": len(letters_to_post(latest_confirmed)) if latest_confirmed else 0,
        "failed_imports": [i for i in imports if i.status == ImportRun.Status.FAILED],
        "stuck_imports": [i for i in imports if i.status != ImportRun.Status.FAILED],
    }
