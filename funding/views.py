"""Funding's pages. So far: a bid as its A1 paper form and its impact report as A2, for whoever may see the
bid, and a cluster plan as A3, for the cluster's own roles, the board and the LA."""

from django.http import Http404, HttpResponse

from . import documents, plans, selectors
from .models import ClusterPlan


def _visible_bid(request, bid_uuid):
    bid = (
        selectors.bids_for(request.partnership, request.user, request.roles, request.memberships)
        .filter(uuid=bid_uuid)
        .first()
    )
    if bid is None:
        raise Http404("No such bid, or not one you may see.")
    return bid


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def bid_a1_pdf(request, partnership_slug, bid_uuid):
    bid = _visible_bid(request, bid_uuid)
    priority = selectors.priority_bids(
        [bid], partnership=request.partnership, roles=request.roles, memberships=request.memberships
    )
    return _pdf(documents.bid_pdf(bid, priority=bid.pk in priority), documents.bid_filename(bid))


def bid_a2_pdf(request, partnership_slug, bid_uuid):
    bid = _visible_bid(request, bid_uuid)
    if not bid.impact_reports.exists():
        raise Http404("This bid has no impact report yet: it is filed once the money has been devolved.")
    return _pdf(documents.impact_pdf(bid), documents.bid_filename(bid).replace("bid-a1-", "impact-a2-"))


def plan_a3_pdf(request, partnership_slug, plan_uuid):
    plan = (
        ClusterPlan.objects.for_partnership(request.partnership)
        .select_related("cluster")
        .filter(uuid=plan_uuid)
        .first()
    )
    if plan is None or not plans.can_read_plan(request.user, plan.cluster)[0]:
        raise Http404("No such cluster plan, or not one you may read.")
    return _pdf(documents.plan_pdf(plan), f"cluster-plan-a3-{plan.academic_year}-{plan.cluster.slug}.pdf")
