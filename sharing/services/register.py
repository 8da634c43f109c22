"""Writes for the Schools Causing Concern register (Calderdale): entries, warning notices, and the entries a
confirmed categorisation adds. Who sees an entry is decided when it is read
(``partnership.sharing.register_entries_visible_to``)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.actors import actor_roles, person
from partnership.audit import audit_record, audit_record_many, snapshot
from partnership.models import Partnership
from sharing.models import ConcernRegisterEntry
from sharing.services.records import _grants_follow, _require_sharing

REGISTER_FIELDS = ("school", "reason_kind", "reason", "added_on", "removed_on", "warning_notice_issued_on")


@transaction.atomic
def register_add(*, actor, school, reason_kind: str, reason: str, added_on) -> ConcernRegisterEntry:
    """Put a school on the Schools Causing Concern register; a school is on it once per reason kind.

    Who sees an entry is decided per entry when it is read (``sharing.register_entries_visible_to``);
    the recompute queued here keeps the derived grants in step should a rule come to depend on it.
    """
    from sharing.rules import can_record_register

    partnership = school.partnership
    _require_sharing(actor, lambda a: can_record_register(actor_roles(a, partnership)))
    entry = ConcernRegisterEntry(
        partnership=partnership,
        school=school,
        reason_kind=reason_kind,
        reason=reason,
        added_on=added_on,
        added_by=person(actor),
    )
    entry.full_clean()
    # Lock the school: two adds at once for the same reason would both find none open.
    type(school).objects.select_for_update().filter(pk=school.pk).values_list("pk", flat=True).first()
    already = (
        ConcernRegisterEntry.objects.for_partnership(partnership)
        .filter(school=school, reason_kind=reason_kind, removed_on__isnull=True)
        .first()
    )
    if already is not None:
        raise ValidationError(
            {
                "school": f"{school} is already on the register for this reason (since {already.added_on:%d/%m/%Y}): "
                "record a warning notice against that entry instead."
            }
        )
    entry.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=entry,
        action="register.add",
        after=snapshot(entry, REGISTER_FIELDS),
        reason=reason,
    )
    _grants_follow(partnership, school_ids=[school.pk])
    return entry


@transaction.atomic
def register_from_categorisation(
    *, actor, partnership: Partnership, school_ids, reason: str, added_on
) -> list[ConcernRegisterEntry]:
    """A confirmed categorisation puts schools on the Schools Causing Concern register.

    Adds an entry (reason kind ``categorisation``: confidential to the LA and the school until a formal
    warning notice) for each school not already on the register (no open entry of any kind); a school
    already on it is left alone, so calling again with the same schools adds nothing. Every id must be a
    school of the partnership, or nothing is added. One audit row per entry; a recompute is queued for
    the schools added. ``actor`` None is the platform (a task); anyone else must keep the register.
    Returns the entries added.
    """
    from schools.models import School
    from sharing.rules import can_record_register

    _require_sharing(actor, lambda a: can_record_register(actor_roles(a, partnership)))
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the categorisation puts these schools on the register."})
    wanted = set(school_ids)
    # Serialise adds for one partnership, so two confirmations never add the same school twice.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).values_list("pk", flat=True).first()
    schools = {s.pk: s for s in School.objects.for_partnership(partnership).filter(pk__in=wanted)}
    unknown = sorted(wanted - schools.keys())
    if unknown:
        raise ValidationError({"school_ids": f"These ids are not schools of {partnership}: {unknown}."})
    on_register = set(
        ConcernRegisterEntry.objects.for_partnership(partnership)
        .filter(school_id__in=wanted, removed_on__isnull=True)
        .values_list("school_id", flat=True)
    )
    entries = [
        ConcernRegisterEntry(
            partnership=partnership,
            school=schools[pk],
            reason_kind=ConcernRegisterEntry.ReasonKind.CATEGORISATION,
            reason=reason,
            added_on=added_on,
            added_by=person(actor),
        )
        for pk in sorted(wanted - on_register)
    ]
    for entry in entries:
        # The foreign keys are the partnership's own (read above): skip their one-query-each checks.
        entry.full_clean(exclude=["partnership", "school", "added_by"])
    ConcernRegisterEntry.objects.bulk_create(entries)
    audit_record_many(
        actor=actor,
        partnership=partnership,
        action="register.add",
        changes=[(entry, None, snapshot(entry, REGISTER_FIELDS)) for entry in entries],
        reason=reason,
    )
    if entries:
        _grants_follow(partnership, school_ids=[entry.school_id for entry in entries])
    return entries


@transaction.atomic
def register_notice_record(*, actor, entry: ConcernRegisterEntry, issued_on, reason: str) -> ConcernRegisterEntry:
    """A formal warning notice was issued: a confidential entry stops being confidential.

    ``reason`` says which notice (s60 performance standards and safety, s60A pay and conditions) and
    its reference; it is kept in the audit trail.
    """
    from sharing.rules import can_record_register

    partnership = entry.partnership
    _require_sharing(actor, lambda a: can_record_register(actor_roles(a, partnership)))
    claimed = (
        ConcernRegisterEntry.objects.for_partnership(partnership)
        .select_for_update()
        .filter(pk=entry.pk, warning_notice_issued_on__isnull=True)
        .first()
    )
    if claimed is None:
        raise ValidationError("A warning notice is already recorded for this entry.")
    before = snapshot(claimed, REGISTER_FIELDS)
    entry.warning_notice_issued_on = issued_on
    errors: dict = {}
    try:
        entry.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if not (reason or "").strip():
        errors["reason"] = ["Say which notice was issued and its reference: it is kept in the audit trail."]
    if errors:
        entry.warning_notice_issued_on = None
        raise ValidationError(errors)
    entry.save(update_fields=["warning_notice_issued_on"])
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=entry,
        action="register.notice",
        before=before,
        after=snapshot(entry, REGISTER_FIELDS),
        reason=reason,
    )
    _grants_follow(partnership, school_ids=[entry.school_id])
    return entry
