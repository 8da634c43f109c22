"""The page where an LA officer records the LA's judgements of one school for one academic year."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from partnership.forms import form_errors
from partnership.models import validate_academic_year
from partnership.permissions import rule_required
from partnership.selectors import audit_for_object
from schools import selectors as school_selectors
from sharing.grants import access_for
from sharing.services import log_data_view

from .. import judgements
from ..forms.judgements import JudgementsForm

# Years an officer may record judgements for: back this many from the partnership's current year, and the next.
JUDGEMENT_YEARS_BACK = 10


@require_http_methods(["GET", "POST"])
@rule_required(judgements.can_record_judgements)
def school_judgements(request, partnership_slug, urn, year):
    """Record (create or change) the LA's judgements of one school for one academic year."""
    school = school_selectors.get_school(request.partnership, urn)
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
        return render(request, "categorisation/school_judgements.html", context, status=404)
    indicator = school_selectors.school_local_indicator(school, year)
    form = JudgementsForm(
        request.POST if request.method == "POST" else None,
        indicator=indicator,
        revision=judgements.judgements_revision(indicator),
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        revision = values.pop("revision")
        try:
            recorded = judgements.school_judgements_record(
                actor=request.user, school=school, academic_year=year, values=values, base_revision=revision
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict") and any(error.code == "stale" for error in exc.error_list):
                # The page is shown again as the judgements now stand, with why nothing was saved.
                messages.error(request, exc.messages[0])
                return redirect("school_judgements", partnership_slug=partnership_slug, urn=school.urn, year=year)
            form_errors(form, exc)
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
        "categorisation/school_judgements.html",
        {
            "school": school,
            "year": year,
            "form": form,
            "indicator": indicator,
            "audit": audit_for_object(request.partnership, indicator) if indicator is not None else None,
        },
    )
