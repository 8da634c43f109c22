"""Categorisation letters: one PDF per confirmed result, rendered with WeasyPrint from
templates/reports/categorisation_letter.html, addressed to the headteacher and the chair of governors
and, for an academy, the trust's chief executive (Calderdale: the final band is communicated in writing).

Once written, each letter is emailed (``letters_send``, a task of its own so that a mail server that is
down does not cost the PDFs) to the school's people who have accounts: its headteacher and governor
members. A letter with nobody to email records why, so that an officer posts it; the trust of an
academy has no account here, so its copy is always for the officer to send.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from partnership.actors import actor_roles
from partnership.audit import audit_record
from partnership.permissions import require
from partnership.roles import Decision, Role
from people.models import Membership

from .models import Letter, LetterTemplate, ModerationNote, Result, Run, SelfAssessment
from .runs import can_run_categorisation
from .wording import result_words

ACADEMY_TYPES = {"academy", "free"}


def can_read_letter(*, officer: bool, own_school: bool, school_name: str, access) -> Decision:
    """Whether a person may download a school's letter, and why not: the LA, and the school's own headteacher
    and governors while they have full access to its data (``access``, the sharing rules' answer). The letter
    view checks it, and every page that links to a letter asks it first, so no link leads to a refusal."""
    if not officer and not own_school:
        return False, "A school's letter is for the LA and the school's own headteacher and governors."
    if access is None or not access.is_full:
        sentence = access.sentence if access is not None else "you have no access to its data."
        return False, f"You cannot see {school_name}'s categorisation: {sentence}"
    return True, "The letter is for the LA and the school's own headteacher and governors."


def recipients(school) -> list[str]:
    """Who the letter is addressed to, by role (never a person's name from the data)."""
    lines = [f"The Headteacher, {school.name}", f"The Chair of Governors, {school.name}"]
    if school.school_type in ACADEMY_TYPES:
        trust = school.trust_name or "the academy trust"
        lines.append(f"The Chief Executive Officer, {trust}")
    return lines


def category_labels(definition: dict) -> dict[str, str]:
    return {c["code"]: c.get("label", c["code"]) for c in definition["categories"]}


def letter_context(result: Result, template: LetterTemplate | None = None) -> dict:
    """What a letter says: the result in words (``wording``) and the partnership's wording around it."""
    from .facts import inspection_dates
    from .letter_template import current_letter_template, filled_wording

    template = template or current_letter_template(result.partnership)
    version = result.framework_version
    school = result.school
    words = result_words(
        result,
        definition=version.definition,
        inspections=inspection_dates(school, result.academic_year, result.facts or {}),
        self_assessed=SelfAssessment.objects.filter(
            framework_id=version.framework_id,
            school=school,
            academic_year=result.academic_year,
            status=SelfAssessment.Status.SUBMITTED,
        ).exists(),
        moderated=ModerationNote.objects.filter(result=result).exists(),
    )
    labels = category_labels(version.definition)
    return {
        "result": result,
        "school": school,
        "partnership": result.partnership,
        "recipients": recipients(school),
        "label": labels.get(result.category or "", ""),
        "computed_label": labels.get(result.computed_category or "", ""),
        "words": words,
        "wording": filled_wording(
            template,
            school=school.name,
            category=result.category,
            category_label=labels.get(result.category or "", ""),
            year=result.academic_year,
            partnership=result.partnership.name,
        ),
        "today": timezone.localdate(),
    }


def letter_html(result: Result, template: LetterTemplate | None = None) -> str:
    return render_to_string("reports/categorisation_letter.html", letter_context(result, template))


def letter_pdf(result: Result, template: LetterTemplate | None = None) -> bytes:
    """The letter as PDF, with the partnership's wording in force (or ``template``)."""
    from weasyprint import HTML

    return HTML(string=letter_html(result, template)).write_pdf()


def letter_filename(result: Result) -> str:
    return f"categorisation-{result.academic_year}-{result.school.urn}-{slugify(result.school.name)[:60]}.pdf"


# Longer than the rendering task's hard time limit (30 minutes): a claim older than this without a letter
# written belongs to a worker that is gone.
RENDER_CLAIM_EXPIRES = timedelta(minutes=35)


def _stuck(now=None) -> Q:
    """Letters claimed for rendering by a worker that has written nothing for longer than it could live."""
    since = (now or timezone.now()) - RENDER_CLAIM_EXPIRES
    return Q(letters_status=Run.Letters.RENDERING) & (
        Q(letters_heartbeat_at__lt=since) | Q(letters_heartbeat_at__isnull=True)
    )


def letters_render(*, run_id: int) -> str:
    """Render the letters of a confirmed run. Idempotent: a conditional update claims the work (queued
    letters, or letters whose worker died while rendering) and a result that already has its letter is
    skipped, so a repeated or reclaimed task writes no second letter. Each letter written renews the claim."""
    now = timezone.now()
    claimed = (
        Run.objects.filter(pk=run_id)
        .filter(Q(letters_status=Run.Letters.QUEUED) | _stuck(now))
        .update(letters_status=Run.Letters.RENDERING, letters_heartbeat_at=now, letters_error="")
    )
    if not claimed:
        return "skipped"
    run = Run.objects.select_related("partnership", "confirmed_by").get(pk=run_id)
    pending = Result.objects.filter(run=run, status=Result.Status.CONFIRMED, letter__isnull=True).select_related(
        "school", "partnership", "framework_version", "run"
    )
    written = 0
    from .letter_template import current_letter_template

    template = current_letter_template(run.partnership)  # the wording in force when the letters are written
    try:
        for result in pending:
            letter = Letter(
                partnership=run.partnership,
                result=result,
                filename=letter_filename(result),
                recipients="\n".join(recipients(result.school)),
                wording=template if template.pk else None,
            )
            letter.full_clean(exclude=["file"])
            letter.file.save(letter.filename, ContentFile(letter_pdf(result, template)), save=False)
            letter.save()
            written += 1
            Run.objects.filter(pk=run_id).update(letters_heartbeat_at=timezone.now())
    except Exception as exc:
        Run.objects.filter(pk=run_id).update(
            letters_status=Run.Letters.FAILED, letters_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        Run.objects.filter(pk=run_id).update(letters_status=Run.Letters.DONE)
        audit_record(
            actor=run.confirmed_by,
            partnership=run.partnership,
            obj=run,
            action="categorisation.letters.render",
            after={"letters": written},
        )
        from .tasks import letters_send

        transaction.on_commit(lambda: letters_send.delay(run_id))
    return "done"


def can_retry_letters(run: Run, *, now=None) -> Decision:
    """Whether the run's letters can be queued to be written again, and why (not): only letters that failed,
    or that have been 'being written' with no letter written for longer than a worker could live."""
    status = run.letters_status
    if status == Run.Letters.FAILED:
        return True, "Writing the letters failed: they can be written again."
    if status == Run.Letters.RENDERING:
        since = (now or timezone.now()) - RENDER_CLAIM_EXPIRES
        if run.letters_heartbeat_at is None or run.letters_heartbeat_at < since:
            return True, "Writing the letters has stopped making progress: they can be written again."
        minutes = int(RENDER_CLAIM_EXPIRES.total_seconds() // 60)
        return False, (
            "The letters are being written now. They can be written again only if no letter is written for "
            f"{minutes} minutes."
        )
    if status == Run.Letters.QUEUED:
        return False, "The letters are already waiting to be written."
    if status == Run.Letters.DONE:
        return False, "Every letter of this run is written: there is nothing to write again."
    return False, "There are no letters yet: they are written once the results are confirmed."


RETRY_FIELDS = ("letters_status", "letters_error")


@transaction.atomic
def letters_retry(*, actor, run: Run, reason: str) -> Run:
    """Queue the letters of a run again when writing them failed or its worker died (``can_retry_letters``).
    Letters already written are kept; the task writes only the missing ones. Audited with who and why."""
    require(can_run_categorisation(actor_roles(actor, run.partnership)))
    if not reason.strip():
        raise ValidationError("Say why the letters are written again.")
    run = Run.objects.select_for_update().get(pk=run.pk)
    allowed, why = can_retry_letters(run)
    if not allowed:
        raise ValidationError(why)
    before = {"letters_status": run.letters_status, "letters_error": run.letters_error}
    run.letters_status, run.letters_error = Run.Letters.QUEUED, ""
    run.save(update_fields=["letters_status", "letters_error"])
    audit_record(
        actor=actor,
        partnership=run.partnership,
        obj=run,
        action="categorisation.letters.retry",
        before=before,
        after={"letters_status": run.letters_status, "letters_error": "", "letters_written": run_letter_count(run)},
        reason=reason.strip(),
    )
    from .tasks import letters_render

    transaction.on_commit(lambda: letters_render.delay(run.pk))
    return run


def run_letter_count(run: Run) -> int:
    return Letter.objects.filter(result__run=run).count()


def letters_reclaim_stuck(*, actor, partnership) -> list[str]:
    """Queue again every run of the partnership whose letters' worker died while writing them (beat work).
    Returns the runs' uuids."""
    reclaimed = []
    for run in Run.objects.for_partnership(partnership).filter(_stuck()):
        try:
            letters_retry(
                actor=actor,
                run=run,
                reason=f"No letter was written for {int(RENDER_CLAIM_EXPIRES.total_seconds() // 60)} minutes: "
                "the worker writing them had stopped.",
            )
        except ValidationError:
            continue  # it moved on meanwhile
        reclaimed.append(str(run.uuid))
    return reclaimed


LETTER_ROLES = (Role.HEAD, Role.GOVERNOR)


def email_addresses(partnership, school_ids) -> dict[int, list[str]]:
    """{school id: sorted addresses} of the active headteacher and governor members of each school."""
    found: dict[int, set[str]] = {}
    members = (
        Membership.objects.for_partnership(partnership)
        .active()
        .filter(school_id__in=list(school_ids), role__in=LETTER_ROLES, user__is_active=True)
        .exclude(user__email="")
        .values_list("school_id", "user__email")
    )
    for school_id, email in members:
        found.setdefault(school_id, set()).add(email)
    return {school_id: sorted(emails) for school_id, emails in found.items()}


SEND_CLAIM_EXPIRES = timedelta(hours=1)  # longer than the task's time limit: the worker that claimed it is gone


def _sendable(run: Run):
    """The run's letters to send: never sent nor left to post, or claimed by a worker that stopped before
    it sent (``sent_at`` set, ``sent_to`` still empty, and the claim older than the task could live)."""
    stale = Q(sent_at__lt=timezone.now() - SEND_CLAIM_EXPIRES, sent_to="")
    return Letter.objects.filter(result__run=run, send_note="").filter(Q(sent_at__isnull=True) | stale)


def letters_send(*, run_id: int) -> dict[str, int]:
    """Email each written letter of a run that has not been sent. Idempotent: each letter is claimed by a
    conditional update before it is sent, so a repeated task never sends a letter twice; a letter whose
    sending fails is released for the next attempt, and one whose worker died is claimed again once the
    claim is older than the task could live. What was sent is audited even when a later letter fails."""
    run = Run.objects.select_related("partnership", "confirmed_by").get(pk=run_id)
    letters = list(_sendable(run).select_related("result__school"))
    addresses = email_addresses(run.partnership, {letter.result.school_id for letter in letters})
    sent = unsent = 0
    try:
        for letter in letters:
            school = letter.result.school
            to = addresses.get(school.pk, [])
            if not to:
                unsent += (
                    _sendable(run)
                    .filter(pk=letter.pk)
                    .update(
                        send_note="No headteacher or governor of the school has an account with an email address: "
                        "download the letter and post it."
                    )
                )
                continue
            if not _sendable(run).filter(pk=letter.pk).update(sent_at=timezone.now()):
                continue  # another worker has it
            pdf = letter.read_pdf()
            message = EmailMessage(
                subject=f"{run.partnership.name}: categorisation {run.academic_year} for {school.name}",
                body=render_to_string(
                    "emails/categorisation_letter.txt", {"partnership": run.partnership, "school": school, "run": run}
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=to,
            )
            message.attach(letter.filename, pdf, "application/pdf")
            try:
                message.send()
            except Exception:
                Letter.objects.filter(pk=letter.pk).update(sent_at=None)
                raise
            Letter.objects.filter(pk=letter.pk).update(sent_to="\n".join(to))
            sent += 1
    finally:
        if sent or unsent:
            audit_record(
                actor=run.confirmed_by,
                partnership=run.partnership,
                obj=run,
                action="categorisation.letters.send",
                after={"emailed": sent, "to_post": unsent},
            )
    return {"emailed": sent, "to_post": unsent}


def letters_to_post(run: Run) -> list[Letter]:
    """The run's letters nobody could be emailed, for an officer to download and post."""
    return list(
        Letter.objects.filter(result__run=run)
        .exclude(send_note="")
        .select_related("result__school")
        .order_by("filename")
    )


def letters_sending_summary(run: Run) -> dict[str, int]:
    """How many of a run's letters were emailed, are to be posted, or wait to be sent."""
    letters = Letter.objects.filter(result__run=run)
    return {
        "emailed": letters.filter(sent_at__isnull=False).exclude(sent_to="").count(),
        "to_post": letters.exclude(send_note="").count(),
        "waiting": letters.filter(send_note="").filter(Q(sent_at__isnull=True) | Q(sent_to="")).count(),
    }


def letters_zip(letters) -> bytes:
    """Every letter given, in one zip file (one PDF per school)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in letters:
            archive.writestr(letter.filename, letter.read_pdf())
    return buffer.getvalue()
