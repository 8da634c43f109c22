"""The LA's judgements of one school for one year, recorded by an officer on the school's judgements page:
the judgement facts categorisation reads (``schools.selectors.JUDGEMENT_FACTS``), stored in the year's
local data (``schools.models.LocalIndicator``) as the local-data import stores them."""

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnership.actors import actor_roles
from partnership.audit import audit_record, snapshot
from partnership.models import validate_academic_year
from partnership.permissions import require
from partnership.roles import Decision, officers_only
from schools.models import LocalIndicator, School

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
    return officers_only(roles, "record the partnership's judgements of its schools")


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
    require(can_record_judgements(actor_roles(actor, partnership)))
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
