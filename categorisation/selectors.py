"""Reads of categorisation frameworks, always through the partnership."""

from django.db import models
from django.shortcuts import get_object_or_404

from partnership.models import Partnership
from partnership.roles import SCHOOL_ROLES, is_la

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
    return framework_versions(framework).filter(status=FrameworkVersion.Status.PUBLISHED).order_by("-number").first()


def draft_version(framework: Framework) -> FrameworkVersion | None:
    return framework_versions(framework).filter(status=FrameworkVersion.Status.DRAFT).first()


def editable_version(framework: Framework) -> FrameworkVersion | None:
    """The version the editor starts from: the draft, else the current published version."""
    return draft_version(framework) or published_version(framework)


def definition_changes(before: dict | None, after: dict, *, limit: int = 60) -> list[tuple[str, str, str]]:
    """What a draft changes against the published definition, one (where, before, after) per changed value,
    with categories and criteria named by code and id rather than position. Pure; for the what-if page."""

    def flatten(node, path: str, out: dict) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                flatten(value, f"{path}.{key}" if path else key, out)
        elif isinstance(node, list) and node and all(isinstance(v, dict) and ("code" in v or "id" in v) for v in node):
            for i, value in enumerate(node):
                name = value.get("code", value.get("id"))
                flatten({**value, "position": i + 1}, f"{path}[{name}]", out)
        else:
            out[path] = node

    old, new = {}, {}
    flatten(before or {}, "", old)
    flatten(after, "", new)
    changes = []
    for key in sorted(set(old) | set(new), key=lambda k: (k.split(".")[0] != "name", k)):
        if key in ("slug", "notes") or key.startswith("notes"):
            continue
        a, b = old.get(key, _ABSENT), new.get(key, _ABSENT)
        if a != b:
            changes.append((key, _shown(a), _shown(b)))
    return changes[:limit]


_ABSENT = object()


def _shown(value) -> str:
    import json

    if value is _ABSENT:
        return "(none)"
    return json.dumps(value, ensure_ascii=False)


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
        "framework_version__framework", "started_by", "confirmed_by"
    )


def get_run(partnership: Partnership, run_uuid):
    return get_object_or_404(run_list(partnership), uuid=run_uuid)


def published_versions(partnership: Partnership) -> models.QuerySet[FrameworkVersion]:
    return (
        FrameworkVersion.objects.for_partnership(partnership)
        .filter(status=FrameworkVersion.Status.PUBLISHED)
        .select_related("framework")
        .order_by("framework__name", "-number")
    )


def run_results(
    run, *, category: str = "", status: str = "", query: str = "", school_ids: set[int] | None = None
) -> models.QuerySet:
    """The results of a run, with the filters of the results table; only of ``school_ids`` when given
    (the schools the viewer has full access to: a hidden school is never listed or counted)."""
    from .models import Result

    results = Result.objects.for_partnership(run.partnership).filter(run=run).select_related("school")
    if school_ids is not None:
        results = results.filter(school_id__in=school_ids)
    if category == "none":
        results = results.filter(computed_category__isnull=True, final_category="")
    elif category:
        results = results.filter(
            models.Q(final_category=category) | models.Q(final_category="", computed_category=category)
        )
    if status:
        results = results.filter(status=status)
    if query:
        results = results.filter(models.Q(school__name__icontains=query) | models.Q(school__urn=query))
    return results.order_by("school__name")


def run_counts(run, *, school_ids: set[int] | None = None, hidden: set[int] = frozenset()) -> dict:
    """Results per status and per category (final, else computed, else "none"). Only of ``school_ids``
    when given; the schools in ``hidden`` (whose category the viewer may not see yet) count under
    "hidden" instead of a category."""
    from .models import Result

    counts = {"status": {}, "category": {}}
    rows = Result.objects.filter(run=run)
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    for school_id, status, category, final in rows.values_list(
        "school_id", "status", "computed_category", "final_category"
    ):
        counts["status"][status] = counts["status"].get(status, 0) + 1
        key = "hidden" if school_id in hidden else final or category or "none"
        counts["category"][key] = counts["category"].get(key, 0) + 1
    return counts


def run_progress(run, *, school_ids: set[int] | None = None) -> dict:
    """How far a run has got. For a viewer limited to ``school_ids``, done and total count only those
    schools, so the figures say nothing about a school they cannot see."""
    from .models import Result, Run

    if school_ids is None:
        total, done = run.total, run.done_count
    else:
        from schools.models import School

        total = School.objects.for_partnership(run.partnership).filter(pk__in=school_ids).count()
        done = (
            total
            if run.status == Run.Status.DONE
            else Result.objects.filter(run=run, attempt=run.attempt, school_id__in=school_ids).count()
        )
    if run.status == Run.Status.DONE:
        percent = 100
    else:
        percent = int(100 * done / total) if total else 0
    return {"done": done, "total": total, "percent": percent}


def self_assessed_categories(run, *, school_ids: set[int] | None = None) -> dict[int, str]:
    """school id -> the category the school self-assessed under the run's framework for its year. Only
    submitted self-assessments: a draft is not one."""
    from .models import SelfAssessment

    rows = SelfAssessment.objects.for_partnership(run.partnership).filter(
        framework_id=run.framework_version.framework_id,
        academic_year=run.academic_year,
        status=SelfAssessment.Status.SUBMITTED,
    )
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    return dict(rows.values_list("school_id", "category"))


def self_assessment_submitted(run, *, school_ids: set[int] | None = None) -> set[int]:
    """The ids of the schools that have submitted their self-assessment for the run's framework and year
    (a draft does not count): the schools not in it have not self-assessed."""
    return set(self_assessed_categories(run, school_ids=school_ids))


def unrevealed_school_ids(run, *, school_ids: set[int] | None = None, own: frozenset[int] = frozenset()) -> set[int]:
    """The schools whose LA category is not shown yet to anyone but officers: the results of the run that
    ``revealed`` holds back (the school self-assesses first; the category shows once it has, or once
    moderation agreed it)."""
    from .models import Result

    rows = Result.objects.filter(run=run)
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    shown = revealed(rows, to_officer=False, partnership=run.partnership, own=own).values("pk")
    return set(rows.exclude(pk__in=shown).values_list("school_id", flat=True))


def confirmed_runs() -> models.QuerySet:
    """The runs whose confirmed results stand (confirmed, not withdrawn): a year's results for everyone but
    the LA come from the newest of these."""
    from .models import Run

    return Run.objects.filter(confirmed_at__isnull=False).exclude(status=Run.Status.WITHDRAWN)


def run_shown_to_members(run) -> tuple[bool, str]:
    """Whether the members of the partnership who are not LA officers see this run, and if not why: every
    run but a withdrawn one, or a provisional one of a year whose confirmed results stand."""
    from .models import Run

    if run.status == Run.Status.WITHDRAWN:
        return False, "This run was withdrawn by the LA."
    if run.confirmed_at is None:
        if confirmed_runs().filter(partnership=run.partnership, academic_year=run.academic_year).exists():
            return False, (
                f"This is a provisional run of {run.academic_year}: the year's confirmed results stand until the "
                "LA confirms a newer run."
            )
    return True, "Runs are shown to the partnership's members, for the schools they may see."


def latest_shown_run(partnership: Partnership):
    """The newest run members see (``run_shown_to_members``): the newest finished, not withdrawn run, skipping
    provisional runs of a year that has confirmed results."""
    from .models import Run

    confirmed_years = confirmed_runs().filter(partnership=partnership).values("academic_year")
    return (
        Run.objects.for_partnership(partnership)
        .filter(status=Run.Status.DONE)
        .exclude(models.Q(confirmed_at__isnull=True) & models.Q(academic_year__in=confirmed_years))
        .order_by("-academic_year", "-created_at")
        .first()
    )


def get_result(run, urn: str):
    from .models import Result

    return get_object_or_404(
        Result.objects.for_partnership(run.partnership)
        .filter(run=run)
        .select_related("school", "framework_version__framework", "run", "confirmed_by"),
        school__urn=urn,
    )


def self_assessment_for(result, *, include_draft: bool = False):
    """The school's self-assessment for the result's framework and year: the submitted one, or with
    ``include_draft`` (for the school's own people only) also one still a draft."""
    from .models import SelfAssessment

    rows = SelfAssessment.objects.for_partnership(result.partnership).filter(
        framework=result.framework_version.framework,
        school=result.school,
        academic_year=result.academic_year,
    )
    if not include_draft:
        rows = rows.filter(status=SelfAssessment.Status.SUBMITTED)
    return rows.select_related("submitted_by").first()


def moderation_notes(result):
    from .models import ModerationNote

    return list(
        ModerationNote.objects.for_partnership(result.partnership).filter(result=result).select_related("created_by")
    )


def school_history(
    partnership: Partnership, school, *, to_officer: bool = True, own: frozenset[int] = frozenset()
) -> list[dict]:
    """The school's category year by year (per year the confirmed result of the latest run, else the
    latest run's), oldest first, with the movement from the year before: "new", "same", "changed" (from
    which category), or "different framework". No direction is claimed: frameworks order categories by
    precedence, which is not always severity (Milton Keynes lists its best category first).

    For anyone but an officer (``to_officer`` False) a year's category is ``shown`` by the same rule as
    everywhere else (``revealed``: once the school has self-assessed, or the category is agreed or
    confirmed), and a movement is given only between two shown years: "no change" next to a hidden
    category would give it away."""
    from .models import Result, Run

    results = (
        Result.objects.for_partnership(partnership)
        .filter(school=school)
        .exclude(run__status=Run.Status.WITHDRAWN)
        .select_related("framework_version__framework", "run")
        .order_by("academic_year", "-run__created_at")
    )
    by_year: dict[str, Result] = {}
    for r in results:
        kept = by_year.get(r.academic_year)
        if kept is None or (r.status == Result.Status.CONFIRMED and kept.status != Result.Status.CONFIRMED):
            by_year[r.academic_year] = r
    visible, held = set(), set()
    if not to_officer:
        kept = Result.objects.filter(pk__in=[r.pk for r in by_year.values()])
        visible = set(revealed(kept, to_officer=False, partnership=partnership, own=own).values_list("pk", flat=True))
        held_q = held_back(partnership, own=own)
        held = set(kept.filter(held_q).values_list("pk", flat=True)) if held_q is not None else set()
        # A year whose category is held back is left out, as its register entry is: "not shown yet" would
        # say there is something to hold back.
        by_year = {year: r for year, r in by_year.items() if r.pk not in held}
    history, previous = [], None
    for year in sorted(by_year):
        r = by_year[year]
        shown = to_officer or r.pk in visible
        if previous is None:
            movement = "new"
        elif not shown or not history[-1]["shown"]:
            movement = ""
        elif previous.framework_version.framework_id != r.framework_version.framework_id:
            movement = "different framework"
        elif previous.category == r.category:
            movement = "same"
        else:
            movement = "changed"
        history.append(
            {
                "year": year,
                "result": r,
                "shown": shown,
                "movement": movement,
                "from": previous.category if previous and movement == "changed" else None,
            }
        )
        previous = r
    return history


def letters_of_run(run) -> models.QuerySet:
    from .models import Letter

    return Letter.objects.for_partnership(run.partnership).filter(result__run=run).order_by("filename")


def sees_unrevealed(roles) -> bool:
    """LA officers (and platform admins) see a computed category before the school has self-assessed;
    nobody else does (the school self-assesses first, without the LA's answer in front of it). ``roles``:
    the person's roles in the partnership (``request.roles``)."""

    return is_la(roles)


def own_school_ids(memberships) -> frozenset[int]:
    """The schools a person is headteacher or governor of, from their memberships in the partnership."""
    return frozenset(m.school_id for m in memberships if m.role in SCHOOL_ROLES and m.school_id)


def register_category_codes(partnership: Partnership) -> dict[int, frozenset[str]]:
    """Framework version id -> the codes of its categories that put a school on the concern register
    (``"register": true``, as Calderdale's RED), for the partnership's published versions that have any."""
    from .models import FrameworkVersion

    published = FrameworkVersion.objects.for_partnership(partnership).filter(status=FrameworkVersion.Status.PUBLISHED)
    codes = {
        pk: frozenset(c["code"] for c in (definition or {}).get("categories", []) if c.get("register"))
        for pk, definition in published.values_list("pk", "definition")
    }
    return {pk: version_codes for pk, version_codes in codes.items() if version_codes}


def held_back(partnership: Partnership, *, own: frozenset[int] = frozenset()) -> models.Q | None:
    """The results whose category is held back like the register entry it causes: a category that puts the
    school on the Schools Causing Concern register is confidential to the LA and the school's own people
    until a formal warning notice is recorded or an Ofsted judgement put it there (DOMAIN 8). ``own``: the
    viewer's own schools, which see their category. None when no framework of the partnership has such a
    category. Officers are never given this (``revealed``)."""
    from sharing.models import ConcernRegisterEntry

    codes = register_category_codes(partnership)
    if not codes:
        return None
    is_register = models.Q()
    for version_id, version_codes in codes.items():
        is_register |= models.Q(framework_version_id=version_id) & (
            models.Q(final_category__in=version_codes)
            | models.Q(final_category="", computed_category__in=version_codes)
        )
    public = ConcernRegisterEntry.objects.filter(school_id=models.OuterRef("school_id")).filter(
        models.Q(reason_kind=ConcernRegisterEntry.ReasonKind.OFSTED) | models.Q(warning_notice_issued_on__isnull=False)
    )
    return is_register & ~models.Q(school_id__in=own) & ~models.Exists(public)


def held_back_school_ids(run, *, own: frozenset[int] = frozenset()) -> set[int]:
    """The schools of a run whose category is held back from the viewer (``held_back``): they are left out of
    the run's lists, counts and files for that viewer, as their register entry is."""
    from .models import Result

    held = held_back(run.partnership, own=own)
    if held is None:
        return set()
    return set(Result.objects.filter(run=run).filter(held).values_list("school_id", flat=True))


def is_held_back(result, *, own: frozenset[int] = frozenset()) -> bool:
    """Whether this one result's category is held back from the viewer (``held_back``)."""
    from .models import Result

    held = held_back(result.partnership, own=own)
    return held is not None and Result.objects.filter(pk=result.pk).filter(held).exists()


def revealed(
    results: models.QuerySet, *, to_officer: bool, partnership: Partnership, own: frozenset[int] = frozenset()
) -> models.QuerySet:
    """The results whose category may be shown: every one to an officer; to anyone else those agreed or
    confirmed, or whose school has self-assessed under the same framework and year (as the run pages and
    the result page show them: ``unrevealed_school_ids``), and not held back as confidential to the LA and
    the school's own people (``held_back``; ``own``: the viewer's own schools)."""
    from .models import Result, SelfAssessment

    if to_officer:
        return results
    from .models import Run

    # A year with confirmed results shows those until a newer run of it is confirmed: a run started again
    # for the year stays the LA's until then.
    confirmed_year = confirmed_runs().filter(
        partnership_id=models.OuterRef("partnership_id"), academic_year=models.OuterRef("academic_year")
    )
    results = results.exclude(models.Q(run__confirmed_at__isnull=True) & models.Exists(confirmed_year.values("pk")))
    results = results.exclude(run__status=Run.Status.WITHDRAWN)
    held = held_back(partnership, own=own)
    if held is not None:
        results = results.exclude(held)
    assessed = SelfAssessment.objects.filter(
        status=SelfAssessment.Status.SUBMITTED,
        framework_id=models.OuterRef("framework_version__framework_id"),
        school_id=models.OuterRef("school_id"),
        academic_year=models.OuterRef("academic_year"),
    )
    return results.filter(
        models.Q(status__in=[Result.Status.AGREED, Result.Status.CONFIRMED]) | models.Exists(assessed)
    )


def latest_results(
    partnership: Partnership, *, to_officer: bool, school_ids=None, own: frozenset[int] = frozenset()
) -> dict[int, dict]:
    """Each school's current category with its status and year: from the newest finished run that has a
    shown result for it (``revealed``), the agreed final category if moderated, else the computed one.
    Schools with none are left out; only those of ``school_ids`` when given. One query."""
    from .models import Result, Run

    rows = (
        revealed(
            Result.objects.for_partnership(partnership).filter(run__status=Run.Status.DONE),
            to_officer=to_officer,
            partnership=partnership,
            own=own,
        )
        .order_by("school_id", "-run__created_at", "-run_id")
        .values_list("school_id", "final_category", "computed_category", "status", "academic_year")
    )
    latest: dict[int, dict] = {}
    for school_id, final, computed, status, year in rows:
        if school_id in latest or not (final or computed):
            continue
        if school_ids is not None and school_id not in school_ids:
            continue
        latest[school_id] = {"category": final or computed, "status": status, "academic_year": year}
    return latest


def latest_confirmed_categories(
    partnership: Partnership, school_ids: set[int], *, to_officer: bool, own: frozenset[int] = frozenset()
) -> dict[int, str]:
    """School id -> its category from the newest confirmed run that the person may be shown (``revealed``:
    a held-back register category is absent), for the given schools. One query."""
    from .models import Result, Run

    rows = (
        revealed(
            Result.objects.for_partnership(partnership).filter(
                run__status=Run.Status.DONE, status=Result.Status.CONFIRMED, school_id__in=school_ids
            ),
            to_officer=to_officer,
            partnership=partnership,
            own=own,
        )
        .order_by("school_id", "-run__confirmed_at", "-run_id")
        .values_list("school_id", "final_category", "computed_category")
    )
    latest: dict[int, str] = {}
    for school_id, final, computed in rows:
        if school_id not in latest and (final or computed):
            latest[school_id] = final or computed
    return latest


def latest_categories(
    partnership: Partnership, *, to_officer: bool = True, own: frozenset[int] = frozenset()
) -> dict[int, str]:
    """Each school's current category (see ``latest_results``). One query."""
    rows = latest_results(partnership, to_officer=to_officer, own=own)
    return {sid: row["category"] for sid, row in rows.items()}


def categorisation_list(
    partnership: Partnership, school_ids, *, to_officer: bool, own: frozenset[int] = frozenset()
) -> models.QuerySet:
    """The categorisation results of the given schools from finished runs that the person may be shown
    (``categorisation.selectors.revealed``: a school self-assesses before anyone but the LA sees its
    computed category; ``to_officer``: see ``categorisation.selectors.sees_unrevealed``), by URN then newest
    run first."""
    from .models import Result, Run

    results = Result.objects.for_partnership(partnership).filter(school_id__in=school_ids, run__status=Run.Status.DONE)
    return (
        revealed(results, to_officer=to_officer, partnership=partnership, own=own)
        .select_related("school", "run", "framework_version__framework")
        .order_by("school__urn", "-run__created_at", "-run_id")
    )


def latest_categories_of(
    partnership: Partnership, school_ids: set[int], *, to_officer: bool, own: frozenset[int] = frozenset()
) -> dict[int, dict]:
    """School id -> {"category", "status", "academic_year"} of its current category that the person may be
    shown, for the given schools (``categorisation.selectors.latest_results``). One query."""
    return latest_results(partnership, to_officer=to_officer, school_ids=school_ids, own=own)


def letter_categories(partnership: Partnership) -> list[tuple[str, str]]:
    """(code, label) of every category of the partnership's frameworks (their draft or current version), in
    the frameworks' order, each code once: the categories the letters' wording may say more about."""
    seen: dict[str, str] = {}
    for framework in framework_list(partnership).order_by("name"):
        version = editable_version(framework)
        for category in version.definition.get("categories", []) if version else []:
            seen.setdefault(category["code"], category.get("label", ""))
    return list(seen.items())
