"""Reads for the sharing pages, and the partnership's sharing policy (current and past versions)."""

from django.db.models import Q

from partnership.models import Partnership
from sharing.models import MemorandumStatus, SharingPolicy, StrategicPartnerGrant, SupportRelationship


def current_sharing_policy(partnership: Partnership) -> SharingPolicy:
    """The policy that applies now: the latest version, or the defaults when the partnership never changed it."""
    latest = SharingPolicy.objects.for_partnership(partnership).order_by("-version").first()
    return latest or SharingPolicy.defaults(partnership)


def sharing_policy_history(partnership: Partnership) -> list[SharingPolicy]:
    """Every version, newest first; old versions stay readable."""
    return list(SharingPolicy.objects.for_partnership(partnership).select_related("changed_by").order_by("-version"))


def memorandum_history(school) -> list[MemorandumStatus]:
    return list(
        MemorandumStatus.objects.for_partnership(school.partnership)
        .filter(school=school)
        .select_related("data_controller", "recorded_by")
    )


def supports_of_school(school) -> list[SupportRelationship]:
    return list(
        SupportRelationship.objects.for_partnership(school.partnership)
        .filter(Q(supporter=school) | Q(supported=school))
        .select_related("supporter", "supported", "granted_by")
    )


def partner_grants_of_school(school) -> list[StrategicPartnerGrant]:
    return list(
        StrategicPartnerGrant.objects.for_partnership(school.partnership)
        .filter(school=school)
        .select_related("membership__user", "granted_by")
        .order_by("ended_at", "-granted_at")
    )


def access_log_for_school(school, *, limit: int = 200):
    from sharing.models import DataAccessLog

    return list(DataAccessLog.objects.for_partnership(school.partnership).filter(school=school)[:limit])
