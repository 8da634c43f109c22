"""The page where an LA officer edits what the partnership's categorisation letters say: a preview, then a
new version of the wording (who, when, why)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from partnership.forms import form_errors
from partnership.permissions import rule_required

from .. import selectors
from ..forms.letter_template import LetterTemplateForm
from ..letter_template import (
    can_edit_letter_template,
    current_letter_template,
    filled_wording,
    letter_template_change,
    letter_template_history,
)
from ..models import LetterTemplate
from ..placeholders import PLACEHOLDERS


def _values(form, current, categories) -> dict:
    """The form's wording; a category's paragraph for a category no framework has now is kept as it was."""
    values = form.values()
    shown = {code for code, _ in categories}
    kept = {k: v for k, v in (current.next_steps_by_category or {}).items() if k not in shown}
    values["next_steps_by_category"] = {**kept, **values["next_steps_by_category"]}
    return values


def _preview(request, form, current, categories) -> list[dict] | None:
    """The wording as letters would print it, for an example school in each category; None when a text is
    refused (the form then says why)."""
    values = {**current.values(), **_values(form, current, categories)}
    draft = LetterTemplate(partnership=request.partnership, version=0, reason="preview", **values)
    try:
        draft.clean()
    except ValidationError as exc:
        form_errors(form, exc)
        return None
    examples = categories or [("", "")]
    return [
        {
            "code": code,
            "label": label,
            **filled_wording(
                draft,
                school="Example School",
                category=code,
                category_label=label,
                year=request.partnership.current_academic_year,
                partnership=request.partnership.name,
            ),
        }
        for code, label in examples
    ]


@require_http_methods(["GET", "POST"])
@rule_required(can_edit_letter_template)
def letter_template_edit(request, partnership_slug):
    partnership = request.partnership
    current = current_letter_template(partnership)
    categories = selectors.letter_categories(partnership)
    form = LetterTemplateForm(
        request.POST or None, initial=LetterTemplateForm.initial_from(current), categories=categories
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("intent") == "preview":
            preview = _preview(request, form, current, categories)
        else:
            try:
                template = letter_template_change(
                    actor=request.user,
                    partnership=partnership,
                    reason=form.cleaned_data["reason"],
                    **_values(form, current, categories),
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"The letters' wording {template.label} is saved: the next letters use it.")
                return redirect(reverse("categorisation_letter_template", args=[partnership.slug]))
    return render(
        request,
        "categorisation/letter_template.html",
        {
            "form": form,
            "current": current,
            "history": letter_template_history(partnership),
            "preview": preview,
            "placeholders": ["{" + name + "}: " + what for name, what in PLACEHOLDERS.items()],
        },
    )
