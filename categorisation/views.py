"""Categorisation pages: runs and their progress, results and why, self-assessment, moderation,
confirmation, letters, a school's history, and the what-if of a framework draft before publishing.

Every object is read through a selector that takes the partnership, so another partnership's run,
result or school is a 404. Officers run, moderate and confirm; a school's own headteacher
self-assesses; anyone else sees a school's categorisation only with full access to its data
(partnership.sharing), and is refused with the reason otherwise.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from partnership import sharing
from partnership.permissions import role_required
from partnership.roles import PLATFORM_ADMIN, SCHOOL_ROLES, Role
from partnership.selectors import audit_for_object
from schools.selectors import get_school

from . import runs, selectors
from .forms import (
    FrameworkEditForm,
    ModerationForm,
    PublishForm,
    ResultFilterForm,
    RunStartForm,
    SelfAssessmentForm,
    WhatIfForm,
)
from .letters import category_labels, letters_zip
from .models import Result
from .services import framework_clone, framework_edit, framework_publish
from .shipped import load_shipped, shipped_slugs

OFFICERS = (Role.OFFICER,)
PAGE_SIZE = 50


def _is_officer(request) -> bool:
    return bool({Role.OFFICER, PLATFORM_ADMIN} & request.roles)


def _own_school_ids(request) -> set[int]:
    return {m.school_id for m in request.memberships if m.role in SCHOOL_ROLES and m.school_id}


def _require_full_access(request, school) -> None:
    """A school's categorisation is protected data: full access only (headline shows none of it)."""
    access = sharing.access_for(request.user, school)
    if not access.is_full:
        raise PermissionDenied(f"You cannot see {school.name}'s categorisation: {access.sentence}")


def _form_errors(form, exc) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
            form.add_error(None, message)


def _show(value) -> str | None:
    """A fact's value for the page: None stays missing; a yearly series is shown oldest first."""
    if isinstance(value, list):
        return ", ".join("–" if v is None else str(v) for v in value) if any(v is not None for v in value) else None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if value is None else str(value)


def categorisation_home(request, partnership_slug):
    """Officers go to the runs; the people of a school to their school's categorisation."""
    if _is_officer(request):
        return redirect("categorisation_run_list", partnership_slug=partnership_slug)
    own = _own_school_ids(request)
    if own:
        school = next(m.school for m in request.memberships if m.school_id in own)
        return redirect("categorisation_school", partnership_slug=partnership_slug, urn=school.urn)
    raise PermissionDenied("Categorisation is open to LA officers and to the people of each school for their own "
                           "school; open a school's page to see what you may see of it.")


# ---- runs (officers) ---------------------------------------------------------------------------------


@role_required(*OFFICERS)
def run_list(request, partnership_slug):
    form = RunStartForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            run = runs.run_start(actor=request.user, partnership=request.partnership, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Categorisation of {run.academic_year} started.")
            return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)
    page = Paginator(selectors.run_list(request.partnership), PAGE_SIZE).get_page(request.GET.get("page"))
    frameworks = [(f, selectors.draft_version(f), selectors.published_version(f))
                  for f in selectors.framework_list(request.partnership)]
    return render(request, "categorisation/run_list.html",
                  {"page": page, "form": form, "frameworks": frameworks, "shipped": shipped_choices()})


@role_required(*OFFICERS)
def run_detail(request, partnership_slug, run_uuid):
    run = selectors.get_run(request.partnership, run_uuid)
    version = run.framework_version
    codes = [c["code"] for c in version.definition["categories"]]
    filters_form = ResultFilterForm(request.GET or None, codes=codes)
    filters = filters_form.cleaned_data if filters_form.is_valid() else {}
    results = selectors.run_results(run, category=filters.get("category", ""), status=filters.get("status", ""),
                                    query=filters.get("q", "").strip())
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in filters.items() if v}
    counts = selectors.run_counts(run)
    return render(request, "categorisation/run_detail.html", {
        "run": run,
        "page": page,
        "filters_form": filters_form,
        "filtered": bool(kept),
        "extra_query": (urlencode(kept) + "&") if kept else "",
        "category_counts": [(c, counts["category"].get(c, 0)) for c in [*codes, "none"]],
        "status_counts": [(label, counts["status"].get(value, 0)) for value, label in Result.Status.choices],
        "letters": selectors.letters_of_run(run).only("uuid", "filename").count() if run.confirmed_at else 0,
        "audit": audit_for_object(request.partnership, run),
    })


@require_POST
@role_required(*OFFICERS)
def run_confirm(request, partnership_slug, run_uuid):
    run = selectors.get_run(request.partnership, run_uuid)
    try:
        count = runs.results_confirm(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{count} results confirmed. The letters are being written.")
    return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)


@require_POST
@role_required(*OFFICERS)
def run_resume(request, partnership_slug, run_uuid):
    run = selectors.get_run(request.partnership, run_uuid)
    try:
        runs.run_resume(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The run is resuming where it stopped.")
    return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)


@role_required(*OFFICERS)
def run_letters_zip(request, partnership_slug, run_uuid):
    run = selectors.get_run(request.partnership, run_uuid)
    letters = list(selectors.letters_of_run(run))
    if not letters:
        raise PermissionDenied("There are no letters yet: they are written once the results are confirmed.")
    response = HttpResponse(letters_zip(letters), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="categorisation-letters-{run.academic_year}.zip"'
    return response


# ---- a school's result, self-assessment and moderation ------------------------------------------------


def result_detail(request, partnership_slug, run_uuid, urn):
    run = selectors.get_run(request.partnership, run_uuid)
    result = selectors.get_result(run, urn)
    school, version = result.school, result.framework_version
    _require_full_access(request, school)
    officer = _is_officer(request)
    can_self_assess = runs.can_self_assess(request.user, school)[0] and result.status != Result.Status.CONFIRMED
    can_moderate = officer and result.status != Result.Status.CONFIRMED
    assessment = selectors.self_assessment_for(result)
    initial = {"category": assessment.category, **{f"evidence_{k}": v for k, v in assessment.evidence.items()}} \
        if assessment else {}
    sa_form = SelfAssessmentForm(initial=initial, version=version)
    mod_form = ModerationForm(initial={"agreed_category": result.category or ""}, version=version)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "self_assess":
                if not can_self_assess:
                    raise PermissionDenied(runs.can_self_assess(request.user, school)[1])
                sa_form = SelfAssessmentForm(request.POST, version=version)
                if sa_form.is_valid():
                    runs.self_assessment_submit(actor=request.user, result=result,
                                                category=sa_form.cleaned_data["category"],
                                                evidence=sa_form.evidence())
                    messages.success(request, "The school's self-assessment is submitted.")
                    return redirect(request.path)
            elif action == "moderate":
                if not officer:
                    raise PermissionDenied(runs.can_run_categorisation(request.roles)[1])
                mod_form = ModerationForm(request.POST, version=version)
                if mod_form.is_valid():
                    runs.result_moderate(actor=request.user, result=result, **mod_form.cleaned_data)
                    messages.success(request, f"Moderation of {school.name} recorded.")
                    return redirect(request.path)
            else:
                raise PermissionDenied("Unknown action.")
        except ValidationError as exc:
            _form_errors(sa_form if action == "self_assess" else mod_form, exc)
    # The school self-assesses first: until it has (or the category is agreed), only officers see the LA's.
    reveal = officer or assessment is not None or result.status in (Result.Status.AGREED, Result.Status.CONFIRMED)
    labels = category_labels(version.definition)
    return render(request, "categorisation/result_detail.html", {
        "run": run, "result": result, "school": school, "version": version,
        "label": labels.get(result.category or "", ""),
        "reveal": reveal, "officer": officer,
        "facts": [(k, _show(v)) for k, v in sorted(result.facts.items()) if k != "urn"],
        "assessment": assessment,
        "evidence": [(f"{cat['code']}: {crit['label']}", assessment.evidence.get(crit["id"]))
                     for cat in version.definition["categories"] for crit in cat.get("criteria", [])
                     if assessment and assessment.evidence.get(crit["id"])],
        "notes": selectors.moderation_notes(result) if reveal else [],
        "sa_form": sa_form if can_self_assess else None,
        "mod_form": mod_form if can_moderate else None,
        "history": selectors.school_history(request.partnership, school),
        "letter": getattr(result, "letter", None) if result.status == Result.Status.CONFIRMED else None,
        "audit": audit_for_object(request.partnership, result) if officer else None,
    })


def result_letter(request, partnership_slug, run_uuid, urn):
    """One school's letter: for officers, and for the school's own headteacher and governors."""
    run = selectors.get_run(request.partnership, run_uuid)
    result = selectors.get_result(run, urn)
    if not _is_officer(request) and result.school_id not in _own_school_ids(request):
        raise PermissionDenied("A school's letter is for the LA and the school's own headteacher and governors.")
    letter = selectors.letters_of_run(run).filter(result=result).first()
    if letter is None:
        raise PermissionDenied("This school has no letter yet: letters are written once the results are confirmed.")
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    return response


def school_history(request, partnership_slug, urn):
    school = get_school(request.partnership, urn)
    _require_full_access(request, school)
    return render(request, "categorisation/school_history.html", {
        "school": school, "history": selectors.school_history(request.partnership, school),
        "officer": _is_officer(request),
    })


# ---- frameworks: edit a draft, see the what-if, publish (officers) ----------------------------------------


@role_required(*OFFICERS)
def framework_edit_view(request, partnership_slug, framework_slug):
    framework = selectors.get_framework(request.partnership, framework_slug)
    current = selectors.draft_version(framework) or selectors.published_version(framework)
    form = FrameworkEditForm(request.POST or None, initial={
        "definition": json.dumps(current.definition, indent=2, ensure_ascii=False) if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            framework_edit(actor=request.user, framework=framework, definition=form.cleaned_data["definition"],
                           reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Draft saved. Check what it would change before publishing it.")
            return redirect("categorisation_framework_whatif", partnership_slug=partnership_slug,
                            framework_slug=framework.slug)
    return render(request, "categorisation/framework_edit.html", {"framework": framework, "form": form})


@role_required(*OFFICERS)
def framework_whatif(request, partnership_slug, framework_slug):
    framework = selectors.get_framework(request.partnership, framework_slug)
    draft = selectors.draft_version(framework)
    year_form = WhatIfForm(request.GET or {"academic_year": request.partnership.current_academic_year})
    publish_form = PublishForm(request.POST or None)
    if request.method == "POST" and publish_form.is_valid():
        try:
            version = framework_publish(actor=request.user, framework=framework,
                                        reason=publish_form.cleaned_data["reason"])
        except ValidationError as exc:
            _form_errors(publish_form, exc)
        else:
            messages.success(request, f"{framework.name} version {version.number} is published.")
            return redirect(reverse("categorisation_run_list", kwargs={"partnership_slug": partnership_slug}))
    whatif = None
    if draft is not None and year_form.is_valid():
        whatif = runs.framework_whatif(partnership=request.partnership, framework=framework, draft=draft,
                                       academic_year=year_form.cleaned_data["academic_year"])
    return render(request, "categorisation/framework_whatif.html", {
        "framework": framework, "draft": draft, "whatif": whatif, "year_form": year_form,
        "publish_form": publish_form,
    })


@role_required(*OFFICERS)
@require_POST
def framework_clone_view(request, partnership_slug):
    """Start from a shipped framework: it becomes the partnership's own, published as version 1."""
    source = request.POST.get("source_slug", "")
    if source not in shipped_slugs():
        messages.error(request, "Choose one of the shipped frameworks.")
        return redirect("categorisation_run_list", partnership_slug=partnership_slug)
    try:
        framework = framework_clone(actor=request.user, partnership=request.partnership, source_slug=source,
                                    reason=request.POST.get("reason", "").strip())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{framework.name} is now this partnership's, published as version 1.")
    return redirect("categorisation_run_list", partnership_slug=partnership_slug)


def shipped_choices() -> list[tuple[str, str]]:
    return [(slug, load_shipped(slug)["name"]) for slug in shipped_slugs()]
