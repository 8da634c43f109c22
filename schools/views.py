import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnership.models import validate_academic_year
from partnership.permissions import role_required
from partnership.roles import PLATFORM_ADMIN, Role
from partnership.selectors import audit_for_object
from partnership.services import log_data_view
from partnership.sharing import FULL, access_for, accesses_for, visible_school_ids

from . import exports, judgements, selectors, services
from .charts import Series, line_chart
from .forms import ImportUploadForm, JudgementsForm, SchoolFilterForm
from .importers import summary_lines
from .importers.local import TEMPLATE_COLUMNS, TEMPLATE_EXAMPLE

AUDIT_READERS = {Role.OFFICER, PLATFORM_ADMIN}
PAGE_SIZE = 50


def _categories_visible_to(request, full: set[int]) -> dict[int, str]:
    """School id -> current category, for the schools whose evaluative data the person may see (``full``,
    the ids at full access): a category filter must not reveal, through a count or a list, a category
    they may not see."""
    from categorisation.selectors import latest_categories, sees_unrevealed  # categorisation builds on schools

    to_officer = sees_unrevealed(request.roles)
    return {sid: c for sid, c in latest_categories(request.partnership, to_officer=to_officer).items() if sid in full}


def _browse(request, full: set[int]):
    """The school list's form, its valid filters and the filtered, sorted schools: shared by the page and
    its CSV export, so the file holds exactly the schools the page lists."""
    clusters = list(selectors.cluster_list(request.partnership).only("name", "slug"))
    categories = _categories_visible_to(request, full)
    form = SchoolFilterForm(request.GET or None, clusters=clusters, categories=sorted(set(categories.values())))
    filters = form.cleaned_data if form.is_valid() else {}
    wanted = filters.get("category", "")
    schools = selectors.school_browse(
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
        "schools/school_list.html",
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
    _form, _filters, schools = _browse(request, judgements.full_ids(accesses))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"schools-{request.partnership.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    from categorisation.selectors import sees_unrevealed  # categorisation builds on schools

    exports.school_list_csv(
        response,
        user=request.user,
        partnership=request.partnership,
        schools=schools,
        accesses=accesses,
        to_officer=sees_unrevealed(request.roles),
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
    school = selectors.get_school(request.partnership, urn)
    trends = selectors.school_trends(school)
    access = access_for(request.user, school)
    local = None
    if access.is_full:
        # The LA's judgements are the school's protected data: shown only with full access, and logged.
        local = list(selectors.school_local_indicators(school))
        log_data_view(request.user, school, "school page: LA judgements", access=access)
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "clusters": selectors.school_clusters(school),
            "inspections": selectors.school_inspections(school),
            "results": [trends["results"][y] for y in trends["years"] if y in trends["results"]],
            "charts": _trend_charts(trends),
            "access": access,
            "local_indicators": local,
            # Officers record the LA's judgements; the link offers the partnership's current year.
            "can_record_judgements": services.can_record_judgements(request.roles)[0],
            "judgements_year": request.partnership.current_academic_year,
            "audit": audit_for_object(request.partnership, school) if AUDIT_READERS & request.roles else None,
        },
    )


def _form_errors(form, exc: ValidationError) -> None:
    """A service's validation error on the form: on the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# Years an officer may record judgements for: back this many from the partnership's current year, and the next.
JUDGEMENT_YEARS_BACK = 10


@require_http_methods(["GET", "POST"])
@role_required(Role.OFFICER)
def school_judgements(request, partnership_slug, urn, year):
    """Record (create or change) the LA's judgements of one school for one academic year."""
    school = selectors.get_school(request.partnership, urn)
    current = request.partnership.current_academic_year
    try:
        validate_academic_year(year)
        first, last = int(current[:4]) - JUDGEMENT_YEARS_BACK, int(current[:4]) + 1
        if not first <= int(year[:4]) <= last:
            raise ValidationError(
                f"Judgements are recorded for the years {first}-{(first + 1) % 100:02d} to "
                f"{last}-{(last + 1) % 100:02d}, not {year}."
            )
    except ValidationError as exc:
        context = {"school": school, "year_error": exc.messages[0], "current_year": current}
        return render(request, "schools/school_judgements.html", context, status=404)
    indicator = selectors.school_local_indicator(school, year)
    form = JudgementsForm(
        request.POST if request.method == "POST" else None,
        indicator=indicator,
        revision=services.judgements_revision(indicator),
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        revision = values.pop("revision")
        try:
            recorded = services.school_judgements_record(
                actor=request.user, school=school, academic_year=year, values=values, base_revision=revision
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict") and any(error.code == "stale" for error in exc.error_list):
                # The page is shown again as the judgements now stand, with why nothing was saved.
                messages.error(request, exc.messages[0])
                return redirect("school_judgements", partnership_slug=partnership_slug, urn=school.urn, year=year)
            _form_errors(form, exc)
        else:
            if not recorded.changed:
                messages.info(request, f"Nothing changed in {school.name}'s judgements for {year}.")
            else:
                done = "recorded" if recorded.created else f"updated ({len(recorded.changed)} changed)"
                messages.success(
                    request,
                    f"{school.name}'s judgements for {year} are {done}. "
                    "Categorisation runs started from now on use them.",
                )
            return redirect("school_detail", partnership_slug=partnership_slug, urn=school.urn)
    # The current judgements are the school's protected data: the view of them is logged.
    log_data_view(request.user, school, f"judgements page {year}", access=access_for(request.user, school))
    return render(
        request,
        "schools/school_judgements.html",
        {
            "school": school,
            "year": year,
            "form": form,
            "indicator": indicator,
            "audit": audit_for_object(request.partnership, indicator) if indicator is not None else None,
        },
    )


def cluster_list(request, partnership_slug):
    return render(request, "schools/cluster_list.html", {"clusters": selectors.cluster_list(request.partnership)})


def cluster_detail(request, partnership_slug, cluster_slug):
    cluster = selectors.get_cluster(request.partnership, cluster_slug)
    return render(
        request,
        "schools/cluster_detail.html",
        {
            "cluster": cluster,
            "members": selectors.cluster_members(cluster),
            "headlines": selectors.cluster_headlines(cluster),
            "audit": audit_for_object(request.partnership, cluster) if AUDIT_READERS & request.roles else None,
        },
    )


# ---- imports (LA officers) ------------------------------------------------------------------------


@role_required(Role.OFFICER)
def import_list(request, partnership_slug):
    page = Paginator(selectors.import_run_list(request.partnership), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "schools/import_list.html", {"page": page})


@role_required(Role.OFFICER)
def import_upload(request, partnership_slug):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_run_create(
                actor=request.user,
                partnership=request.partnership,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
                academic_year=form.cleaned_data["academic_year"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("import_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)
    return render(
        request,
        "schools/import_upload.html",
        {
            "form": form,
            "template_columns": TEMPLATE_COLUMNS,
        },
    )


@role_required(Role.OFFICER)
def import_detail(request, partnership_slug, run_uuid):
    run = selectors.get_import_run(request.partnership, run_uuid)
    return render(
        request,
        "schools/import_detail.html",
        {
            "run": run,
            "summary": summary_lines(run.summary) if run.summary else [],
            "audit": audit_for_object(request.partnership, run),
        },
    )


@require_POST
@role_required(Role.OFFICER)
def import_apply(request, partnership_slug, run_uuid):
    run = selectors.get_import_run(request.partnership, run_uuid)
    try:
        services.import_run_confirm(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The import of {run.filename} is being applied.")
    return redirect(reverse("import_detail", kwargs={"partnership_slug": partnership_slug, "run_uuid": run.uuid}))


@role_required(Role.OFFICER)
def import_template(request, partnership_slug):
    """The local data CSV template: the header, one example row (delete it) and nothing else."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="local-data-template.csv"'
    writer = csv.writer(response)
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return response
