"""Runs and their progress, results and why, self-assessment, moderation, confirmation, letters, the
results as CSV and a school's history.

Every object is read through a selector that takes the partnership, so another partnership's run,
result or school is a 404. Officers run, moderate and confirm; a school's own headteacher
self-assesses. Everyone else sees a school's categorisation only with full access to its data
(partnership.sharing): a run page lists and counts only those schools, a single school's page is
refused with the reason, and each view of a school's categorisation is logged for its data controller.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from partnership.permissions import rule_required
from partnership.selectors import audit_for_object
from partnership.spreadsheets import csv_response
from schools.selectors import JUDGEMENT_FACTS, get_school
from sharing import grants
from sharing.services import log_data_views

from .. import runs, selectors
from ..confirmation import confirm_preview
from ..facts import inspection_dates
from ..forms import ModerationForm, ResultFilterForm, RunConfirmForm, RunStartForm
from ..letters import (
    can_retry_letters,
    category_labels,
    letters_retry,
    letters_sending_summary,
    letters_to_post,
    letters_zip,
)
from ..models import Result, Run
from ..runs import can_run_categorisation
from ..wording import criterion_reason, missing_sentence
from .common import (
    PAGE_SIZE,
    form_errors,
    is_officer,
    letter_decision,
    letters_zip_decision,
    log_view,
    own_school_ids,
    require_category_shown,
    require_full_access,
    run_visible_ids,
)
from .frameworks import shipped_choices
from .self_assessment import self_assessment_form, self_assessment_post, self_assessment_state

HIDDEN_WORDS = "shown after the school's self-assessment"


def categorisation_home(request, partnership_slug):
    """Officers go to the runs; the people of a school to their school's categorisation; everyone else to
    the newest finished run, which lists only the schools they may see in full."""
    if is_officer(request):
        return redirect("categorisation_run_list", partnership_slug=partnership_slug)
    own = own_school_ids(request)
    if own:
        school = next(m.school for m in request.memberships if m.school_id in own)
        return redirect("categorisation_school", partnership_slug=partnership_slug, urn=school.urn)
    latest = selectors.latest_shown_run(request.partnership)
    if latest is not None:
        return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=latest.uuid)
    messages.info(request, "No categorisation has been run yet in this partnership.")
    return redirect("partnership_home", partnership_slug=partnership_slug)


# ---- runs ----------------------------------------------------------------------------------------------


@rule_required(can_run_categorisation)
def run_list(request, partnership_slug):
    form = RunStartForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            run = runs.run_start(actor=request.user, partnership=request.partnership, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            started = f"Categorisation of {run.academic_year} started."
            if run.start_reason:
                started += " Until you confirm it, everyone but the LA sees the year's confirmed results."
            messages.success(request, started)
            return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)
    page = Paginator(selectors.run_list(request.partnership), PAGE_SIZE).get_page(request.GET.get("page"))
    frameworks = [
        (f, selectors.draft_version(f), selectors.published_version(f))
        for f in selectors.framework_list(request.partnership)
    ]
    return render(
        request,
        "categorisation/run_list.html",
        {"page": page, "form": form, "frameworks": frameworks, "shipped": shipped_choices()},
    )


def _progress(run, school_ids, hidden) -> dict:
    """The run's progress: categorising, then (once an officer confirms) confirming the categories, then
    writing the letters. The figures of the last two are the LA's: anyone else is told only the stage."""
    progress = selectors.run_progress(run, school_ids=school_ids)
    writing = run.letters_status in (Run.Letters.QUEUED, Run.Letters.RENDERING)
    working = run.is_working or run.is_confirming or writing
    scope = "" if school_ids is None else " you can see"
    label, stage = "Progress", "run"
    if run.status == Run.Status.DONE:
        message = f"All {progress['total']} schools{scope} categorised."
        if run.is_confirming:
            label, stage = "Confirming", "confirm"
            if school_ids is None:
                done, total = run.confirm_done, run.confirm_total
                progress = {**progress, "percent": int(100 * done / total) if total else 0}
                message = (
                    "Waiting to start confirming."
                    if run.confirm_status == Run.Confirming.QUEUED and not done
                    else f"Confirming: {done} of {total} categories confirmed ({progress['percent']}%)."
                )
            else:
                message = "The LA is confirming the categories."
        elif writing:
            label, stage = "Letters", "letters"
            if school_ids is None:
                written, total = selectors.letters_of_run(run).count(), run.confirm_total or progress["total"]
                progress = {**progress, "percent": int(100 * written / total) if total else 0}
                message = f"All {total} categories confirmed. Letters: {written} of {total} written."
            else:
                message += f" Letters: {run.get_letters_status_display().lower()}."
    elif run.status == Run.Status.FAILED:
        message = f"The run stopped after {progress['done']} of {progress['total']} schools{scope}."
    elif run.status == Run.Status.QUEUED and not progress["done"]:
        message = "Waiting to start."
    else:
        message = f"{progress['done']} of {progress['total']} schools{scope} categorised ({progress['percent']}%)."
    out = {
        "status": run.status,
        "status_label": run.get_status_display(),
        **progress,
        "stage": stage,
        "label": label,
        "confirm_status": run.confirm_status,
        "letters_status": run.letters_status,
        "working": working,
        "message": message,
    }
    if run.status == Run.Status.DONE:
        counts = selectors.run_counts(run, school_ids=school_ids, hidden=hidden)["category"]
        out["counts"] = counts
    return out


def _log_many(request, school_ids, what: str) -> None:
    """Log a view of each school's protected data, with the rule that allowed it, in one bulk insert."""
    if school_ids:
        accesses = grants.accesses_for(request.user, request.partnership)
        log_data_views(request.user, request.partnership, accesses, school_ids, what)


def run_detail(request, partnership_slug, run_uuid):
    """A run's progress and results. Officers see every school and act on the run; anyone else sees the
    schools whose data they have full access to, counted and listed, and nothing of the others."""
    run = selectors.get_run(request.partnership, run_uuid)
    officer = is_officer(request)
    school_ids = run_visible_ids(request, run)
    own = own_school_ids(request)
    hidden = set() if officer else selectors.unrevealed_school_ids(run, school_ids=school_ids, own=own)
    version = run.framework_version
    codes = [c["code"] for c in version.definition["categories"]]
    filters_form = ResultFilterForm(request.GET or None, codes=codes)
    filters = filters_form.cleaned_data if filters_form.is_valid() else {}
    results = selectors.run_results(
        run,
        category=filters.get("category", ""),
        status=filters.get("status", ""),
        query=filters.get("q", "").strip(),
        school_ids=school_ids,
    )
    if hidden and filters.get("category"):
        results = results.exclude(school_id__in=hidden)  # a filter must not reveal a hidden category
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    # The listed schools' categories are their protected data: each one shown is logged, in one insert.
    _log_many(request, [r.school_id for r in page], f"categorisation run {run.academic_year}")
    kept = {k: v for k, v in filters.items() if v}
    counts = selectors.run_counts(run, school_ids=school_ids, hidden=hidden)
    return render(
        request,
        "categorisation/run_detail.html",
        {
            "run": run,
            "officer": officer,
            "page": page,
            "hidden": hidden,
            "filters_form": filters_form,
            "filtered": bool(kept),
            "extra_query": (urlencode(kept) + "&") if kept else "",
            "progress": _progress(run, school_ids, hidden),
            "category_counts": [(c, counts["category"].get(c, 0)) for c in [*codes, "none", "hidden"]],
            "status_counts": [(label, counts["status"].get(value, 0)) for value, label in Result.Status.choices],
            **_run_letters(request, run, officer),
            "letters_retry": can_retry_letters(run) if officer and run.confirmed_at else (False, ""),
            "audit": audit_for_object(request.partnership, run) if officer else None,
            "can_withdraw": officer and runs.can_withdraw_run(request.roles, run)[0],
            "can_set_due": officer and run.status != Run.Status.WITHDRAWN and run.confirmed_at is None,
            "due_passed": bool(run.self_assessment_due and timezone.localdate() > run.self_assessment_due),
            "confirmed_of_year": runs.confirmed_run_of_year(request.partnership, run.academic_year)
            if officer and not run.confirmed_at
            else None,
        },
    )


def _run_letters(request, run, officer) -> dict:
    """What the run page says of its letters, for officers: how many, whether the zip may be downloaded and
    the letters to post, each offered only when the download's own rule allows it."""
    if not (officer and run.confirmed_at):
        return {"letters": 0, "can_zip": False, "sending": None, "to_post": []}
    letters = list(selectors.letters_of_run(run).select_related("result__school"))
    accesses = grants.accesses_for(request.user, request.partnership)
    to_post = [
        letter
        for letter in letters_to_post(run)
        if letter_decision(request, letter.result.school, accesses.get(letter.result.school_id))[0]
    ]
    return {
        "letters": len(letters),
        "can_zip": letters_zip_decision(request, letters)[0],
        "sending": letters_sending_summary(run),
        "to_post": to_post,
    }


def run_progress(request, partnership_slug, run_uuid):
    """The run's progress as JSON for the page's script: status, done, total, percent, and the count per
    category once done, over the schools the person can see."""
    run = selectors.get_run(request.partnership, run_uuid)
    officer = is_officer(request)
    school_ids = run_visible_ids(request, run)
    hidden = (
        set()
        if officer or run.status != Run.Status.DONE
        else selectors.unrevealed_school_ids(run, school_ids=school_ids, own=own_school_ids(request))
    )
    response = JsonResponse(_progress(run, school_ids, hidden))
    response["Cache-Control"] = "no-store"
    return response


def run_export(request, partnership_slug, run_uuid):
    """The run's results as CSV: only the schools whose data the person has full access to (an officer,
    every school). Each school's row is a view of its data, logged for its data controller."""
    run = selectors.get_run(request.partnership, run_uuid)
    officer = is_officer(request)
    school_ids = run_visible_ids(request, run)
    hidden = (
        set() if officer else selectors.unrevealed_school_ids(run, school_ids=school_ids, own=own_school_ids(request))
    )
    claimed = selectors.self_assessed_categories(run, school_ids=school_ids)
    response, writer = csv_response(f"categorisation-{request.partnership.slug}-{run.academic_year}.csv")
    writer.writerow(["urn", "school", "computed_category", "self_assessed", "final_category", "status", "reasons"])
    results = list(selectors.run_results(run, school_ids=school_ids))
    what = f"categorisation results {run.academic_year} (CSV)"
    for r in results:
        if r.school_id in hidden:
            computed, reasons = f"({HIDDEN_WORDS})", ""
        else:
            computed, reasons = r.computed_category or "", "; ".join(r.reasons)
        writer.writerow(
            [
                r.school.urn,
                r.school.name,
                computed,
                claimed.get(r.school_id, ""),
                r.final_category,
                r.get_status_display(),
                reasons,
            ]
        )
    _log_many(request, [r.school_id for r in results], what)
    return response


@rule_required(can_run_categorisation)
def run_confirm(request, partnership_slug, run_uuid):
    """What confirming will do (the schools that have not self-assessed, the disagreements not moderated, the
    register entries, whom each letter goes to), then a deliberate second step: the officer ticks that they
    have checked it. Confirming claims the run and a task does the work, with its progress on the run page. A
    refusal (the wrong state, a school to moderate, another officer first) answers 409 with the reason."""
    run = selectors.get_run(request.partnership, run_uuid)
    form = RunConfirmForm(request.POST or None)
    refusal, status = "", 200
    if request.method == "POST":
        refusal = runs.confirm_refusal(run) or ""
        if refusal:
            status = 409
        elif form.is_valid():
            try:
                count = runs.results_confirm(actor=request.user, run=run, note=form.cleaned_data["note"])
            except ValidationError as exc:
                refusal, status = " ".join(exc.messages), 409
            else:
                messages.success(
                    request,
                    f"Confirming {count} categories. The letters are written and emailed once every category is "
                    "confirmed: this page shows how far it has got.",
                )
                return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)
    run.refresh_from_db()
    preview = confirm_preview(run)
    return render(
        request,
        "categorisation/run_confirm.html",
        {"run": run, "form": form, "preview": preview, "refusal": refusal or preview["refusal"] or ""},
        status=status,
    )


@require_POST
@rule_required(can_run_categorisation)
def run_resume(request, partnership_slug, run_uuid):
    run = selectors.get_run(request.partnership, run_uuid)
    try:
        runs.run_resume(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The run is resuming where it stopped.")
    return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)


@require_POST
@rule_required(can_run_categorisation)
def run_letters_retry(request, partnership_slug, run_uuid):
    """Write a run's letters again when writing them failed or stopped; the letters already written stay."""
    run = selectors.get_run(request.partnership, run_uuid)
    try:
        letters_retry(actor=request.user, run=run, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The letters are being written again. Letters already written are kept.")
    return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)


@require_POST
@rule_required(can_run_categorisation)
def run_withdraw(request, partnership_slug, run_uuid):
    """Withdraw a run started by mistake, with a reason; a confirmed run cannot be withdrawn."""
    run = selectors.get_run(request.partnership, run_uuid)
    allowed, why = runs.can_withdraw_run(request.roles, run)
    if not allowed:
        raise PermissionDenied(why)
    try:
        runs.run_withdraw(actor=request.user, run=run, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"The {run.academic_year} run is withdrawn: only the LA sees it, and it cannot be confirmed."
        )
    return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)


@rule_required(can_run_categorisation)
def run_letters_zip(request, partnership_slug, run_uuid):
    """Every letter of the run in one zip, for officers (who have full access to every school); each
    school's letter is a view of its data and is logged."""
    run = selectors.get_run(request.partnership, run_uuid)
    letters = list(selectors.letters_of_run(run).select_related("result__school"))
    allowed, why = letters_zip_decision(request, letters)
    if not allowed:
        raise PermissionDenied(why)
    response = HttpResponse(letters_zip(letters), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="categorisation-letters-{run.academic_year}.zip"'
    _log_many(
        request,
        [letter.result.school_id for letter in letters],
        f"categorisation letter {run.academic_year} (zip of all letters)",
    )
    return response


# ---- a school's result, self-assessment and moderation ------------------------------------------------


def _show(value):
    """A fact's value for the page (worded by the fact_value filter): a series with no year known is missing."""
    if isinstance(value, list) and all(v is None for v in value):
        return None
    return value


def _why(result, labels: dict) -> list:
    """Each criterion that held, with its sentence and the school's figures: the letter's own words."""
    if not result.criteria_met:
        return []
    inspections = inspection_dates(result.school, result.academic_year, result.facts or {})
    return [
        (criterion, criterion_reason(criterion, result.facts or {}, labels, inspections))
        for criterion in result.criteria_met
    ]


def _letter_link(request, result, access):
    """The result's letter when the person may download it (the letter view's own rule), else None: a link
    that would only answer 'you do not have access' is not shown."""
    if result.status != Result.Status.CONFIRMED:
        return None
    letter = getattr(result, "letter", None)
    if letter is None or not letter_decision(request, result.school, access)[0]:
        return None
    return letter


def result_detail(request, partnership_slug, run_uuid, urn):
    run = selectors.get_run(request.partnership, run_uuid)
    result = selectors.get_result(run, urn)
    school, version = result.school, result.framework_version
    access = require_full_access(request, school)
    require_category_shown(request, result)
    officer = is_officer(request)
    can_moderate = officer and result.status != Result.Status.CONFIRMED
    sa = self_assessment_state(request, result)
    assessment = sa["assessment"]
    sa_form = self_assessment_form(result, sa)
    mod_form = ModerationForm(
        initial={"agreed_category": result.category or "", "seen": runs.moderation_seen(result)}, version=version
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "self_assess":
                sa_form, done = self_assessment_post(request, result, sa)
                if done is not None:
                    return done
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
            form_errors(sa_form if action == "self_assess" else mod_form, exc)
    # The school self-assesses first: until it has (or the category is agreed), only officers see the LA's.
    reveal = officer or assessment is not None or result.status in (Result.Status.AGREED, Result.Status.CONFIRMED)
    labels = category_labels(version.definition)
    log_view(request, school, f"categorisation result {result.academic_year}", access)
    return render(
        request,
        "categorisation/result_detail.html",
        {
            "run": run,
            "result": result,
            "school": school,
            "version": version,
            "label": labels.get(result.category or "", ""),
            "reveal": reveal,
            "officer": officer,
            "facts": [(k, _show(v)) for k, v in sorted(result.facts.items()) if k != "urn"],
            "why": _why(result, labels) if reveal else [],
            "missing_sentences": [missing_sentence(name) for name in result.missing],
            "missing_judgements": [f for f in result.missing if f in JUDGEMENT_FACTS] if officer else [],
            **sa,
            "evidence": [
                (item.heading, assessment.evidence[item.key])
                for item in runs.self_assessment_items(version)
                if assessment and assessment.evidence.get(item.key)
            ],
            "notes": selectors.moderation_notes(result) if reveal else [],
            "sa_form": sa_form if sa["can_self_assess"] else None,
            "mod_form": mod_form if can_moderate else None,
            "history": selectors.school_history(
                request.partnership, school, to_officer=is_officer(request), own=own_school_ids(request)
            ),
            "letter": _letter_link(request, result, access),
            "audit": audit_for_object(request.partnership, result) if officer else None,
        },
    )


def result_letter(request, partnership_slug, run_uuid, urn):
    """One school's letter: for officers, and for the school's own headteacher and governors, who have
    full access to the school's data; each download is logged."""
    run = selectors.get_run(request.partnership, run_uuid)
    result = selectors.get_result(run, urn)
    access = grants.access_for(request.user, result.school, explained=True)
    allowed, why = letter_decision(request, result.school, access)
    if not allowed:
        raise PermissionDenied(why)
    letter = selectors.letters_of_run(run).filter(result=result).first()
    if letter is None:
        raise PermissionDenied("This school has no letter yet: letters are written once the results are confirmed.")
    log_view(request, result.school, f"categorisation letter {run.academic_year}", access)
    response = HttpResponse(letter.read_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    return response


def school_history(request, partnership_slug, urn):
    school = get_school(request.partnership, urn)
    access = require_full_access(request, school)
    history = selectors.school_history(
        request.partnership, school, to_officer=is_officer(request), own=own_school_ids(request)
    )
    log_view(request, school, "categorisation history", access)
    return render(
        request,
        "categorisation/school_history.html",
        {
            "school": school,
            "history": history,
            "officer": is_officer(request),
        },
    )
