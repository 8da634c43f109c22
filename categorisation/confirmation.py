"""Confirming a run, the part after the officer's decision (``runs.results_confirm`` claims the run): what
confirming will do, shown before the officer decides (``confirm_preview``), and the task's service that does
it (``results_confirm_execute``): every result's final category fixed, batch by batch with the run's
progress, then the concern register entries of a register category and the run marked confirmed in one
transaction, then the letters, written and emailed by their own tasks.

Idempotent and resumable: a conditional update claims the work (a queued confirmation, or one whose worker
stopped); a result already confirmed is not confirmed again, and the register leaves a school already on it
as it is. A beat job queues again a confirmation whose worker died (``confirm_reclaim_stuck``).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partnership.audit import audit_record, audit_record_many, snapshot
from partnership.permissions import require
from sharing.models import ConcernRegisterEntry
from sharing.services import register_from_categorisation

from .models import Result, Run, SelfAssessment
from .runs import (
    BATCH_SIZE,
    CONFIRM_FIELDS,
    RESULT_FIELDS,
    _queue_confirm,
    actor_roles,
    can_run_categorisation,
    confirm_refusal,
)

# Each batch renews the claim and takes well under a second; a claim this old belongs to a worker that is gone
# (the task's hard time limit is shorter).
CONFIRM_STALE_AFTER = timedelta(minutes=15)


# ---- what confirming will do -------------------------------------------------------------------------


def confirm_preview(run: Run) -> dict:
    """What confirming the run will do, for the officer to check first: the categories it fixes, the schools
    that have not self-assessed, the disagreements not moderated and the schools with no category (these two
    hold it back), the schools going on the concern register, and for each letter whom it is emailed to or
    that it is for the LA to post. A fixed number of queries, whatever the number of schools."""
    from .letters import email_addresses, recipients

    version = run.framework_version
    assessed = SelfAssessment.objects.filter(
        framework_id=version.framework_id, school_id=OuterRef("school_id"), academic_year=run.academic_year
    )
    results = list(
        Result.objects.filter(run=run)
        .select_related("school")
        .annotate(self_assessed=Exists(assessed))
        .order_by("school__name")
    )
    register_codes = {c["code"] for c in version.definition["categories"] if c.get("register")}
    labels = {c["code"]: c.get("label") or c["code"] for c in version.definition["categories"]}
    going = [r for r in results if r.category in register_codes]
    on_register = set(
        ConcernRegisterEntry.objects.for_partnership(run.partnership)
        .filter(school_id__in=[r.school_id for r in going], removed_on__isnull=True)
        .values_list("school_id", flat=True)
    )
    addresses = email_addresses(run.partnership, [r.school_id for r in results])
    letters = [
        {
            "school": r.school,
            "emailed_to": addresses.get(r.school_id, []),
            "addressed_to": recipients(r.school),
        }
        for r in results
    ]
    counts = Counter(r.category or "" for r in results)
    return {
        "total": len(results),
        "by_category": [(code, labels[code], counts[code]) for code in labels if counts[code]],
        "not_self_assessed": [r.school for r in results if not r.self_assessed],
        "flagged": [r for r in results if r.status == Result.Status.FLAGGED],
        "undecided": [r for r in results if r.status != Result.Status.FLAGGED and not r.category],
        "overrides": [r for r in results if r.is_override],
        "register": [
            {
                "school": r.school,
                "category": r.category,
                "label": labels.get(r.category, ""),
                "already": r.school_id in on_register,
            }
            for r in going
        ],
        "register_new": sum(1 for r in going if r.school_id not in on_register),
        "letters": letters,
        "emailed": sum(1 for letter in letters if letter["emailed_to"]),
        "to_post": [letter["school"] for letter in letters if not letter["emailed_to"]],
        "refusal": confirm_refusal(run),
    }


# ---- the task's service ----------------------------------------------------------------------------------


def _stuck(now=None) -> Q:
    """Confirmations whose worker stopped: claimed and not renewed, or queued and never picked up (the
    heartbeat is also set when the work is queued)."""
    since = (now or timezone.now()) - CONFIRM_STALE_AFTER
    return Q(confirm_status__in=[Run.Confirming.QUEUED, Run.Confirming.CONFIRMING]) & (
        Q(confirm_heartbeat_at__lt=since) | Q(confirm_heartbeat_at__isnull=True)
    )


def results_confirm_execute(*, run_id: int) -> Run | None:
    """Do the confirmation an officer asked for. Returns None when there was nothing to claim (done, or
    another worker has it)."""
    now = timezone.now()
    stale = Q(confirm_status=Run.Confirming.CONFIRMING, confirm_heartbeat_at__lt=now - CONFIRM_STALE_AFTER)
    claimed = (
        Run.objects.filter(pk=run_id, confirmed_at__isnull=True)
        .filter(Q(confirm_status=Run.Confirming.QUEUED) | stale)
        .update(confirm_status=Run.Confirming.CONFIRMING, confirm_heartbeat_at=now, confirm_error="")
    )
    if not claimed:
        return None
    run = Run.objects.select_related("partnership", "framework_version", "confirm_requested_by").get(pk=run_id)
    try:
        _confirm(run)
    except Exception as exc:
        Run.objects.filter(pk=run_id, confirm_status=Run.Confirming.CONFIRMING).update(
            confirm_status=Run.Confirming.FAILED, confirm_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    run.refresh_from_db()
    return run


def _stop(run: Run, why: str) -> None:
    Run.objects.filter(pk=run.pk, confirm_status=Run.Confirming.CONFIRMING).update(
        confirm_status=Run.Confirming.FAILED, confirm_error=why
    )


def _confirm(run: Run) -> None:
    actor, when = run.confirm_requested_by, run.confirm_requested_at or timezone.now()
    open_results = Result.objects.filter(run=run).exclude(status=Result.Status.CONFIRMED)
    pending = list(open_results.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pending), BATCH_SIZE):
        with transaction.atomic():
            if not Run.objects.select_for_update().filter(pk=run.pk, confirm_status=Run.Confirming.CONFIRMING).exists():
                return  # another worker took it over
            batch = list(
                Result.objects.filter(pk__in=pending[start : start + BATCH_SIZE])
                .exclude(status=Result.Status.CONFIRMED)
                .select_related("school")
            )
            # A school flagged or left without a category after the officer confirmed (a self-assessment
            # that came in at that moment): stop, for it to be moderated, rather than confirm it unseen.
            unsettled = [r.school.name for r in batch if r.status == Result.Status.FLAGGED or not r.category]
            if unsettled:
                _stop(
                    run,
                    f"Moderate {', '.join(sorted(unsettled)[:10])} first: flagged for discussion or with no "
                    "category after confirming was asked for. Then confirm again: the categories already "
                    "confirmed stay.",
                )
                return
            befores = {r.pk: snapshot(r, RESULT_FIELDS) for r in batch}
            for r in batch:
                r.final_category, r.status = r.category, Result.Status.CONFIRMED
                r.confirmed_at, r.confirmed_by = when, actor
            Result.objects.bulk_update(batch, ["final_category", "status", "confirmed_at", "confirmed_by"])
            audit_record_many(
                actor=actor,
                partnership=run.partnership,
                action="categorisation.result.confirm",
                changes=[(r, befores[r.pk], snapshot(r, RESULT_FIELDS)) for r in batch],
                reason=run.confirm_note,
            )
            Run.objects.filter(pk=run.pk).update(
                confirm_done=Result.objects.filter(run=run, status=Result.Status.CONFIRMED).count(),
                confirm_heartbeat_at=timezone.now(),
            )
    _finish(run, actor=actor, when=when)


@transaction.atomic
def _finish(run: Run, *, actor, when) -> None:
    """The register entries and the run's confirmation in one transaction, then the letters are queued."""
    if not Run.objects.select_for_update().filter(pk=run.pk, confirm_status=Run.Confirming.CONFIRMING).exists():
        return
    results = list(Result.objects.filter(run=run).only("school_id", "final_category", "computed_category", "status"))
    if any(r.status != Result.Status.CONFIRMED for r in results):
        raise RuntimeError("A result of the run is not confirmed at the end of confirming.")
    _register_concerns(actor, run, results)
    before = snapshot(run, CONFIRM_FIELDS)
    run.confirmed_at, run.confirmed_by, run.letters_status = when, actor, Run.Letters.QUEUED
    run.confirm_status, run.confirm_done, run.confirm_total = Run.Confirming.DONE, len(results), len(results)
    fields = ["confirmed_at", "confirmed_by", "letters_status", "confirm_status", "confirm_done", "confirm_total"]
    run.save(update_fields=fields)
    audit_record(
        actor=actor,
        partnership=run.partnership,
        obj=run,
        action="categorisation.run.confirm",
        before=before,
        after={**snapshot(run, CONFIRM_FIELDS), "confirmed": len(results)},
        reason=run.confirm_note,
    )
    from .tasks import letters_render

    transaction.on_commit(lambda: letters_render.delay(run.pk))


def _register_concerns(actor, run: Run, results: list[Result]) -> None:
    """Schools confirmed in a category marked ``register`` go on the Schools Causing Concern register
    (confidential to the LA and the school until a formal warning notice), which also refreshes who may
    see them. A school already on the register is left as it is."""
    version = run.framework_version
    for category in version.definition["categories"]:
        if not category.get("register"):
            continue
        school_ids = [r.school_id for r in results if r.category == category["code"]]
        if school_ids:
            label = category.get("label") or category["code"]
            register_from_categorisation(
                actor=actor,
                partnership=run.partnership,
                school_ids=school_ids,
                added_on=timezone.localdate(),
                reason=f"Confirmed as {category['code']} ({label}) in the {run.academic_year} categorisation "
                f"with {version}.",
            )


# ---- beat: confirmations whose worker stopped ------------------------------------------------------------


@transaction.atomic
def confirm_resume(*, actor, run: Run, reason: str) -> Run:
    """Queue again a confirmation whose worker stopped (``_stuck``); what it confirmed is kept. Audited."""
    require(can_run_categorisation(actor_roles(actor, run.partnership)))
    before = snapshot(run, CONFIRM_FIELDS)
    if (
        not Run.objects.filter(pk=run.pk)
        .filter(_stuck())
        .update(confirm_status=Run.Confirming.QUEUED, confirm_heartbeat_at=timezone.now())
    ):
        raise ValidationError("Only a confirmation that has stopped making progress is queued again.")
    run.refresh_from_db()
    audit_record(
        actor=actor,
        partnership=run.partnership,
        obj=run,
        action="categorisation.run.confirm_resume",
        before=before,
        after=snapshot(run, CONFIRM_FIELDS),
        reason=reason,
    )
    _queue_confirm(run)
    return run


def confirm_reclaim_stuck(*, actor, partnership) -> list[str]:
    """Queue again every confirmation of the partnership whose worker stopped (beat work): the runs' uuids."""
    minutes = int(CONFIRM_STALE_AFTER.total_seconds() // 60)
    reclaimed = []
    for run in Run.objects.for_partnership(partnership).filter(_stuck()):
        try:
            confirm_resume(
                actor=actor,
                run=run,
                reason=f"Confirming made no progress for {minutes} minutes: the worker doing it had stopped.",
            )
        except ValidationError:
            continue  # it moved on meanwhile
        reclaimed.append(str(run.uuid))
    return reclaimed
