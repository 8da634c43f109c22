"""Reads of funding data for pages and the API: which bids a person may see, and each fund's figures."""

from django.db.models import Q, QuerySet

from partnership.roles import CLUSTER_ROLES, SCHOOL_ROLES, Role, is_la

from .models import Bid, Fund, RateCardRow


def bids_for(partnership, user, roles, memberships) -> QuerySet[Bid]:
    """The bids the person may see: the LA and the board every bid; cluster roles their cluster's; a
    headteacher or governor their school's; anyone the bids they wrote. Strategic partners see none."""
    bids = Bid.objects.for_partnership(partnership).select_related("fund", "school", "cluster", "author")
    if is_la(roles) or Role.BOARD in roles:
        return bids
    clusters = {m.cluster_id for m in memberships if m.role in CLUSTER_ROLES and m.cluster_id}
    schools = {m.school_id for m in memberships if m.role in SCHOOL_ROLES and m.school_id}
    return bids.filter(
        Q(cluster_id__in=clusters) | Q(school_id__in=schools) | Q(schools__in=schools) | Q(author=user)
    ).distinct()


def funds_of(partnership) -> QuerySet[Fund]:
    return Fund.objects.for_partnership(partnership)


def rate_card(partnership) -> QuerySet[RateCardRow]:
    return RateCardRow.objects.for_partnership(partnership).order_by("staff_category", "unit", "-valid_from")
