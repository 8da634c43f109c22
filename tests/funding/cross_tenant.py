"""Cross-tenant entries for the funding app's API: url name -> kwargs built from partnership A's objects (see
tests/test_cross_tenant.py). Every funding URL must be listed here."""

from decimal import Decimal


def a_fund(world):
    from funding.models import Fund

    fund, _ = Fund.objects.get_or_create(
        partnership=world.a.partnership,
        name="School improvement fund",
        academic_year="2022-23",
        defaults={"financial_year": "2022-23", "budget": Decimal("1000.00")},
    )
    return fund


def a_bid(world):
    from funding.models import Bid, BidLine

    fund = a_fund(world)
    bid = Bid.objects.filter(fund=fund).first()
    if bid is None:
        bid = Bid.objects.create(
            partnership=world.a.partnership,
            fund=fund,
            school=world.a.school,
            cluster=world.a.cluster,
            author=world.a.users["head"],
            title="A's bid",
        )
        BidLine.objects.create(partnership=world.a.partnership, bid=bid, area="literacy", requested=Decimal("100"))
    return bid


def a_plan(world):
    from funding.models import ClusterPlan

    plan, _ = ClusterPlan.objects.get_or_create(
        partnership=world.a.partnership,
        cluster=world.a.cluster,
        academic_year="2022-23",
        defaults={"priorities": [{"priority": "Reading"}]},
    )
    return plan


FUNDING_URLS = {
    "api_fund_list": lambda w: {},
    "api_fund_allocations": lambda w: {"fund_id": a_fund(w).uuid},
    "api_rate_card": lambda w: {},
    "api_bid_list": lambda w: {},
    "api_bid_detail": lambda w: {"bid_id": a_bid(w).uuid},
    "api_bid_action": lambda w: {"bid_id": a_bid(w).uuid, "action": "submit"},
    "funding_bid_a1_pdf": lambda w: {"bid_uuid": a_bid(w).uuid},
    "funding_bid_a2_pdf": lambda w: {"bid_uuid": a_bid(w).uuid},
    "funding_plan_a3_pdf": lambda w: {"plan_uuid": a_plan(w).uuid},
}
