"""Writes for data sharing: the inputs of the sharing rules (memorandum answers, supports, strategic partner
grants, the sharing policy), and the guardian grants derived from them. The register is in register.py."""

import calendar
import logging
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from partnership.actors import actor_roles, person, system_actor
from partnership.audit import audit_record, audit_record_many, snapshot
from partnership.models import Partnership
from partnership.permissions import require
from partnership.roles import SCHOOL_ROLES, officers_only
from partnership.scoping import partnership_scope
from people.models import Membership
from sharing.models import (
    ConcernRegisterEntry,
    DataAccessLog,
    MemorandumStatus,
    SharingPolicy,
    StrategicPartnerGrant,
    SupportRelationship,
)

logger = logging.getLogger(__name__)

# ---- data sharing: the inputs of the sharing rules, and the guardian grants derived from them ----------

MEMORANDUM_FIELDS = (
    "school",
    "status",
    "signed_on",
    "governors_minute_ref",
    "signatory_name",
    "signatory_role",
    "data_controller",
    "data_controller_name",
    "data_controller_role",
    "note",
)
SUPPORT_FIELDS = ("supporter", "supported", "purpose", "starts_on", "ends_on", "ended_at", "end_reason")
GRANT_FIELDS = ("membership", "school", "access", "starts_on", "ends_on", "reason", "ended_at", "end_reason")
POLICY_FIELDS = ("version", *SharingPolicy.RULES)
RECOMPUTE_BATCH = 5000
DELETE_CHUNK = 900  # below SQLite's 999 variables per statement


def _require_sharing(actor, decision_for) -> None:
    """The rule, given the actor, must allow it: a person by their roles, system work by the system role."""
    require(decision_for(actor))


def _grants_follow(partnership: Partnership, *, school_ids=(), user_ids=()) -> None:
    """The guardian grants follow a change at once, in its transaction: for the schools and people it
    touches, so an ended support stops granting before the page that ended it answers."""
    sharing_recompute(partnership=partnership, school_ids=sorted(set(school_ids)), user_ids=sorted(set(user_ids)))


def memberships_changed_receiver(sender, *, partnership, user_ids, **kwargs) -> None:
    """A membership was added, changed or ended (people.signals): refresh that person's grants."""
    _grants_follow(partnership, user_ids=user_ids)


def schools_changed_receiver(sender, *, partnership, school_ids, **kwargs) -> None:
    """Schools were added or a cluster's members changed (schools.signals): refresh those schools' grants."""
    _grants_follow(partnership, school_ids=school_ids)


def _people_of(school) -> list[int]:
    return list(
        Membership.objects.for_partnership(school.partnership)
        .active()
        .filter(school=school, role__in=SCHOOL_ROLES)
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def memorandum_record(
    *,
    actor,
    school,
    status: str,
    signed_on=None,
    governors_minute_ref: str = "",
    data_controller=None,
    note: str = "",
    signatory_name: str = "",
    signatory_role: str = "",
    data_controller_name: str = "",
    data_controller_role: str = "",
) -> MemorandumStatus:
    """Record a school's answer to the memorandum; the previous answer is kept, marked superseded.

    The signatory and the data controller are named in words (name and role), whether or not they have an
    account; ``data_controller`` is the controller's account when they have one, which lets them manage
    the school's sharing."""
    from sharing.rules import can_manage_sharing

    partnership = school.partnership
    _require_sharing(actor, lambda a: can_manage_sharing(a, actor_roles(a, partnership), school))
    now = timezone.now()
    # Lock the school first: two first answers at once would both find no current one.
    type(school).objects.select_for_update().filter(pk=school.pk).values_list("pk", flat=True).first()
    current = (
        MemorandumStatus.objects.for_partnership(partnership)
        .select_for_update()
        .filter(school=school, superseded_at__isnull=True)
        .first()
    )
    if status == MemorandumStatus.Status.WITHDRAWN and (current is None or not current.is_signed):
        raise ValidationError({"status": "Only a school that signed can withdraw."})
    record = MemorandumStatus(
        partnership=partnership,
        school=school,
        status=status,
        signed_on=signed_on,
        governors_minute_ref=governors_minute_ref,
        data_controller=data_controller,
        signatory_name=signatory_name.strip(),
        signatory_role=signatory_role.strip(),
        data_controller_name=data_controller_name.strip(),
        data_controller_role=data_controller_role.strip(),
        note=note,
        recorded_by=person(actor),
        recorded_at=now,
    )
    record.full_clean(validate_constraints=False)
    if data_controller is not None and not data_controller.is_superuser:
        if not Membership.objects.for_partnership(partnership).active().filter(user=data_controller).exists():
            raise ValidationError({"data_controller": "The data controller must be a member of the partnership."})
    before = snapshot(current, MEMORANDUM_FIELDS) if current else None
    if current is not None:
        current.superseded_at = now
        current.save(update_fields=["superseded_at"])
    record.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=record,
        action="memorandum.record",
        before=before,
        after=snapshot(record, MEMORANDUM_FIELDS),
        reason=note,
    )
    _grants_follow(partnership, school_ids=[school.pk], user_ids=_people_of(school))
    return record


@transaction.atomic
def support_start(*, actor, supporter, supported, purpose: str, starts_on, ends_on=None) -> SupportRelationship:
    """School supporter supports school supported; granted by supported's headteacher or an LA officer (3.3)."""
    from sharing.rules import can_manage_sharing, current_sharing_policy

    partnership = supported.partnership
    _require_sharing(actor, lambda a: can_manage_sharing(a, actor_roles(a, partnership), supported))
    support = SupportRelationship(
        partnership=partnership,
        supporter=supporter,
        supported=supported,
        purpose=purpose,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=person(actor),
        granted_at=timezone.now(),
    )
    errors: dict = {}
    try:
        support.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    today = timezone.localdate()
    if ends_on and ends_on < today and "ends_on" not in errors:
        errors["ends_on"] = "The end date has passed: a new support ends today or later."
    if "supported" not in errors and "supporter" not in errors:
        policy = current_sharing_policy(partnership)
        answered = MemorandumStatus.objects.for_partnership(partnership).filter(
            school=supported, superseded_at__isnull=True
        )
        if not policy.support_to_undecided and policy.unrecorded_is_not_sharing and not answered.exists():
            errors["supported"] = (
                f"{supported} has not answered the memorandum, and under the partnership's sharing policy "
                f"({policy.label}) a support can be granted only to a school that has signed."
            )
        open_support = (
            SupportRelationship.objects.for_partnership(partnership)
            .filter(supporter=supporter, supported=supported, ended_at__isnull=True)
            .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today))
            .first()
        )
        if open_support is not None:
            errors["supporter"] = (
                f"{supporter} already supports {supported} (from {open_support.starts_on:%d/%m/%Y}): "
                "end that support before starting another."
            )
    if errors:
        raise ValidationError(errors)
    support.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=support,
        action="support.start",
        after=snapshot(support, SUPPORT_FIELDS),
        reason=purpose,
    )
    _grants_follow(partnership, school_ids=[supported.pk])
    return support


@transaction.atomic
def support_end(*, actor, support: SupportRelationship, reason: str) -> SupportRelationship:
    """End a support now: the supporter loses access to the supported school's data at once."""
    from sharing.rules import can_manage_sharing

    if not reason.strip():
        raise ValidationError({"reason": "Say why the support ends: it is kept in the audit trail."})
    partnership = support.partnership
    _require_sharing(actor, lambda a: can_manage_sharing(a, actor_roles(a, partnership), support.supported))
    now = timezone.now()
    claimed = SupportRelationship.objects.filter(pk=support.pk, ended_at__isnull=True).update(
        ended_at=now, ended_by=person(actor), end_reason=reason
    )
    if not claimed:
        raise ValidationError("This support has already ended.")
    before = snapshot(support, SUPPORT_FIELDS)
    support.refresh_from_db()
    today = timezone.localdate()
    if support.ends_on is None or support.ends_on > today:
        support.ends_on = max(today, support.starts_on)
        support.save(update_fields=["ends_on"])
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=support,
        action="support.end",
        before=before,
        after=snapshot(support, SUPPORT_FIELDS),
        reason=reason,
    )
    _grants_follow(partnership, school_ids=[support.supported_id])
    return support


@transaction.atomic
def partner_grant(
    *, actor, membership: Membership, schools, access: str, starts_on, reason: str, ends_on=None
) -> list[StrategicPartnerGrant]:
    """Let a strategic partner see schools (3.7). An open grant on the same school is replaced."""
    from sharing.rules import can_grant_partner_access

    partnership = membership.partnership
    _require_sharing(actor, lambda a: can_grant_partner_access(actor_roles(a, partnership)))
    now = timezone.now()
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": "Choose at least one school the partner may see."})
    if ends_on and ends_on < timezone.localdate():
        raise ValidationError({"ends_on": "The end date has passed: a new grant ends today or later."})
    replaced = list(
        StrategicPartnerGrant.objects.for_partnership(partnership)
        .select_for_update()
        .filter(membership=membership, school__in=schools, ended_at__isnull=True)
    )
    changes = []
    for old in replaced:
        before = snapshot(old, GRANT_FIELDS)
        old.ended_at, old.ended_by, old.end_reason = now, actor, "Replaced by a new grant."
        old.save(update_fields=["ended_at", "ended_by", "end_reason"])
        changes.append((old, before, snapshot(old, GRANT_FIELDS)))
    grants = []
    for school in schools:
        grant = StrategicPartnerGrant(
            partnership=partnership,
            membership=membership,
            school=school,
            access=access,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            granted_by=person(actor),
            granted_at=now,
        )
        grant.full_clean(validate_constraints=False)
        grants.append(grant)
    StrategicPartnerGrant.objects.bulk_create(grants)
    changes += [(grant, None, snapshot(grant, GRANT_FIELDS)) for grant in grants]
    audit_record_many(
        actor=actor, partnership=partnership, action="partner_grant.grant", changes=changes, reason=reason
    )
    _grants_follow(partnership, school_ids=[s.pk for s in schools])
    return grants


@transaction.atomic
def partner_grant_end(*, actor, grant: StrategicPartnerGrant, reason: str) -> StrategicPartnerGrant:
    from sharing.rules import can_grant_partner_access

    if not reason.strip():
        raise ValidationError({"reason": "Say why the grant ends: it is kept in the audit trail."})
    partnership = grant.partnership
    _require_sharing(actor, lambda a: can_grant_partner_access(actor_roles(a, partnership)))
    before = snapshot(grant, GRANT_FIELDS)
    claimed = StrategicPartnerGrant.objects.filter(pk=grant.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=person(actor), end_reason=reason
    )
    if not claimed:
        raise ValidationError("This grant has already ended.")
    grant.refresh_from_db()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=grant,
        action="partner_grant.end",
        before=before,
        after=snapshot(grant, GRANT_FIELDS),
        reason=reason,
    )
    _grants_follow(partnership, school_ids=[grant.school_id])
    return grant


@transaction.atomic
def sharing_policy_change(*, actor, partnership: Partnership, reason: str, **rules: bool) -> SharingPolicy:
    """Change the partnership's sharing policy: a new version (who, when, why) that applies at once.

    ``rules`` are fields of ``SharingPolicy.RULES``; a rule left out keeps its current value. The old
    versions stay as they were. A full recompute of the guardian grants is queued.
    """
    from sharing.rules import can_change_sharing_policy, current_sharing_policy

    _require_sharing(actor, lambda a: can_change_sharing_policy(actor_roles(a, partnership)))
    unknown = sorted(set(rules) - set(SharingPolicy.RULES))
    if unknown:
        raise ValidationError(f"Not rules of the sharing policy: {', '.join(unknown)}.")
    # Serialise changes for one partnership, so two officers never make the same version number.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).values_list("pk", flat=True).first()
    current = current_sharing_policy(partnership)
    policy = SharingPolicy(
        partnership=partnership,
        version=current.version + 1,
        **{**current.values(), **{name: bool(value) for name, value in rules.items()}},
        changed_by=person(actor),
        changed_at=timezone.now(),
        reason=reason,
    )
    policy.full_clean()
    if policy.values() == current.values():
        raise ValidationError(f"Nothing changed: the policy already says that ({current.label}).")
    policy.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=policy,
        action="sharing_policy.change",
        before=snapshot(current, POLICY_FIELDS),
        after=snapshot(policy, POLICY_FIELDS),
        reason=reason,
    )
    _grants_follow(partnership)  # no schools or people named: the whole partnership
    return policy


def sharing_recompute(
    *, partnership: Partnership, school_ids=None, user_ids=None, today=None, check: bool = False
) -> dict:
    """Make the guardian ``view_school_data`` rows equal to what the sharing rules say, with the rule and its
    sentence on each, and nothing else.

    Idempotent: it diffs the wanted (user, school) pairs against the rows there, adds the missing, deletes
    the extra and rewrites a changed reason. With school_ids or user_ids only the rows about those schools
    or people are touched (the rules are still read for the whole partnership: a fixed number of queries).
    Platform admins get no rows: a superuser sees every school. With ``check`` (the nightly full run) any
    difference is drift, rows that did not follow a change of the rules' inputs: it is logged and audited
    as such, and corrected.
    """
    from sharing.models import SchoolUserObjectPermission
    from sharing.rules import DATA_PERMISSION, explain_access, sharing_permission

    scoped = bool(school_ids) or bool(user_ids)
    school_set, user_set = set(school_ids or ()), set(user_ids or ())
    with transaction.atomic():
        # Serialise runs for one partnership, so two workers never insert the same rows at once.
        Partnership.objects.select_for_update().filter(pk=partnership.pk).values_list("pk", flat=True).first()
        permission = sharing_permission(DATA_PERMISSION)
        wanted = {
            key: (access.rule, access.sentence)
            for key, access in explain_access(partnership, full_only=True, today=today, include_admins=False).items()
            if access.is_full and (not scoped or key[1] in school_set or key[0] in user_set)
        }
        existing_rows = SchoolUserObjectPermission.objects.filter(
            permission=permission, content_object__partnership=partnership
        )
        if scoped:
            existing_rows = existing_rows.filter(
                models.Q(content_object_id__in=school_set) | models.Q(user_id__in=user_set)
            )
        existing = {
            (u, s): (pk, rule, sentence)
            for pk, u, s, rule, sentence in existing_rows.values_list(
                "pk", "user_id", "content_object_id", "rule", "sentence"
            )
        }
        missing = sorted(wanted.keys() - existing.keys())
        extra = sorted(row[0] for key, row in existing.items() if key not in wanted)
        reworded = [
            SchoolUserObjectPermission(pk=row[0], rule=wanted[key][0], sentence=wanted[key][1])
            for key, row in existing.items()
            if key in wanted and (row[1], row[2]) != wanted[key]
        ]
        SchoolUserObjectPermission.objects.bulk_create(
            [
                SchoolUserObjectPermission(
                    user_id=u,
                    content_object_id=s,
                    permission=permission,
                    rule=wanted[(u, s)][0],
                    sentence=wanted[(u, s)][1],
                )
                for u, s in missing
            ],
            batch_size=RECOMPUTE_BATCH,
            ignore_conflicts=True,
        )
        SchoolUserObjectPermission.objects.bulk_update(reworded, ["rule", "sentence"], batch_size=RECOMPUTE_BATCH)
        for start in range(0, len(extra), DELETE_CHUNK):
            SchoolUserObjectPermission.objects.filter(pk__in=extra[start : start + DELETE_CHUNK]).delete()
        result = {
            "added": len(missing),
            "removed": len(extra),
            "reworded": len(reworded),
            "kept": len(wanted) - len(missing) - len(reworded),
        }
        if missing or extra or reworded:
            if check:
                logger.warning("Sharing grants of %s drifted from the rules: %s", partnership.slug, result)
            audit_record(
                actor=system_actor(
                    "nightly check of the grants against the sharing rules"
                    if check
                    else "grants follow the sharing rules"
                ),
                partnership=partnership,
                obj=partnership,
                action="sharing.drift" if check else "sharing.recompute",
                after={**result, "schools": sorted(school_set), "users": sorted(user_set)},
                reason="The stored grants differed from the sharing rules and were corrected."
                if check
                else "Grants recomputed from the sharing rules.",
            )
    return result


def _ended_school_id(obj) -> int:
    return obj.supported_id if isinstance(obj, SupportRelationship) else obj.school_id


def supports_end_expired(*, today=None) -> dict[str, int]:
    """Beat job: close supports and partner grants whose end date has passed, then recompute each
    partnership in full (which also catches memberships that ended since the last run). Works through
    the partnerships one at a time, each within its own scope."""
    today = today or timezone.localdate()
    now = timezone.now()
    ended: dict[str, int] = {}
    for partnership in Partnership.objects.all():
        with partnership_scope(partnership):
            for model, action in ((SupportRelationship, "support.end"), (StrategicPartnerGrant, "partner_grant.end")):
                expired = list(model.objects.filter(ended_at__isnull=True, ends_on__lt=today))
                # The conditional update claims each row, so a second run (or a race) ends nothing twice.
                claimed = [
                    obj
                    for obj in expired
                    if model.objects.filter(pk=obj.pk, ended_at__isnull=True).update(
                        ended_at=now, end_reason="The end date passed."
                    )
                ]
                if claimed:
                    audit_record_many(
                        actor=system_actor("nightly end of supports and partner grants past their end date"),
                        partnership=partnership,
                        action=action,
                        changes=[(obj, {"ended_at": None}, {"ended_at": now}) for obj in claimed],
                        reason="The end date passed.",
                    )
                    ended[partnership.slug] = ended.get(partnership.slug, 0) + len(claimed)
                    sharing_recompute(
                        partnership=partnership, school_ids=[_ended_school_id(obj) for obj in claimed], today=today
                    )
            # Then every grant of the partnership against the rules: what differs now is drift.
            sharing_recompute(partnership=partnership, today=today, check=True)
    return ended


def _access_log_row(user, partnership_id: int, school_id: int, what: str, access, now) -> DataAccessLog:
    return DataAccessLog(
        partnership_id=partnership_id,
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "anonymous",
        school_id=school_id,
        what=what[:200],
        because=access.because[:300] if access is not None else "",
        created_at=now,
    )


def log_data_view(user, school, what: str, *, access=None) -> DataAccessLog:
    """Log one view of a school's protected data (who, what, when); the data controller reads it.

    Pages, the API and exports call it after deciding access with ``sharing.access_for``; pass that
    access to keep its reason with the row.
    """
    row = _access_log_row(user, school.partnership_id, school.pk, what, access, timezone.now())
    row.save()
    return row


def log_data_views(user, partnership: Partnership, accesses: dict, school_ids, what: str) -> int:
    """The bulk form of ``log_data_view`` for lists and exports: one row per school (each once) of
    ``school_ids`` that ``accesses`` (``sharing.accesses_for``) has at full, in one insert; nothing
    protected leaves for the others. Returns the number of rows written."""
    now = timezone.now()
    rows = [
        _access_log_row(user, partnership.pk, school_id, what, accesses[school_id], now)
        for school_id in dict.fromkeys(school_ids)
        if school_id in accesses and accesses[school_id].is_full
    ]
    DataAccessLog.objects.bulk_create(rows)
    return len(rows)


def _months_before(day, months: int):
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def sharing_retention_apply(*, actor, partnership: Partnership, dry_run: bool = True, today=None) -> dict[str, list]:
    """Remove the sharing records older than the partnership's retention period (DOMAIN: data sharing 9).

    Past ``data_retention_months``: data-access log rows; memorandum answers superseded before the
    cut-off (the current answer is always kept); supports and partner grants that ended before it;
    register entries removed before it. With ``dry_run`` nothing changes and the answer lists what
    would go. The audit trail itself is kept. Returns {kind: [descriptions]}.
    """
    require(officers_only(actor_roles(actor, partnership), "remove the partnership's old sharing records"))
    today = today or timezone.localdate()
    cutoff = _months_before(today, partnership.data_retention_months)
    cutoff_at = timezone.make_aware(datetime.combine(cutoff, time.min))
    querysets = {
        "access_log": DataAccessLog.objects.for_partnership(partnership).filter(created_at__lt=cutoff_at),
        "memorandum_answers": MemorandumStatus.objects.for_partnership(partnership).filter(superseded_at__lt=cutoff_at),
        "supports": SupportRelationship.objects.for_partnership(partnership).filter(ended_at__lt=cutoff_at),
        "partner_grants": StrategicPartnerGrant.objects.for_partnership(partnership).filter(ended_at__lt=cutoff_at),
        "register_entries": ConcernRegisterEntry.objects.for_partnership(partnership).filter(removed_on__lt=cutoff),
    }
    found = {kind: [str(obj) for obj in qs] for kind, qs in querysets.items()}
    if dry_run or not any(found.values()):
        return found
    with transaction.atomic():
        for qs in querysets.values():
            qs.delete()
        audit_record(
            actor=actor,
            partnership=partnership,
            obj=partnership,
            action="sharing.retention",
            after={kind: len(items) for kind, items in found.items()},
            reason=f"Older than the retention period of {partnership.data_retention_months} months (before {cutoff}).",
        )
    return found
