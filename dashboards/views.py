"""What people see across the apps: each role's home page, a school's page (its whole record, with the
LA's judgements form), the school list with its category column and CSV export, and a cluster's page.

Each panel comes from the app that owns it, named here explicitly: schools' data from schools.selectors,
who may see a school's protected data from sharing.rules, categories from categorisation.selectors.
"""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from categorisation.judgements import can_record_judgements
from categorisation.selectors import latest_categories, own_school_ids, sees_unrevealed
from partnership.roles import PLATFORM_ADMIN, Role, can_read_audit, is_la
from partnership.selectors import audit_for_object, audit_list
from people.selectors import membership_list
from schools import selectors as school_selectors
from schools.charts import Series, line_chart
from schools.forms import SchoolFilterForm
from sharing.grants import access_for, accesses_for, full_ids, visible_school_ids
from sharing.rules import FULL
from sharing.services import log_data_view

from .exports import school_list_csv

PAGE_SIZE = 50


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
    context["my_schools"] = [
        (m, list(school_selectors.school_clusters(m.school))) for m in request.memberships if m.school_id
    ]
    return render(request, "dashboards/home.html", context)


def _categories_visible_to(request, full: set[int]) -> dict[int, str]:
    """School id -> current category, for the schools whose evaluative data the person may see (``full``,
    the ids at full access): a category filter must not reveal, through a count or a list, a category
    they may not see."""
    to_officer = sees_unrevealed(request.roles)
    categories = latest_categories(request.partnership, to_officer=to_officer, own=own_school_ids(request.memberships))
    return {sid: c for sid, c in categories.items() if sid in full}


def _browse(request, full: set[int]):
    """The school list's form, its valid filters and the filtered, sorted schools: shared by the page and
    its CSV export, so the file holds exactly the schools the page lists."""
    clusters = list(school_selectors.cluster_list(request.partnership).only("name", "slug"))
    categories = _categories_visible_to(request, full)
    form = SchoolFilterForm(request.GET or None, clusters=clusters, categories=sorted(set(categories.values())))
    filters = form.cleaned_data if form.is_valid() else {}
    wanted = filters.get("category", "")
    schools = school_selectors.school_browse(
        request.partnership,
        query=filters.get("q", "").strip(),
        cluster_slug=filters.get("cluster", ""),
        phase=filters.get("phase", ""),
        school_type=filters.get("type", ""),
        grade=filters.get("grade", ""),
        school_ids={sid for sid, c in categories.items() if c == wanted} if wanted else None,
        sort=filters.get("sort") or "name",
    )
    return form, filters, schools


def school_list(request, partnership_slug):
    form, filters, schools = _browse(request, visible_school_ids(request.user, request.partnership, FULL))
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "dashboards/school_list.html",
        {
            "page": page,
            "form": form,
            "filtered": bool(kept),
            "extra_query": (urlencode(kept) + "&") if kept else "",
            "export_query": urlencode(kept),
        },
    )


@require_GET
def school_export(request, partnership_slug):
    """The school list as CSV, with the page's filters and sort: public columns for every school, the
    protected ones only where the person has full access, each such school logged (schools.exports)."""
    accesses = accesses_for(request.user, request.partnership)
    _form, _filters, schools = _browse(request, full_ids(accesses))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"schools-{request.partnership.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    school_list_csv(
        response,
        user=request.user,
        partnership=request.partnership,
        schools=schools,
        accesses=accesses,
        to_officer=sees_unrevealed(request.roles),
        own=own_school_ids(request.memberships),
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
    local = None
    if access.is_full:
        # The LA's judgements are the school's protected data: shown only with full access, and logged.
        local = list(school_selectors.school_local_indicators(school))
        log_data_view(request.user, school, "school page: LA judgements", access=access)
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
            # Officers record the LA's judgements; the link offers the partnership's current year.
            "can_record_judgements": can_record_judgements(request.roles)[0],
            "judgements_year": request.partnership.current_academic_year,
            "audit": audit_for_object(request.partnership, school) if can_read_audit(request.roles)[0] else None,
        },
    )


def cluster_detail(request, partnership_slug, cluster_slug):
    cluster = school_selectors.get_cluster(request.partnership, cluster_slug)
    return render(
        request,
        "dashboards/cluster_detail.html",
        {
            "cluster": cluster,
            "members": school_selectors.cluster_members(cluster),
            "headlines": school_selectors.cluster_headlines(cluster),
            "audit": audit_for_object(request.partnership, cluster) if can_read_audit(request.roles)[0] else None,
        },
    )
