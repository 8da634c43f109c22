"""A school's self-assessment, on its result page: what the page shows of it, and the head's two ways of
saving it (the form posts to the result's own URL with ``action=self_assess``).

The headteacher saves a draft to come back to, or submits. A draft is shown only to the school's own
people (its headteacher and governors); to everyone else, officers included, the school has not
self-assessed until it submits. The run's due date is shown beside the form, and "Overdue" once it has
passed without a submission.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership.permissions import rule_required

from .. import runs, selectors
from ..forms import RunDueDateForm, SelfAssessmentForm
from ..models import Result
from ..runs import can_run_categorisation
from .common import form_errors, own_school_ids

DRAFT, SUBMIT = "draft", "submit"


def self_assessment_state(request, result) -> dict:
    """What the result page needs: the submitted self-assessment (everyone who sees the page), the draft
    (the school's own people only), whether the person may self-assess, and the due date."""
    submitted = selectors.self_assessment_for(result)
    draft = None
    if submitted is None and result.school_id in own_school_ids(request):
        mine = selectors.self_assessment_for(result, include_draft=True)
        draft = mine if mine is not None and mine.is_draft else None
    allowed, why = runs.can_self_assess(request.user, result.school)
    due = result.run.self_assessment_due
    return {
        "assessment": submitted,
        "draft": draft,
        "can_self_assess": allowed and result.status != Result.Status.CONFIRMED,
        "why_not": why,
        "due": due,
        "overdue": bool(due and submitted is None and timezone.localdate() > due),
    }


def self_assessment_form(result, state, data=None, *, submitting: bool = False) -> SelfAssessmentForm:
    """The form, filled from the draft (or else the submitted self-assessment) when not posted."""
    shown = state["draft"] or state["assessment"]
    initial = {"category": shown.category, **{f"evidence_{k}": v for k, v in shown.evidence.items()}} if shown else {}
    return SelfAssessmentForm(data, initial=initial, version=result.framework_version, submitting=submitting)


def self_assessment_post(request, result, state):
    """Save a draft or submit: (the form with its errors, None) or (the form, a redirect back)."""
    if not state["can_self_assess"]:
        raise PermissionDenied(state["why_not"])
    intent = DRAFT if request.POST.get("intent") == DRAFT else SUBMIT
    form = self_assessment_form(result, state, request.POST, submitting=intent == SUBMIT)
    if not form.is_valid():
        return form, None
    data = {"category": form.cleaned_data.get("category", ""), "evidence": form.evidence()}
    try:
        if intent == DRAFT:
            runs.self_assessment_save_draft(actor=request.user, result=result, **data)
            messages.success(request, "Your draft is saved. Only the school's own people can see it until you submit.")
        else:
            runs.self_assessment_submit(actor=request.user, result=result, **data)
            messages.success(request, "The school's self-assessment is submitted.")
    except ValidationError as exc:
        form_errors(form, exc)
        return form, None
    return form, redirect(request.path)


@require_POST
@rule_required(can_run_categorisation)
def run_due_date(request, partnership_slug, run_uuid):
    """The LA sets the date by which the run's schools submit their self-assessment."""
    run = selectors.get_run(request.partnership, run_uuid)
    form = RunDueDateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["self_assessment_due"])
        run = runs.run_set_due_date(actor=request.user, run=run, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Self-assessments are now due by {run.self_assessment_due:%-d %B %Y}.")
    return redirect("categorisation_run_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)
