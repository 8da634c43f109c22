"""What people see across the apps: each role's home page, a school's page (its whole record, with the
LA's judgements form), the school list with its category column and CSV export, and a cluster's page.

Each panel comes from the app that owns it, named here explicitly: schools' data from schools.selectors,
who may see a school's protected data from sharing.rules, categories from categorisation.selectors.
"""

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from categorisation.judgements import can_record_judgements
from partnership.roles import PLATFORM_ADMIN, Role, can_read_audit, is_la
from partnership.selectors import audit_for_object, audit_list
from partnership.spreadsheets import csv_response
from people.selectors import membership_list
from schools import selectors as school_selectors
from schools.charts import Series, line_chart
from sharing.grants import access_for, accesses_for, full_ids, visible_school_ids
from sharing.rules import FULL
from sharing.services import log_data_view, log_data_views

from . import homes
from .categories import Shown, shown_categories
from .exports import school_list_csv
from .forms import SchoolListForm

PAGE_SIZE = 50
LIST_CATEGORY_WHAT = "school list: category"
CLUSTER_CATEGORY_WHAT = "cluster page: category"


def partnership_home(request, partnership_slug):
    partnership = request.partnership
    roles = request.roles
    context = {"partnership": partnership, "memberships": request.memberships}
    if roles & {Role.OFFICER, PLATFORM_ADMIN, Role.BOARD, Role.PARTNER}:
        context["school_count"] = school_selectors.school_list(partnership).count()
        context["clusters"] = list(school_selectors.cluster_list(partnership))
    if is_la(roles):
        counts = dict(membership_list(partnership).values_list("role").annotate(n=Count("id")).order_by())
        context["people_rows"] = [(label, counts.get(value, 0)) for value, label in Role.choices]
        context["recent_audit"] = list(audit_list(partnership).select_related("actor")[:8])
    context["my_clusters"] = [
        (m, list(school_selectors.cluster_members(m.cluster))) for m in request.memberships if m.cluster_id
    ]
    # What to do next, a section per kind of membership (dashboards.homes).
    needs_full = Role.BOARD in roles or any(m.school_id for m in request.memberships)
    full = visible_school_ids(request.user, partnership, FULL) if needs_full else set()
    context["school_sections"] = homes.school_sections(request, full)
    for section in context["school_sections"]:
        section["clusters"] = list(school_selectors.school_clusters(section["school"]))
    context["partner_grants"] = homes.partner_grants(request, timezone.localdate()) if Role.PARTNER in roles else None
    context["board"] = homes.board_section(request, full) if Role.BOARD in roles else None
    context["officer"] = homes.officer_section(request) if is_la(roles) else None
    return render(request, "dashboards/home.html", context)


def _by_category(schools, shown: Shown, *, descending: bool):
    """The schools in the framework's category order (reversed when ``descending``), by name within a
    category; a school with no category shown comes last either way, as its absence says nothing."""
    ranks: dict[int, list[int]] = {}
    for school_id, category in shown.categories.items():
        ranks.setdefault(category.rank, []).append(school_id)
    rank = Case(
        *[When(pk__in=ids, then=Value(r)) for r, ids in sorted(ranks.items())],
        default=None,
        output_field=IntegerField(),
    )
    order = F("category_rank").desc(nulls_last=True) if descending else F("category_rank").asc(nulls_last=True)
    return schools.annotate(category_rank=rank).order_by(order, "name", "urn")


def _browse(request, full: set[int]):
    """The school list's form, its valid filters, the filtered, sorted schools and the categories shown:
    shared by the page and its CSV export, so the file holds exactly the schools the page lists. The
    categories (column, filter, sort and file) are those ``shown_categories`` gives for the schools whose
    protected data the person may see (``full``), so none of them says more than the column does."""
    clusters = list(school_selectors.cluster_list(request.partnership).only("name", "slug"))
    shown = shown_categories(request, full)
    form = SchoolListForm(request.GET or None, clusters=clusters, categories=shown.choices)
    filters = form.cleaned_data if form.is_valid() else {}
    wanted = filters.get("category", "")
    sort = filters.get("sort") or "name"
    schools = school_selectors.school_browse(
        request.partnership,
        query=filters.get("q", "").strip(),
        cluster_slug=filters.get("cluster", ""),
        phase=filters.get("phase", ""),
        school_type=filters.get("type", ""),
        grade=filters.get("grade", ""),
        school_ids={sid for sid, c in shown.categories.items() if c.code == wanted} if wanted else None,
        sort=sort,
    )
    if sort in ("category", "-category"):
        schools = _by_category(schools, shown, descending=sort.startswith("-"))
    return form, filters, schools, shown


def school_list(request, partnership_slug):
    accesses = accesses_for(request.user, request.partnership)
    form, filters, schools, shown = _browse(request, full_ids(accesses))
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    for school in page:
        school.shown_category = shown.categories.get(school.pk)
    # A category is the school's protected data: each one the page shows is logged, in one insert.
    log_data_views(
        request.user, request.partnership, accesses, [s.pk for s in page if s.shown_category], LIST_CATEGORY_WHAT
    )
    kept = {k: v for k, v in filters.items() if v}
    sort = kept.get("sort", "name")
    unsorted = {k: v for k, v in kept.items() if k != "sort"}
    return render(
        request,
        "dashboards/school_list.html",
        {
            "page": page,
            "form": form,
            "filtered": bool(kept),
            "extra_query": (urlencode(kept) + "&") if kept else "",
            "export_query": urlencode(kept),
            "sort": sort,
            "sort_query": (urlencode(unsorted) + "&") if unsorted else "",
            "category_run": shown.run,
        },
    )


@require_GET
def school_export(request, partnership_slug):
    """The school list as CSV, with the page's filters and sort: public columns for every school, the
    protected ones only where the person has full access, each such school logged (schools.exports)."""
    accesses = accesses_for(request.user, request.partnership)
    _form, _filters, schools, shown = _browse(request, full_ids(accesses))
    response, _writer = csv_response(f"schools-{request.partnership.slug}-{timezone.localdate():%Y-%m-%d}.csv")
    school_list_csv(
        response,
        user=request.user,
        partnership=request.partnership,
        schools=schools,
        accesses=accesses,
        categories=shown.categories,
    )
    return response


def _trend_charts(trends: dict) -> list:
    years, results, national = trends["years"], trends["results"], trends["national"]
    if not years:
        return []

    def values(field, source=results):
        return [getattr(source[y], field) if y in source else None for y in years]

    specs = [
        (
            "KS2: reading, writing and maths at the expected standard",
            "%",
            [("School", "ks2_rwm_expected_pct", results, False), ("England", "ks2_rwm_expected_pct", national, True)],
        ),
        (
            "KS2 progress scores",
            "",
            [
                ("Reading", "ks2_progress_reading", results, False),
                ("Writing", "ks2_progress_writing", results, False),
                ("Maths", "ks2_progress_maths", results, False),
            ],
        ),
        (
            "Progress 8",
            "",
            [
                ("School", "progress8", results, False),
                ("95% interval, upper", "p8_ci_upper", results, True),
                ("England", "progress8", national, True),
            ],
        ),
        ("Attainment 8", "", [("School", "attainment8", results, False), ("England", "attainment8", national, True)]),
        ("Attendance", "%", [("School", "attendance_pct", results, False)]),
    ]
    charts = []
    for title, unit, lines in specs:
        series = [Series(label, values(field, source), dashed) for label, field, source, dashed in lines]
        if any(v is not None for v in series[0].values):
            charts.append({"title": title, "svg": line_chart(title=title, years=years, series=series, unit=unit)})
    return charts


def school_detail(request, partnership_slug, urn):
    school = school_selectors.get_school(request.partnership, urn)
    trends = school_selectors.school_trends(school)
    access = access_for(request.user, school, explained=True)
    local, category, category_run = None, None, None
    if access.is_full:
        # The LA's judgements and category are the school's protected data: shown only with full access, logged.
        local = list(school_selectors.school_local_indicators(school))
        shown = shown_categories(request, {school.pk})
        category, category_run = shown.categories.get(school.pk), shown.run
        log_data_view(request.user, school, "school page: LA judgements and category", access=access)
    return render(
        request,
        "dashboards/school_detail.html",
        {
            "school": school,
            "clusters": school_selectors.school_clusters(school),
            "inspections": school_selectors.school_inspections(school),
            "results": [trends["results"][y] for y in trends["years"] if y in trends["results"]],
            "charts": _trend_charts(trends),
            "access": access,
            "local_indicators": local,
            "category": category,
            "category_run": category_run,
            # Officers record the LA's judgements; the link offers the partnership's current year.
            "can_record_judgements": can_record_judgements(request.roles)[0],
            "judgements_year": request.partnership.current_academic_year,
            "audit": audit_for_object(request.partnership, school) if can_read_audit(request.roles)[0] else None,
        },
    )


def cluster_detail(request, partnership_slug, cluster_slug):
    cluster = school_selectors.get_cluster(request.partnership, cluster_slug)
    members = list(school_selectors.cluster_members(cluster))
    accesses = accesses_for(request.user, request.partnership)
    full = full_ids(accesses) & {m.school_id for m in members}
    shown = shown_categories(request, full)
    for m in members:
        m.shown_category = shown.categories.get(m.school_id)
    log_data_views(request.user, request.partnership, accesses, list(shown.categories), CLUSTER_CATEGORY_WHAT)
    return render(
        request,
        "dashboards/cluster_detail.html",
        {
            "cluster": cluster,
            "members": members,
            "category_run": shown.run,
            "headlines": school_selectors.cluster_headlines(cluster),
            "audit": audit_for_object(request.partnership, cluster) if can_read_audit(request.roles)[0] else None,
        },
    )
