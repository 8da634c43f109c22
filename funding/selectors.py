"""Reads of funding data for pages and the API: which bids a person may see, and each fund's figures."""

from django.db.models import Q, QuerySet

from partnership.roles import CLUSTER_ROLES, SCHOOL_ROLES, Role, is_la
from schools.standing import confirmed_categories

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


def memberships_of(actor, partnership) -> list:
    """The actor's active memberships of the partnership: none for system work or someone signed out."""
    from people.selectors import memberships_for_user

    return memberships_for_user(actor, partnership) if getattr(actor, "is_authenticated", False) else []


def funds_of(partnership) -> QuerySet[Fund]:
    return Fund.objects.for_partnership(partnership)


def rate_card(partnership) -> QuerySet[RateCardRow]:
    return RateCardRow.objects.for_partnership(partnership).order_by("staff_category", "unit", "-valid_from")


def priority_bids(bids, *, partnership, roles, memberships) -> set[int]:
    """The ids of the bids that are priority: from a school (or a group with a school) whose latest confirmed
    category, as this person may be shown it, is one the partnership's funding rules call a priority
    (Calderdale: RED and AMBER). A category held back from the person counts as none, so the mark never
    reveals it. A few queries, whatever the number of bids."""
    from .services import policy_of

    priority = set(policy_of(partnership).priority_categories or ())
    bids = list(bids)
    if not priority or not bids:
        return set()
    schools_of = {bid.pk: {bid.school_id} if bid.school_id else set() for bid in bids}
    for bid_id, school_id in Bid.schools.through.objects.filter(bid_id__in=list(schools_of)).values_list(
        "bid_id", "school_id"
    ):
        schools_of[bid_id].add(school_id)
    own = frozenset(m.school_id for m in memberships if m.role in SCHOOL_ROLES and m.school_id)
    categories = confirmed_categories(partnership, set().union(*schools_of.values()), to_officer=is_la(roles), own=own)
    return {bid_id for bid_id, schools in schools_of.items() if any(categories.get(s) in priority for s in schools)}
