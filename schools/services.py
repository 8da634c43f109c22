"""Writes for schools and clusters. Each takes a keyword-only actor and audits what it changes."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from partnership.actors import actor_roles, person, system_actor
from partnership.audit import audit_record, audit_record_many, snapshot
from partnership.models import Partnership
from partnership.permissions import require
from partnership.roles import Decision, officers_only

from .importers import IMPORTERS, run_import, summary_lines
from .models import SCHOOL_DATA_FIELDS, Cluster, ClusterMembership, ImportRun, School
from .signals import schools_changed

SCHOOL_FIELDS = ("urn", *SCHOOL_DATA_FIELDS)


def can_manage_schools(roles) -> Decision:
    return officers_only(roles, "add the partnership's schools and arrange its clusters")


def can_import(roles) -> Decision:
    return officers_only(roles, "import the partnership's data")


@transaction.atomic
def schools_create_many(*, actor, partnership: Partnership, schools: list[School], reason: str = "") -> list[School]:
    """Create many schools at once, validated first and audited in bulk; all or nothing."""
    require(can_manage_schools(actor_roles(actor, partnership)))
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
    schools_changed.send(sender=School, partnership=partnership, school_ids=[s.pk for s in created])
    return created


@transaction.atomic
def cluster_create(*, actor, partnership: Partnership, name: str, slug: str, reason: str = "") -> Cluster:
    require(can_manage_schools(actor_roles(actor, partnership)))
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
    require(can_manage_schools(actor_roles(actor, cluster.partnership)))
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
    schools_changed.send(sender=School, partnership=cluster.partnership, school_ids=[school.pk])
    return membership


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
    require(can_import(actor_roles(actor, partnership)))
    from .tasks import import_preview  # noqa: PLC0415 (tasks import services)

    if kind not in IMPORTERS:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."})
    run = ImportRun(
        partnership=partnership,
        kind=kind,
        filename=filename[:255],
        academic_year=academic_year,
        created_by=person(actor),
    )
    run.full_clean(exclude=["file"])
    run.file.save(filename, ContentFile(content), save=False)
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


def _who_imports(run: ImportRun, user):
    """The officer who made or confirmed the import; the command line when no officer did (import_data)."""
    return user or system_actor(f"import_data command: {run.kind} {run.filename}")


def import_run_preview(*, run_id: int) -> ImportRun | None:
    """Check the file and dry-run it; idempotent: only a run still being checked is worked on."""
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.PREVIEWING).select_related("partnership").first()
    if run is None:
        return None
    result = run_import(
        actor=_who_imports(run, run.created_by),
        partnership=run.partnership,
        kind=run.kind,
        data=run.read(),
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
    require(can_import(actor_roles(actor, run.partnership)))
    from .tasks import import_apply  # noqa: PLC0415

    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED).update(
        status=ImportRun.Status.QUEUED, applied_by=person(actor), progress=0
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
            actor=_who_imports(run, run.applied_by),
            partnership=run.partnership,
            kind=run.kind,
            data=run.read(),
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
                actor=_who_imports(run, run.applied_by),
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
    require(can_import(actor_roles(actor, partnership)))
    run = ImportRun(
        partnership=partnership,
        kind=kind,
        filename=filename[:255],
        academic_year=academic_year or "",
        status=ImportRun.Status.APPLIED,
        summary=result.summary,
        progress=100,
        created_by=person(actor),
        applied_by=person(actor),
        applied_at=timezone.now(),
    )
    run.file.save(filename, ContentFile(content), save=False)
    run.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=run,
        action="import.apply",
        after={"kind": kind, "file": filename, "summary": summary_lines(result.summary)},
        reason="import_data command",
    )
    return run
