"""The partnership's own wording of its categorisation letters (``LetterTemplate``): who may change it, the
version in force, the change itself (a new version, audited) and the wording filled for one letter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.actors import actor_roles, person
from partnership.audit import audit_record, snapshot
from partnership.models import Partnership
from partnership.permissions import require
from partnership.roles import Decision, officers_only

from .models import LetterTemplate
from .placeholders import fill

FIELDS = ("opening", "next_steps", "next_steps_by_category", "contact", "signatory_role", "signatory_name")
AUDIT_FIELDS = (*FIELDS, "version")


def can_edit_letter_template(roles) -> Decision:
    return officers_only(roles, "change what the partnership's categorisation letters say")


def current_letter_template(partnership: Partnership) -> LetterTemplate:
    """The version in force: the highest, or the shipped wording when the partnership never changed it."""
    latest = LetterTemplate.objects.for_partnership(partnership).select_related("changed_by").order_by("-version")
    return latest.first() or LetterTemplate.defaults(partnership)


def letter_template_history(partnership: Partnership) -> list[LetterTemplate]:
    return list(LetterTemplate.objects.for_partnership(partnership).select_related("changed_by").order_by("-version"))


def _clean(values: dict) -> dict:
    cleaned = {}
    for name, value in values.items():
        if name == "next_steps_by_category":
            cleaned[name] = {str(code): str(text).strip() for code, text in (value or {}).items() if str(text).strip()}
        else:
            cleaned[name] = (value or "").strip()
    return cleaned


@transaction.atomic
def letter_template_change(*, actor, partnership: Partnership, reason: str, **values) -> LetterTemplate:
    """Change the letters' wording: a new version (who, when, why) that the next letters use; earlier versions
    and the letters written with them stay as they were. ``values`` are fields of ``FIELDS``; one left out
    keeps its current text. A placeholder the letter does not know is refused with the field and why, and
    nothing is saved."""
    require(can_edit_letter_template(actor_roles(actor, partnership)))
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ValidationError(f"Not part of the letter's wording: {', '.join(unknown)}.")
    # Serialise changes for one partnership, so two officers never make the same version number.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).values_list("pk", flat=True).first()
    current = current_letter_template(partnership)
    template = LetterTemplate(
        partnership=partnership,
        version=current.version + 1,
        **{**current.values(), **_clean(values)},
        changed_by=person(actor),
        changed_at=timezone.now(),
        reason=(reason or "").strip(),
    )
    template.full_clean()
    if template.values() == current.values():
        raise ValidationError(f"Nothing changed: the letters already say that ({current.label}).")
    template.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=template,
        action="categorisation.letter_template.change",
        before=snapshot(current, AUDIT_FIELDS),
        after=snapshot(template, AUDIT_FIELDS),
        reason=template.reason,
    )
    return template


def filled_wording(
    template: LetterTemplate, *, school: str, category: str | None, category_label: str, year: str, partnership: str
) -> dict[str, str]:
    """The template's texts for one letter, placeholders filled: plain text, escaped where it is printed."""
    values = {
        "school": school,
        "category": category or "",
        "category_label": category_label,
        "year": year,
        "partnership": partnership,
    }
    return {
        "opening": fill(template.opening, values),
        "next_steps": fill(template.next_steps_for(category), values),
        "contact": fill(template.contact, values),
        "signatory_role": template.signatory_role,
        "signatory_name": template.signatory_name,
    }
