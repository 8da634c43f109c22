"""Writes for schools and clusters. Each takes a keyword-only actor and audits what it changes."""

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.audit import audit_record, audit_record_many, snapshot
from partnership.models import Partnership, validate_academic_year
from partnership.roles import PLATFORM_ADMIN, Decision, Role
from partnership.services import actor_roles

from .importers import IMPORTERS, run_import, summary_lines
from .models import SCHOOL_DATA_FIELDS, Cluster, ClusterMembership, ImportRun, LocalIndicator, School

SCHOOL_FIELDS = ("urn", *SCHOOL_DATA_FIELDS)


@transaction.atomic
def schools_create_many(*, actor, partnership: Partnership, schools: list[School], reason: str = "") -> list[School]:
    """Create many schools at once, validated first and audited in bulk; all or nothing."""
    errors = []
    for index, school in enumerate(schools, start=1):
        school.partnership = partnership
        if school.la_code not in partnership.la_codes:
            errors.append(f"Row {index}: LA code {school.la_code} is not one of {partnership}'s.")
        try:
            # The partnership is set here, and URN clashes are checked in one query below.
            school.full_clean(exclude=["partnership"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.append(f"Row {index}: {'; '.join(exc.messages)}")
    urns = [s.urn for s in schools]
    if len(set(urns)) != len(urns):
        errors.append("The same URN appears twice.")
    clash = set(School.objects.for_partnership(partnership).filter(urn__in=urns).values_list("urn", flat=True))
    if clash:
        errors.append(f"These URNs already exist in {partnership}: {', '.join(sorted(clash))}.")
    if errors:
        raise ValidationError(errors)
    created = School.objects.bulk_create(schools)
    if not all(s.pk for s in created):  # SQLite before 3.35 does not return keys from bulk inserts
        by_urn = dict(School.objects.for_partnership(partnership).filter(urn__in=urns).values_list("urn", "pk"))
        for school in created:
            school.pk = by_urn[school.urn]
    audit_record_many(
        actor=actor,
        partnership=partnership,
        action="school.create",
        reason=reason,
        changes=[(s, None, snapshot(s, SCHOOL_FIELDS)) for s in created],
    )
    return created


@transaction.atomic
def cluster_create(*, actor, partnership: Partnership, name: str, slug: str, reason: str = "") -> Cluster:
    cluster = Cluster(partnership=partnership, name=name, slug=slug)
    cluster.full_clean()
    cluster.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=cluster,
        action="cluster.create",
        after=snapshot(cluster, ("name", "slug")),
        reason=reason,
    )
    return cluster


@transaction.atomic
def cluster_add_school(
    *, actor, cluster: Cluster, school: School, kind: str = ClusterMembership.Kind.FULL, reason: str = ""
) -> ClusterMembership:
    if school.partnership_id != cluster.partnership_id:
        raise ValidationError("The school and the cluster belong to different partnerships.")
    if kind == ClusterMembership.Kind.FULL:
        current = (
            ClusterMembership.objects.for_partnership(cluster.partnership)
            .filter(school=school, kind=ClusterMembership.Kind.FULL)
            .exclude(cluster=cluster)
            .select_related("cluster")
            .first()
        )
        if current:
            raise ValidationError(
                f"{school} is already a full member of {current.cluster}; a school is a full member of one cluster."
            )
    membership = ClusterMembership(partnership=cluster.partnership, cluster=cluster, school=school, kind=kind)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        partnership=cluster.partnership,
        obj=membership,
        action="cluster.add_school",
        after={"cluster": cluster.name, "school": school.name, "kind": kind},
        reason=reason,
    )
    return membership


# ---- the LA's judgements of one school ------------------------------------------------------------

JUDGEMENT_RECORDERS = frozenset({PLATFORM_ADMIN, Role.OFFICER})
# What an officer records for a school and a year: the judgement facts categorisation reads
# (schools.selectors.JUDGEMENT_FACTS) and the rest of the year's local data, as the CSV template has them.
JUDGEMENT_FIELDS = (
    "self_evaluation_grade",
    "sef_validated_grade",
    "self_evaluation_accurate",
    "judged_securely_good",
    "likely_next_ofsted_grade",
    "recent_s8_with_priorities",
    "teaching_quality",
    "leadership_governance",
    "behaviour_concern",
    "finance_concern",
    "outward_facing",
    "complaints",
)


def can_record_judgements(roles) -> Decision:
    if JUDGEMENT_RECORDERS & set(roles):
        return True, "LA officers record their partnership's judgements of its schools."
    return False, "Only an LA officer of this partnership can record its judgements of a school."


@dataclass(frozen=True)
class JudgementsRecorded:
    """What school_judgements_record did: the year's row (unsaved when there was nothing to record),
    whether it was new, and the fields whose values changed (none: nothing was written)."""

    indicator: LocalIndicator
    created: bool
    changed: tuple[str, ...]


def judgements_revision(indicator: LocalIndicator | None) -> str:
    """A short fingerprint of the judgements as they stand (none yet: the empty one), for a page to send
    back so that a save over judgements changed since it was opened is refused."""
    values = snapshot(indicator, JUDGEMENT_FIELDS) if indicator is not None and indicator.pk else {}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]


@transaction.atomic
def school_judgements_record(
    *, actor, school: School, academic_year: str, values: dict, reason: str = "", base_revision: str = ""
) -> JudgementsRecorded:
    """Record (create or change) the LA's judgements of one school for one academic year.

    ``values`` maps some of JUDGEMENT_FIELDS to the model's values (blank or None: not judged); a field
    left out keeps its value. The year's row is locked while it changes; a new row is made only when
    something is judged. Validated in full before it is saved, audited with the values before and after;
    all or nothing. An unchanged answer writes nothing.
    """
    partnership = school.partnership
    allowed, why = can_record_judgements(actor_roles(actor, partnership))
    if not allowed:
        raise PermissionDenied(why)
    try:
        validate_academic_year(academic_year)
    except ValidationError as exc:
        raise ValidationError({"academic_year": exc.messages}) from exc
    unknown = sorted(set(values) - set(JUDGEMENT_FIELDS))
    if unknown:
        raise ValidationError(f"These are not judgements an officer records: {', '.join(unknown)}.")
    indicator = (
        LocalIndicator.objects.for_partnership(partnership)
        .select_for_update()
        .filter(school=school, academic_year=academic_year)
        .first()
    )
    if base_revision and base_revision != judgements_revision(indicator):
        raise ValidationError(
            f"{school.name}'s judgements for {academic_year} have changed since you opened this page (someone "
            "else saved, or an import ran): nothing was saved. Check them as they are now and answer again.",
            code="stale",
        )
    created = indicator is None
    if created:
        indicator = LocalIndicator(partnership=partnership, school=school, academic_year=academic_year)
    before = snapshot(indicator, JUDGEMENT_FIELDS)
    for name, value in values.items():
        setattr(indicator, name, value)
    after = snapshot(indicator, JUDGEMENT_FIELDS)
    changed = tuple(name for name in JUDGEMENT_FIELDS if before[name] != after[name])
    if not changed:
        return JudgementsRecorded(indicator=indicator, created=False, changed=())
    indicator.full_clean()
    try:
        with transaction.atomic():  # a savepoint: a clash below leaves the outer transaction usable
            indicator.save()
    except IntegrityError as exc:  # another officer (or an import) made the year's row in the meantime
        raise ValidationError(
            f"{school.name}'s judgements for {academic_year} were recorded by someone else at the same moment: "
            "nothing was saved. Open the page again to see them."
        ) from exc
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=indicator,
        action="local.create" if created else "local.update",
        before=None if created else before,
        after=after,
        reason=reason,
    )
    return JudgementsRecorded(indicator=indicator, created=created, changed=changed)


# ---- imports -----------------------------------------------------------------------------------


def _progress_updater(run_id: int):
    def update(percent: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(progress=percent)

    return update


@transaction.atomic
def import_run_create(
    *, actor, partnership: Partnership, kind: str, filename: str, content: bytes, academic_year: str = ""
) -> ImportRun:
    """Keep an uploaded file and queue its preview: a dry run that reports what would change."""
    from .tasks import import_preview  # noqa: PLC0415 (tasks import services)

    if kind not in IMPORTERS:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."})
    run = ImportRun(
        partnership=partnership,
        kind=kind,
        filename=filename[:255],
        content=content,
        academic_year=academic_year,
        created_by=actor if actor and actor.pk else None,
    )
    run.full_clean(exclude=["content"])
    run.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=run,
        action="import.upload",
        after={"kind": kind, "file": filename, "year": academic_year, "bytes": len(content)},
    )
    transaction.on_commit(lambda: import_preview.delay(run.pk))
    return run


def import_run_preview(*, run_id: int) -> ImportRun | None:
    """Check the file and dry-run it; idempotent: only a run still being checked is worked on."""
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.PREVIEWING).select_related("partnership").first()
    if run is None:
        return None
    result = run_import(
        actor=run.created_by,
        partnership=run.partnership,
        kind=run.kind,
        data=bytes(run.content),
        filename=run.filename,
        year=run.academic_year or None,
        dry_run=True,
        progress=_progress_updater(run.pk),
    )
    run.status = ImportRun.Status.PREVIEWED if result.ok else ImportRun.Status.REJECTED
    run.summary = result.summary | {"more_errors": result.more_errors}
    run.errors = result.error_dicts()
    run.progress = 100
    run.save(update_fields=["status", "summary", "errors", "progress"])
    return run


@transaction.atomic
def import_run_confirm(*, actor, run: ImportRun) -> ImportRun:
    """An officer confirms a previewed import: queue it to be applied."""
    from .tasks import import_apply  # noqa: PLC0415

    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED).update(
        status=ImportRun.Status.QUEUED, applied_by=actor, progress=0
    )
    if not claimed:
        raise ValidationError("Only a checked import with no errors can be applied, and only once.")
    run.refresh_from_db(fields=["status", "applied_by", "progress"])
    audit_record(
        actor=actor,
        partnership=run.partnership,
        obj=run,
        action="import.confirm",
        after={"kind": run.kind, "file": run.filename},
    )
    transaction.on_commit(lambda: import_apply.delay(run.pk))
    return run


def import_run_apply(*, run_id: int) -> ImportRun | None:
    """Apply a confirmed import; idempotent: a conditional update claims the run, so it runs once."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.APPLYING
    )
    if not claimed:
        return None
    run = ImportRun.objects.select_related("partnership", "applied_by").get(pk=run_id)
    try:
        result = run_import(
            actor=run.applied_by,
            partnership=run.partnership,
            kind=run.kind,
            data=bytes(run.content),
            filename=run.filename,
            year=run.academic_year or None,
            progress=_progress_updater(run.pk),
        )
    except Exception:
        ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.FAILED)
        raise
    with transaction.atomic():
        run.status = ImportRun.Status.APPLIED if result.ok else ImportRun.Status.FAILED
        run.summary = result.summary | {"more_errors": result.more_errors}
        run.errors = result.error_dicts()
        run.progress = 100
        run.applied_at = timezone.now()
        run.save(update_fields=["status", "summary", "errors", "progress", "applied_at"])
        if result.ok:
            audit_record(
                actor=run.applied_by,
                partnership=run.partnership,
                obj=run,
                action="import.apply",
                after={"kind": run.kind, "file": run.filename, "summary": summary_lines(result.summary)},
            )
    return run


def import_record_command_run(
    *, actor, partnership: Partnership, kind: str, filename: str, content: bytes, academic_year: str, result
) -> ImportRun:
    """Record an import made with the import_data command, so every import shows who made it."""
    run = ImportRun.objects.create(
        partnership=partnership,
        kind=kind,
        filename=filename[:255],
        content=content,
        academic_year=academic_year or "",
        status=ImportRun.Status.APPLIED,
        summary=result.summary,
        progress=100,
        created_by=actor,
        applied_by=actor,
        applied_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=run,
        action="import.apply",
        after={"kind": kind, "file": filename, "summary": summary_lines(result.summary)},
        reason="import_data command",
    )
    return run
