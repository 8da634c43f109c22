"""Categorisation letters: one PDF per confirmed result, rendered with WeasyPrint from
templates/reports/categorisation_letter.html, addressed to the headteacher and the chair of governors
and, for an academy, the trust's chief executive (Calderdale: the final band is communicated in writing).
"""

from __future__ import annotations

import io
import zipfile

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from partnership.audit import audit_record

from .models import Letter, Result, Run

ACADEMY_TYPES = {"academy", "free"}


def recipients(school) -> list[str]:
    """Who the letter is addressed to, by role (never a person's name from the data)."""
    lines = [f"The Headteacher, {school.name}", f"The Chair of Governors, {school.name}"]
    if school.school_type in ACADEMY_TYPES:
        trust = school.trust_name or "the academy trust"
        lines.append(f"The Chief Executive Officer, {trust}")
    return lines


def category_labels(definition: dict) -> dict[str, str]:
    return {c["code"]: c.get("label", c["code"]) for c in definition["categories"]}


def letter_pdf(result: Result) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/categorisation_letter.html", {
        "result": result,
        "school": result.school,
        "partnership": result.partnership,
        "recipients": recipients(result.school),
        "label": category_labels(result.framework_version.definition).get(result.category, ""),
        "framework": result.framework_version,
        "today": timezone.localdate(),
    })
    return HTML(string=html).write_pdf()


def letter_filename(result: Result) -> str:
    return f"categorisation-{result.academic_year}-{result.school.urn}-{slugify(result.school.name)[:60]}.pdf"


def letters_render(*, run_id: int) -> str:
    """Render the letters of a confirmed run. Idempotent: a conditional update claims the work and a
    result that already has its letter is skipped, so a repeated task writes no second letter."""
    claimed = Run.objects.filter(pk=run_id, letters_status=Run.Letters.QUEUED).update(
        letters_status=Run.Letters.RENDERING)
    if not claimed:
        return "skipped"
    run = Run.objects.select_related("partnership", "confirmed_by").get(pk=run_id)
    pending = (Result.objects.filter(run=run, status=Result.Status.CONFIRMED, letter__isnull=True)
               .select_related("school", "partnership", "framework_version", "run"))
    written = 0
    try:
        for result in pending:
            letter = Letter(partnership=run.partnership, result=result, filename=letter_filename(result),
                            pdf=letter_pdf(result), recipients="\n".join(recipients(result.school)))
            letter.full_clean()
            letter.save()
            written += 1
    except Exception:
        Run.objects.filter(pk=run_id).update(letters_status=Run.Letters.FAILED)
        raise
    with transaction.atomic():
        Run.objects.filter(pk=run_id).update(letters_status=Run.Letters.DONE)
        audit_record(actor=run.confirmed_by, partnership=run.partnership, obj=run,
                     action="categorisation.letters.render", after={"letters": written})
    return "done"


def letters_zip(letters) -> bytes:
    """Every letter given, in one zip file (one PDF per school)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in letters:
            archive.writestr(letter.filename, bytes(letter.pdf))
    return buffer.getvalue()
