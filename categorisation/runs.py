"""Writes for categorisation runs: start, execute (the Celery task's service), resume, self-assessment,
moderation and confirmation. Each public service takes a keyword-only actor (the task's is the run's
starter), runs in a transaction and writes audit rows.

A run reads every school's facts in a few bulk queries (``facts_source``), evaluates them in Python
and writes results in batches with one upsert on (run, school) each, so the number of queries does
not grow with the number of schools, and running the same run again never makes a duplicate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import orjson
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, JSONField, Q
from django.utils import timezone

from partnership.actors import actor_roles, person
from partnership.audit import audit_record, audit_record_many, snapshot
from partnership.models import Partnership, validate_academic_year
from partnership.permissions import require
from partnership.roles import Decision, Role, officers_only

from .engine import Categoriser, FactsError, FrameworkError
from .facts_source import facts_for_partnership
from .models import Framework, FrameworkVersion, ModerationNote, Result, Run, SelfAssessment
from .selectors import confirmed_runs

BATCH_SIZE = 250
STALE_AFTER = timedelta(minutes=35)  # longer than the task's hard time limit: the worker is gone
RUN_FIELDS = (
    "framework_version",
    "academic_year",
    "status",
    "attempt",
    "total",
    "done_count",
    "self_assessment_due",
)
SELF_ASSESSMENT_WEEKS = timedelta(weeks=4)  # the default time schools have to self-assess
RESULT_FIELDS = ("computed_category", "status", "final_category", "override_reason")
COMPUTED_FIELDS = [
    "framework_version",
    "academic_year",
    "computed_category",
    "tib",
    "reasons",
    "criteria_met",
    "missing",
    "facts",
    "attempt",
    "computed_at",
    "status",
]
SETTLED = frozenset({Result.Status.AGREED, Result.Status.CONFIRMED})
CONFIRMING = (Run.Confirming.QUEUED, Run.Confirming.CONFIRMING)


# ---- permissions: pure functions of the actor's roles -----------------------------------------------


def can_run_categorisation(roles) -> Decision:
    return officers_only(roles, "run, moderate and confirm the partnership's categorisation")


def can_self_assess(user, school) -> Decision:
    from people.selectors import memberships_for_user

    if any(m.role == Role.HEAD and m.school_id == school.pk for m in memberships_for_user(user, school.partnership)):
        return True, "The headteacher submits the school's self-assessment."
    return False, "Only the school's headteacher can submit its self-assessment."


def _categories(version: FrameworkVersion) -> list[str]:
    return [c["code"] for c in version.definition["categories"]]


# ---- runs ----------------------------------------------------------------------------------------------


def confirmed_run_of_year(partnership: Partnership, academic_year: str) -> Run | None:
    """The newest confirmed (not withdrawn) run of the year: what everyone but the LA sees for that year."""
    return (
        confirmed_runs()
        .filter(partnership=partnership, academic_year=academic_year)
        .select_related("confirmed_by")
        .order_by("-confirmed_at")
        .first()
    )


@transaction.atomic
def run_start(
    *,
    actor,
    partnership: Partnership,
    framework_version: FrameworkVersion,
    academic_year: str,
    reason: str = "",
    self_assessment_due: date | None = None,
) -> Run:
    """Queue a run of every school of the partnership with a published version for a year. A year that
    already has confirmed results is run again only with a reason: until the new run is confirmed,
    everyone but the LA goes on seeing the confirmed results. Schools self-assess by
    ``self_assessment_due``: by default four weeks from today."""
    require(can_run_categorisation(actor_roles(actor, partnership)))
    reason = (reason or "").strip()
    confirmed = confirmed_run_of_year(partnership, academic_year)
    if confirmed is not None and not reason:
        who = (
            f" by {confirmed.confirmed_by.get_full_name() or confirmed.confirmed_by.username}"
            if confirmed.confirmed_by
            else ""
        )
        raise ValidationError(
            {
                "reason": f"{academic_year} already has confirmed results (confirmed on "
                f"{timezone.localtime(confirmed.confirmed_at):%-d %B %Y}{who}). Say why you are running it again: "
                "schools and the board keep seeing the confirmed results until the new run is confirmed."
            }
        )
    run = Run(
        partnership=partnership,
        framework_version=framework_version,
        academic_year=academic_year,
        started_by=person(actor),
        start_reason=reason,
        self_assessment_due=self_assessment_due or timezone.localdate() + SELF_ASSESSMENT_WEEKS,
    )
    _check_due(run.self_assessment_due)
    run.full_clean()
    run.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=run,
        action="categorisation.run.start",
        after=snapshot(run, RUN_FIELDS),
        reason=reason,
    )
    _queue(run)
    return run


@transaction.atomic
def run_resume(*, actor, run: Run) -> Run:
    """Queue a failed or stalled run again; results already written in this attempt are kept."""
    require(can_run_categorisation(actor_roles(actor, run.partnership)))
    stale = Q(status=Run.Status.RUNNING, heartbeat_at__lt=timezone.now() - STALE_AFTER)
    if (
        not Run.objects.filter(pk=run.pk)
        .filter(Q(status=Run.Status.FAILED) | stale)
        .update(status=Run.Status.QUEUED, error="")
    ):
        raise ValidationError("Only a failed run, or one that has stopped making progress, can be resumed.")
    before = snapshot(run, RUN_FIELDS)
    run.refresh_from_db()
    audit_record(
        actor=actor,
        partnership=run.partnership,
        obj=run,
        action="categorisation.run.resume",
        before=before,
        after=snapshot(run, RUN_FIELDS),
    )
    _queue(run)
    return run


def can_withdraw_run(roles, run: Run) -> Decision:
    allowed, why = can_run_categorisation(roles)
    if not allowed:
        return allowed, why
    if run.status == Run.Status.WITHDRAWN:
        return False, "This run is already withdrawn."
    if run.confirmed_at or run.is_confirming:
        return False, "A confirmed run cannot be withdrawn: its results are final and its letters written."
    return True, "An officer can withdraw a run that was started by mistake, until it is confirmed."


def _check_due(due: date) -> None:
    if due < timezone.localdate():
        raise ValidationError({"self_assessment_due": "The due date for self-assessments cannot be in the past."})


@transaction.atomic
def run_set_due_date(*, actor, run: Run, self_assessment_due: date) -> Run:
    """Set the date by which schools submit their self-assessment for the run (officers only)."""
    require(can_run_categorisation(actor_roles(actor, run.partnership)))
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.status == Run.Status.WITHDRAWN:
        raise ValidationError("This run was withdrawn: its due date no longer matters.")
    if run.confirmed_at is not None:
        raise ValidationError("This run is confirmed: self-assessments are closed.")
    if self_assessment_due == run.self_assessment_due:
        return run
    _check_due(self_assessment_due)
    before = snapshot(run, ("self_assessment_due",))
    run.self_assessment_due = self_assessment_due
    run.full_clean()
    run.save(update_fields=["self_assessment_due"])
    audit_record(
        actor=actor,
        partnership=run.partnership,
        obj=run,
        action="categorisation.run.due_date",
        before=before,
        after=snapshot(run, ("self_assessment_due",)),
    )
    return run


@transaction.atomic
def run_withdraw(*, actor, run: Run, reason: str) -> Run:
    """Withdraw a run started by mistake: it stops (a worker on it stops at its next batch), nobody but the
    LA sees it any more, and it can no longer be confirmed. Its results are kept, for the audit trail."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    require(can_withdraw_run(actor_roles(actor, run.partnership), run))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the run is withdrawn: it is kept in the audit trail."})
    before = snapshot(run, RUN_FIELDS)
    run.status, run.withdrawn_at, run.withdrawn_by, run.withdraw_reason = (
        Run.Status.WITHDRAWN,
        timezone.now(),
        person(actor),
        reason,
    )
    run.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason"])
    audit_record(
        actor=actor,
        partnership=run.partnership,
        obj=run,
        action="categorisation.run.withdraw",
        before=before,
        after=snapshot(run, RUN_FIELDS),
        reason=reason,
    )
    return run


def _queue(run: Run) -> None:
    from .tasks import run_execute

    transaction.on_commit(lambda: run_execute.delay(run.pk))


def run_execute(*, run_id: int) -> Run | None:
    """Categorise every school of the run. Idempotent: a conditional update claims the run (a queued one,
    or a running one whose worker stopped); schools already done in this attempt are skipped; results
    are upserted on (run, school). Returns None when there was nothing to claim."""
    now = timezone.now()
    claim = {"status": Run.Status.RUNNING, "started_at": now, "heartbeat_at": now}
    # A run never started has no results yet: nothing to skip or keep. Anything else (a resumed run, a
    # stalled one taken over) may have some.
    first = Run.objects.filter(pk=run_id, status=Run.Status.QUEUED, started_at__isnull=True).update(**claim) == 1
    if not first:
        stale = Q(status=Run.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        if not Run.objects.filter(pk=run_id).filter(Q(status=Run.Status.QUEUED) | stale).update(**claim):
            return None
    run = Run.objects.select_related("partnership", "framework_version__framework", "started_by").get(pk=run_id)
    try:
        _execute(run, first=first)
    except Exception as exc:
        Run.objects.filter(pk=run_id).update(status=Run.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return run


def _execute(run: Run, *, first: bool, retry: bool = True) -> None:
    """Categorise the run's schools in batches, each committed with the run's progress; the last batch is
    committed with the run's end, so a run is done exactly when its last results are stored."""
    partnership, version = run.partnership, run.framework_version
    facts = facts_for_partnership(partnership, run.academic_year)
    earlier = [] if first else list(Result.objects.filter(run=run).values_list("school_id", "attempt", "status"))
    done, settled = set(), {}
    for school_id, attempt, status in earlier:
        if attempt == run.attempt:
            done.add(school_id)
        if status in SETTLED:
            settled[school_id] = status  # agreed or confirmed: a new attempt recomputes, it does not unsettle
    todo = [school_id for school_id in facts if school_id not in done]
    claims = _self_assessed(version.framework_id, run.academic_year)
    Run.objects.filter(pk=run.pk).update(total=len(facts), done_count=len(done))
    categoriser = Categoriser.shared(version.definition)
    counts: Counter = Counter()
    batches = [todo[start : start + BATCH_SIZE] for start in range(0, len(todo), BATCH_SIZE)] or [[]]
    for number, batch in enumerate(batches, start=1):
        now = timezone.now()
        rows = [
            _result(run, school_id, categoriser, facts[school_id], claims.get(school_id), now, settled.get(school_id))
            for school_id in batch
        ]
        counts.update(row["computed_category"] for row in rows)
        try:
            still_running = _commit_batch(
                run,
                rows,
                fresh=not earlier,
                last=number == len(batches),
                total=len(facts),
                done_count=len(done) + number * BATCH_SIZE,
                counts=None if earlier else counts,
            )
            if not still_running:
                return  # withdrawn meanwhile: stop here
        except IntegrityError:
            if earlier or not retry:
                raise
            # Another worker stored results of this run meanwhile (it took over a run it thought stalled):
            # start again from what is stored, as a resumed run does, skipping what is done and keeping
            # what is settled.
            _execute(run, first=False, retry=False)
            return


@transaction.atomic
def _commit_batch(
    run: Run, rows: list[dict], *, fresh: bool, last: bool, total: int, done_count: int, counts: Counter | None
) -> bool:
    """Store a batch with the run's progress, or, for the last, with the run's end. False when the run is no
    longer running (an officer withdrew it): the batch is then not kept."""
    if not Run.objects.select_for_update().filter(pk=run.pk, status=Run.Status.RUNNING).exists():
        return False
    _store(rows, fresh=fresh)
    if not last:
        Run.objects.filter(pk=run.pk, status=Run.Status.RUNNING).update(
            total=total, done_count=done_count, heartbeat_at=timezone.now()
        )
    else:
        # A run's first attempt counts its categories from what it wrote; a resumed one, which kept
        # earlier results, from the table.
        _finish(run, total=total, counts=counts)
    return True


def _finish(run: Run, *, total: int, counts: Counter | None) -> None:
    run.status, run.finished_at, run.error = Run.Status.DONE, timezone.now(), ""
    run.total = run.done_count = total
    Run.objects.filter(pk=run.pk, status=Run.Status.RUNNING).update(
        status=run.status, finished_at=run.finished_at, total=total, done_count=total, error=""
    )
    if counts is None:
        counts = dict(
            Result.objects.filter(run=run).values_list("computed_category").annotate(n=Count("id")).order_by()
        )
    # One audit row for the run, with the count per category: each result keeps its own facts, reasons and
    # computed_at, and every decision on a result (moderation, confirmation) is audited.
    audit_record(
        actor=run.started_by,
        partnership=run.partnership,
        obj=run,
        action="categorisation.run.done",
        after={**snapshot(run, RUN_FIELDS), "categories": {c or "none": n for c, n in counts.items()}},
        reason=f"attempt {run.attempt}",
    )


def _store(rows: list[dict], *, fresh: bool = False) -> None:
    """Write a batch of results (each a dict of the computed columns, by attribute name), upserting on
    (run, school) and updating only what a run computes, so a result's moderation and confirmation
    survive a re-run.

    When the run had no results before (``fresh``) the rows are inserted, and a row there after all is an
    IntegrityError for the caller. On PostgreSQL the rows go through COPY, several times faster than a
    multi-row INSERT for JSON-heavy rows: straight into the table when fresh, else into a temporary table
    and one INSERT ... ON CONFLICT from it. Elsewhere, bulk_create does the same."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        upsert = (
            {}
            if fresh
            else {"update_conflicts": True, "unique_fields": ["run", "school"], "update_fields": COMPUTED_FIELDS}
        )
        Result.objects.bulk_create([Result(**row) for row in rows], **upsert)
        return
    fields = [f for f in Result._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Result._meta.db_table)
    if fresh:
        with connection.cursor() as cursor:
            _copy(cursor, table, columns, fields, rows)
        return
    updates = ", ".join(
        f"{name} = EXCLUDED.{name}"
        for name in (connection.ops.quote_name(Result._meta.get_field(f).column) for f in COMPUTED_FIELDS)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS categorisation_result_batch ON COMMIT DELETE ROWS "
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        # Emptied on commit; inside an outer transaction (a savepoint) an earlier batch may still be there.
        cursor.execute("DELETE FROM categorisation_result_batch")
        _copy(cursor, "categorisation_result_batch", columns, fields, rows)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM categorisation_result_batch "
            f"ON CONFLICT (run_id, school_id) DO UPDATE SET {updates}"
        )


def _copy(cursor, table: str, columns: str, fields: list, rows: list[dict]) -> None:
    """COPY the rows into table: JSON as text (what COPY reads for jsonb); every other value (ids, text,
    booleans, integers, UUIDs, aware datetimes) as psycopg writes it; a column a run does not compute
    gets the field's default (a new UUID each row for uuid)."""
    json_names = {f.attname for f in fields if isinstance(f, JSONField)}
    # (attribute name, is JSON, the field's default maker for a column the rows leave out)
    plan = [(f.attname, f.attname in json_names, None if f.attname in rows[0] else f.get_default) for f in fields]
    # COPY is psycopg's own, outside Django's cursor wrapper: its errors are made Django's here.
    with connection.wrap_database_errors, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [
                    default() if default is not None else _json_text(row[name]) if is_json else row[name]
                    for name, is_json, default in plan
                ]
            )


def _json_text(value) -> str | None:
    # orjson: several times faster than json for the tens of thousands of documents of a national run
    return None if value is None else orjson.dumps(value).decode()


def _result(
    run: Run,
    school_id: int,
    categoriser: Categoriser,
    facts: dict,
    claimed: str | None,
    now,
    settled: str | None = None,
) -> dict:
    """A school's computed result, as the values of Result's columns a run writes."""
    try:
        outcome, met = categoriser.explain(engine_facts(facts))
    except (FactsError, FrameworkError) as exc:
        category, tib, reasons, missing, met = None, False, [f"the school's data could not be used: {exc}"], [], []
    else:
        category, tib, reasons, missing = outcome.category, outcome.tib, outcome.reasons, outcome.missing
    flagged = claimed is not None and claimed != category
    status = settled or (Result.Status.FLAGGED if flagged else Result.Status.PROVISIONAL)
    return result_row(
        run, school_id, facts, now, category=category, tib=tib, reasons=reasons, met=met, missing=missing, status=status
    )


def result_row(
    run: Run,
    school_id: int,
    facts: dict,
    now,
    *,
    category: str | None = None,
    tib: bool = False,
    reasons: list | None = None,
    met: list | None = None,
    missing: list | None = None,
    status: str = Result.Status.PROVISIONAL,
) -> dict:
    """The columns of Result a run writes for a school (what ``_store`` takes)."""
    return {
        "partnership_id": run.partnership_id,
        "run_id": run.pk,
        "school_id": school_id,
        "framework_version_id": run.framework_version_id,
        "academic_year": run.academic_year,
        "computed_category": category,
        "tib": tib,
        "reasons": reasons or [],
        "criteria_met": met or [],
        "missing": missing or [],
        "facts": facts,
        "attempt": run.attempt,
        "computed_at": now,
        "status": status,
    }


def engine_facts(facts: dict) -> dict:
    """The facts as the engine takes them: a missing value (None) is left out, so it counts as unknown
    rather than as a value; the engine derives what it can (e.g. no SM/SW category for grades 1-3)."""
    return {k: v for k, v in facts.items() if k != "urn" and v is not None}


def _self_assessed(framework_id: int, year: str) -> dict[int, str]:
    return dict(
        SelfAssessment.objects.filter(
            framework_id=framework_id, academic_year=year, status=SelfAssessment.Status.SUBMITTED
        ).values_list("school_id", "category")
    )


# ---- self-assessment and moderation ----------------------------------------------------------------

SELF_ASSESSMENT_FIELDS = ("status", "category", "evidence")


@dataclass(frozen=True)
class EvidenceItem:
    """One thing a self-assessment gives evidence on: a criterion of the framework, or an input of its decision
    table (a fact its rows read), each with its box's words and the categories it bears on."""

    key: str  # the criterion's id, or "fact:<name>" for a decision table's input
    label: str  # the box's label, in words: the criterion's label, or the fact's description
    legend: str  # the group it is shown under: its category, or the table's inputs
    heading: str  # how the submitted evidence is headed on the result page
    categories: frozenset[str]  # the category codes it leads to
    is_criterion: bool


TABLE_INPUTS = "What decides the category"


def self_assessment_items(version: FrameworkVersion) -> list[EvidenceItem]:
    """What a self-assessment gives evidence on, in the framework's order: each category's criteria, then, for a
    decision table, each fact its rows read (in the order the rows first read them), worded by its label."""
    from .templatetags.fact_words import fact_label

    definition = version.definition
    items = [
        EvidenceItem(
            key=crit["id"],
            label=crit["label"],
            legend=f"{cat['code']}: {cat['label']}" if cat.get("label") else cat["code"],
            heading=f"{cat['code']}: {crit['label']}",
            categories=frozenset([cat["code"]]),
            is_criterion=True,
        )
        for cat in definition["categories"]
        for crit in cat.get("criteria", [])
    ]
    if definition.get("method") == "decision_table":
        leads_to: dict[str, set[str]] = {}
        for row in definition.get("rows", []):
            for name in _facts_in_order(row["when"]):
                leads_to.setdefault(name, set()).add(row["category"])
        for name, codes in leads_to.items():
            label = fact_label(name)
            items.append(EvidenceItem(f"fact:{name}", label, TABLE_INPUTS, label, frozenset(codes), False))
    return items


def _facts_in_order(cond: dict) -> list[str]:
    """The facts a condition reads, each once, in the order it reads them."""
    if "fact" in cond:
        return [cond["fact"]]
    children = [cond["not"]] if "not" in cond else cond.get("all", cond.get("any", []))
    return list(dict.fromkeys(name for child in children for name in _facts_in_order(child)))


def self_assessment_missing(version: FrameworkVersion, *, category: str, evidence: dict) -> dict[str, str]:
    """What a submission still lacks, in words, keyed by what it is about: "category", or "evidence:<key>"
    (the criterion or table input whose box a reader is sent to). Empty when it can be submitted."""
    missing = {}
    if not category:
        missing["category"] = "Choose the category you think fits."
    if not evidence:
        items = self_assessment_items(version)
        own = [item for item in items if category in item.categories]
        criteria_only = all(item.is_criterion for item in items)
        if own:
            names = " or ".join(f"“{item.label}”" for item in own[:3])
            another = "another criterion" if criteria_only else "another"
            missing[f"evidence:{own[0].key}"] = (
                f"Give your evidence for {names}, or for {another} that applies to the school."
            )
        elif items:
            missing[f"evidence:{items[0].key}"] = (
                "Give your evidence for at least one criterion that applies to the school."
                if criteria_only
                else "Give your evidence for at least one of the things that decide the school's category."
            )
        else:
            missing["evidence"] = "Give your evidence for at least one criterion."
    return missing


def _self_assessment_checked(actor, result: Result, category: str, evidence) -> tuple[str, dict[str, str]]:
    """The permission and confirmation checks both saves share; returns the category and the evidence
    cleaned (stripped, empty boxes dropped), or refuses with what is wrong."""
    require(can_self_assess(actor, result.school))
    if result.status == Result.Status.CONFIRMED:
        raise ValidationError("The category is confirmed: the self-assessment can no longer be changed.")
    if Run.objects.filter(pk=result.run_id, confirm_status__in=CONFIRMING).exists():
        raise ValidationError("The LA is confirming the categories now: the self-assessment can no longer be changed.")
    version = result.framework_version
    category = (category or "").strip()
    codes = _categories(version)
    if category and category not in codes:
        raise ValidationError({"category": f"Choose one of {', '.join(codes)}."})
    asked = {item.key for item in self_assessment_items(version)}
    evidence = {k: v.strip() for k, v in (evidence or {}).items() if isinstance(v, str) and v.strip()}
    unknown = sorted(set(evidence) - asked)
    if unknown:
        raise ValidationError({"evidence": f"Unknown criteria: {', '.join(unknown)}."})
    return category, evidence


def _existing_assessment(result: Result) -> SelfAssessment | None:
    """The school's self-assessment for the result's year and framework, read under a lock on the school:
    of two first saves at once, the second waits here and then finds the first's, instead of inserting a
    second one that the one-per-school-year constraint refuses. The school, not the result, because the
    results of two runs of the same year share one self-assessment."""
    type(result.school).objects.select_for_update().filter(pk=result.school_id).values_list("pk", flat=True).first()
    return (
        SelfAssessment.objects.select_for_update()
        .filter(
            partnership=result.partnership,
            framework=result.framework_version.framework,
            school=result.school,
            academic_year=result.academic_year,
        )
        .first()
    )


@transaction.atomic
def self_assessment_save_draft(
    *, actor, result: Result, category: str = "", evidence: dict[str, str] | None = None
) -> SelfAssessment:
    """Keep the head's unfinished self-assessment to come back to. A draft may lack the category and
    evidence; it is seen only by the school's own people and counts nowhere as submitted. Once the
    self-assessment is submitted, a change is submitted again, not kept as a draft."""
    category, evidence = _self_assessment_checked(actor, result, category, evidence)
    existing = _existing_assessment(result)
    if existing is not None and existing.status == SelfAssessment.Status.SUBMITTED:
        raise ValidationError(
            "The self-assessment is already submitted: make your changes and submit it again to update it."
        )
    before = snapshot(existing, SELF_ASSESSMENT_FIELDS) if existing else None
    assessment = existing or SelfAssessment(
        partnership=result.partnership,
        framework=result.framework_version.framework,
        school=result.school,
        academic_year=result.academic_year,
    )
    assessment.status, assessment.category, assessment.evidence = SelfAssessment.Status.DRAFT, category, evidence
    assessment.saved_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        partnership=result.partnership,
        obj=assessment,
        action="categorisation.self_assess.draft",
        before=before,
        after=snapshot(assessment, SELF_ASSESSMENT_FIELDS),
    )
    return assessment


@transaction.atomic
def self_assessment_submit(*, actor, result: Result, category: str, evidence: dict[str, str]) -> SelfAssessment:
    """The head's own category for the school and year, with evidence per criterion (submitting a saved
    draft, or changing a submitted self-assessment). Flags the school's unconfirmed results under the same
    framework whose computed category differs."""
    school, version = result.school, result.framework_version
    category, evidence = _self_assessment_checked(actor, result, category, evidence)
    missing = self_assessment_missing(version, category=category, evidence=evidence)
    if missing:
        raise ValidationError({key.partition(":")[0]: message for key, message in missing.items()})
    existing = _existing_assessment(result)
    before = snapshot(existing, SELF_ASSESSMENT_FIELDS) if existing else None
    assessment = existing or SelfAssessment(
        partnership=result.partnership, framework=version.framework, school=school, academic_year=result.academic_year
    )
    assessment.status, assessment.category, assessment.evidence = SelfAssessment.Status.SUBMITTED, category, evidence
    now = timezone.now()
    assessment.submitted_by, assessment.submitted_at, assessment.saved_at = actor, now, now
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        partnership=result.partnership,
        obj=assessment,
        action="categorisation.self_assess",
        before=before,
        after=snapshot(assessment, SELF_ASSESSMENT_FIELDS),
    )
    open_results = Result.objects.for_partnership(result.partnership).filter(
        school=school,
        academic_year=result.academic_year,
        framework_version__framework=version.framework,
        status__in=[Result.Status.PROVISIONAL, Result.Status.FLAGGED],
    )
    changes = []
    for other in open_results.select_related("school"):
        status = Result.Status.FLAGGED if other.computed_category != category else Result.Status.PROVISIONAL
        if status != other.status:
            old = snapshot(other, RESULT_FIELDS)
            other.status = status
            other.save(update_fields=["status"])
            changes.append((other, old, snapshot(other, RESULT_FIELDS)))
    audit_record_many(
        actor=actor,
        partnership=result.partnership,
        action="categorisation.result.flag",
        changes=changes,
        reason=f"Self-assessed as {category}.",
    )
    return assessment


STALE_MODERATION = (
    "Another officer recorded a moderation of this result while you were writing yours: theirs is shown "
    "below. Nothing of yours was saved; record yours again if it still differs."
)


def moderation_seen(result: Result) -> str:
    """What the moderation form carries of the latest moderation it showed: its id, or "none"."""
    latest = ModerationNote.objects.filter(result=result).order_by("-pk").values_list("pk", flat=True).first()
    return str(latest) if latest else "none"


@transaction.atomic
def result_moderate(
    *, actor, result: Result, note: str, agreed_category: str, override_reason: str = "", seen: str = ""
) -> Result:
    """Record the discussion with the school and the agreed category; differing from the computed
    category is an override and needs a reason. With ``seen`` (``moderation_seen`` when the form was
    shown), a moderation recorded meanwhile by someone else refuses this one instead of overwriting it."""
    require(can_run_categorisation(actor_roles(actor, result.partnership)))
    result = (
        Result.objects.select_for_update(of=("self",))
        .select_related("school", "framework_version", "run")
        .get(pk=result.pk)
    )
    if result.status == Result.Status.CONFIRMED:
        raise ValidationError("This result is confirmed: it can no longer be moderated.")
    if result.run.status != Run.Status.DONE:
        raise ValidationError("The run has not finished: moderate once every school is categorised.")
    if result.run.is_confirming:
        raise ValidationError("The results are being confirmed now: they can no longer be moderated.")
    if seen and seen != moderation_seen(result):
        raise ValidationError(STALE_MODERATION, code="stale")
    errors = {}
    if not note.strip():
        errors["note"] = "Record what was discussed with the school."
    codes = _categories(result.framework_version)
    if agreed_category not in codes:
        errors["agreed_category"] = f"Choose one of {', '.join(codes)}."
    elif agreed_category != result.computed_category and not override_reason.strip():
        computed = result.computed_category or "no category"
        errors["override_reason"] = (
            f"The agreed category {agreed_category} overrides the computed one ({computed}): say why."
        )
    if errors:
        raise ValidationError(errors)
    before = snapshot(result, RESULT_FIELDS)
    moderation = ModerationNote(
        partnership=result.partnership,
        result=result,
        note=note.strip(),
        agreed_category=agreed_category,
        override_reason=override_reason.strip(),
        created_by=person(actor),
    )
    moderation.full_clean()
    moderation.save()
    result.final_category = agreed_category
    result.override_reason = override_reason.strip() if agreed_category != result.computed_category else ""
    result.status = Result.Status.AGREED
    result.save(update_fields=["final_category", "override_reason", "status"])
    audit_record(
        actor=actor,
        partnership=result.partnership,
        obj=result,
        action="categorisation.result.moderate",
        before=before,
        after=snapshot(result, RESULT_FIELDS),
        reason=note.strip(),
    )
    return result


def confirm_refusal(run: Run) -> str | None:
    """Why the run cannot be confirmed now, or None: it must be finished, not withdrawn, not confirmed or being
    confirmed, and no school may be flagged for discussion or have no category (each named, up to ten)."""
    if run.status == Run.Status.WITHDRAWN:
        return "This run was withdrawn: it cannot be confirmed."
    if run.status != Run.Status.DONE:
        return "The run has not finished: wait for it before confirming."
    if run.confirmed_at:
        return "These results are already confirmed."
    if run.is_confirming:
        who = run.confirm_requested_by
        name = (who.get_full_name() or who.username) if who else "another officer"
        when = timezone.localtime(run.confirm_requested_at) if run.confirm_requested_at else None
        return f"These results are already being confirmed: {name} confirmed them" + (
            f" at {when:%H:%M on %-d %B %Y}." if when else "."
        )
    open_results = Result.objects.filter(run=run).exclude(status=Result.Status.CONFIRMED)
    by_name = open_results.order_by("school__name")
    flagged = list(by_name.filter(status=Result.Status.FLAGGED).values_list("school__name", flat=True))
    undecided = list(
        open_results.exclude(status=Result.Status.FLAGGED)
        .filter(Q(final_category="") & (Q(computed_category__isnull=True) | Q(computed_category="")))
        .order_by("school__name")
        .values_list("school__name", flat=True)
    )
    problems = []
    if flagged:
        problems.append(
            f"{len(flagged)} flagged for discussion with the school: {', '.join(flagged[:10])}"
            + (" …" if len(flagged) > 10 else "")
        )
    if undecided:
        problems.append(
            f"{len(undecided)} with no category, for an officer to decide: {', '.join(undecided[:10])}"
            + (" …" if len(undecided) > 10 else "")
        )
    if problems:
        return "Moderate these schools before confirming: " + "; ".join(problems) + "."
    return None


CONFIRM_FIELDS = ("confirm_status", "confirm_total", "confirm_done", "confirm_note")


@transaction.atomic
def results_confirm(*, actor, run: Run, note: str = "") -> int:
    """An officer confirms a finished run: a conditional update claims it (of two officers confirming at once,
    one wins; the other is told who did), then a task fixes every final category, puts the schools of a
    register category on the concern register and writes and emails the letters (``confirmation``).
    Refused, with the reason, in the wrong state or while any school is flagged or has no category. A run
    whose confirming stopped is confirmed again from where it stopped. Returns how many results it confirms."""
    require(can_run_categorisation(actor_roles(actor, run.partnership)))
    run = Run.objects.select_for_update(of=("self",)).select_related("confirm_requested_by").get(pk=run.pk)
    refusal = confirm_refusal(run)
    if refusal:
        raise ValidationError(refusal, code="conflict")
    total = Result.objects.filter(run=run).count()
    note = (note or "").strip()
    before = snapshot(run, CONFIRM_FIELDS)
    now = timezone.now()
    claimed = (
        Run.objects.filter(pk=run.pk, status=Run.Status.DONE, confirmed_at__isnull=True)
        .filter(confirm_status__in=[Run.Confirming.NONE, Run.Confirming.FAILED])
        .update(
            confirm_status=Run.Confirming.QUEUED,
            confirm_requested_at=now,
            confirm_requested_by=person(actor),
            confirm_note=note,
            confirm_total=total,
            confirm_error="",
            confirm_done=Result.objects.filter(run=run, status=Result.Status.CONFIRMED).count(),
            confirm_heartbeat_at=now,  # a queued confirmation no worker picks up is reclaimed from this
        )
    )
    if not claimed:
        run.refresh_from_db()
        raise ValidationError(
            confirm_refusal(run) or "Another officer has just confirmed these results.", code="conflict"
        )
    run.refresh_from_db()
    audit_record(
        actor=actor,
        partnership=run.partnership,
        obj=run,
        action="categorisation.run.confirm_start",
        before=before,
        after=snapshot(run, CONFIRM_FIELDS),
        reason=note,
    )
    _queue_confirm(run)
    return total


def _queue_confirm(run: Run) -> None:
    from .tasks import run_confirm

    transaction.on_commit(lambda: run_confirm.delay(run.pk))


# ---- what-if --------------------------------------------------------------------------------------


def framework_whatif(
    *, partnership: Partnership, framework: Framework, draft: FrameworkVersion, academic_year: str
) -> dict:
    """Every school evaluated with the draft and with the current published version: the schools whose
    category would change, with the reasons under each. Reads only; a few queries whatever the size."""
    from .selectors import published_version

    validate_academic_year(academic_year)
    current = published_version(framework)
    facts = facts_for_partnership(partnership, academic_year)
    from schools.models import School

    names = dict(School.objects.for_partnership(partnership).values_list("pk", "name"))
    changes, same = [], 0
    drafted = Categoriser(draft.definition, validate=False)
    # Not the shared categorisers: a web process keeps no decisions between requests.
    published = Categoriser(current.definition, validate=False) if current else None
    for school_id, school_facts in facts.items():
        given = engine_facts(school_facts)
        after = _safe_evaluate(drafted, given)
        before = _safe_evaluate(published, given) if published else None
        if before is not None and before.category == after.category:
            same += 1
            continue
        changes.append(
            {
                "school_id": school_id,
                "urn": school_facts["urn"],
                "name": names[school_id],
                "before": before.category if before else None,
                "after": after.category,
                "before_reasons": before.reasons if before else [],
                "after_reasons": after.reasons,
            }
        )
    changes.sort(key=lambda c: c["name"])
    return {
        "current": current,
        "draft": draft,
        "year": academic_year,
        "changes": changes,
        "unchanged": same,
        "total": len(facts),
    }


def _safe_evaluate(categoriser: Categoriser, facts: dict):
    from .engine import Result as EngineResult

    try:
        return categoriser.evaluate(facts)
    except (FactsError, FrameworkError) as exc:
        return EngineResult(None, False, [f"the school's data could not be used: {exc}"], [])
