"""Writes for schools and clusters. Each takes a keyword-only actor and audits what it changes."""

from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.audit import audit_record, audit_record_many, snapshot
from partnership.models import Partnership

from .models import Cluster, ClusterMembership, School

SCHOOL_FIELDS = (
    "urn", "name", "la_code", "phase", "school_type", "status", "age_low", "age_high",
    "pupils", "capacity", "fsm_pct", "trust_name", "postcode",
)


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
        actor=actor, partnership=partnership, action="school.create", reason=reason,
        changes=[(s, None, snapshot(s, SCHOOL_FIELDS)) for s in created],
    )
    return created


@transaction.atomic
def cluster_create(*, actor, partnership: Partnership, name: str, slug: str, reason: str = "") -> Cluster:
    cluster = Cluster(partnership=partnership, name=name, slug=slug)
    cluster.full_clean()
    cluster.save()
    audit_record(
        actor=actor, partnership=partnership, obj=cluster, action="cluster.create",
        after=snapshot(cluster, ("name", "slug")), reason=reason,
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
        actor=actor, partnership=cluster.partnership, obj=membership, action="cluster.add_school",
        after={"cluster": cluster.name, "school": school.name, "kind": kind}, reason=reason,
    )
    return membership
