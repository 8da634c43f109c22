"""A bid's path through funding/workflow.py's table by ``bid_transition``: every action by every role
(allowed and refused, with the reason), separation of duties, procurement either side of each limit, the
period, and money to the penny: nothing approved above what was asked or what the fund has left."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from funding import money, services
from funding.models import Bid, BidMoney
from funding.workflow import BY_ACTION, STATES, TRANSITIONS
from partnership.models import AuditEvent
from partnership.roles import Role
from tests.factories import MembershipFactory, UserFactory

from .conftest import full_bid

pytestmark = pytest.mark.django_db


def impact(actual="100.00", **strategy):
    """An impact report (A2) with one strategy."""
    return {
        "final_summary": "Phonics outcomes rose to the LA average.",
        "strategies": [
            {
                "strategy": "Phonics training",
                "timescale": "Autumn term",
                "impact": "Screening up 12 points",
                "planned": "100.00",
                "actual": actual,
                **strategy,
            }
        ],
    }


def act(world, role, bid, action, **kwargs):
    kwargs.setdefault("reason", f"{action} by the {role}")
    if action == "report_impact":
        kwargs.setdefault("report", impact())
    return services.bid_transition(actor=world.a.users[role], bid=bid, action=action, **kwargs)


def lines_of(bid):
    return {line.get_area_display(): line for line in bid.lines.all()}


def test_a_bid_walks_from_draft_to_closed_and_the_fund_moves_by_exactly_the_approved_amount(
    world, fund, draft, django_capture_on_commit_callbacks
):
    assert money.fund_figures(fund).available == Decimal("100000.00")
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "head", draft, "submit")
    assert mail.outbox[-1].to == [world.a.users["clusterlead"].email]
    act(world, "clusterlead", draft, "endorse")
    literacy = lines_of(draft)["Quality of teaching: literacy"]
    senior = lines_of(draft)["Leadership and management: senior leadership"]
    with django_capture_on_commit_callbacks(execute=True):
        bid = act(
            world,
            "board",
            draft,
            "part_approve",
            amounts={literacy.uuid: "1999.99", senior.uuid: "0"},
            terms=1,
            conditions="Report at the spring board.",
            meeting_date=date(2022, 11, 10),
        )
    assert mail.outbox[-1].to == [world.a.users["head"].email]
    assert (bid.state, bid.decided_terms, bid.meeting_date) == ("part_approved", 1, date(2022, 11, 10))
    figures = money.fund_figures(fund)
    assert (figures.committed, figures.available) == (Decimal("1999.99"), Decimal("98000.01"))
    act(world, "officer", bid, "devolve")
    figures = money.fund_figures(fund)
    assert (figures.committed, figures.devolved, figures.available) == (0, Decimal("1999.99"), Decimal("98000.01"))
    act(world, "head", bid, "report_impact", report=impact(actual="1900.00"))
    assert money.fund_figures(fund).spent == Decimal("1900.00")
    bid = act(world, "officer", bid, "close")
    assert bid.state == "closed" and bid.minimum_impact_met is True
    actions = list(
        AuditEvent.objects.filter(object_id=str(bid.pk), action__startswith="funding.bid.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        f"funding.bid.{a}" for a in ("create", "submit", "endorse", "part_approve", "devolve", "report_impact", "close")
    ]


def test_minimum_impact_not_met_leads_to_a_repayment_repaid_back_into_the_fund(world, fund, draft):
    act(world, "head", draft, "submit")
    act(world, "clusterlead", draft, "endorse")
    with pytest.raises(ValidationError, match="The bid asked for 1 term: "):
        act(world, "board", draft, "approve", terms=2)
    bid = act(world, "board", draft, "approve")
    assert money.fund_figures(fund).committed == Decimal("3500.00")
    act(world, "officer", bid, "devolve")
    act(world, "head", bid, "report_impact")
    bid = act(world, "officer", bid, "hold_meeting")
    assert bid.minimum_impact_met is False
    act(world, "officer", bid, "request_repayment", amount="500.00")
    assert money.fund_figures(fund).repayable == Decimal("500.00")
    bid = act(world, "officer", bid, "record_repaid")
    figures = money.fund_figures(fund)
    assert (bid.state, figures.repayable, figures.repaid) == ("repaid", 0, Decimal("500.00"))
    assert figures.available == Decimal("100000.00") - Decimal("3500.00") + Decimal("500.00")


def test_a_repayment_can_be_written_off(world, fund, draft):
    for role, action in (
        ("head", "submit"),
        ("clusterlead", "endorse"),
        ("board", "approve"),
        ("officer", "devolve"),
        ("head", "report_impact"),
        ("officer", "hold_meeting"),
        ("officer", "request_repayment"),
    ):
        draft = act(world, role, draft, action)
    bid = act(world, "officer", draft, "write_off")
    figures = money.fund_figures(fund)
    assert (bid.state, figures.repayable, figures.written_off) == ("written_off", 0, Decimal("3500.00"))


# Where each action starts from, and the path that reaches it.
PATH = ["submit", "endorse", "approve", "devolve", "report_impact", "hold_meeting", "request_repayment"]
WHO = {
    "submit": "head",
    "endorse": "clusterlead",
    "approve": "board",
    "devolve": "officer",
    "report_impact": "head",
    "hold_meeting": "officer",
    "request_repayment": "officer",
}


def bid_in(world, fund, state):
    bid = services.bid_create(
        actor=world.a.users["head"],
        fund=fund,
        title=f"Bid {state}",
        school=world.a.school,
        lines=[{"area": "literacy", "requested": "100.00"}],
        **full_bid(),
    )
    for action in PATH:
        if bid.state == state:
            return bid
        if state == "returned" and bid.state == "submitted":
            return act(world, "clusterlead", bid, "return")
        bid = act(world, WHO[action], bid, action)
    assert bid.state == state
    return bid


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_every_action_by_every_role(world, fund, transition):
    state = transition.sources[0]
    allowed = set(transition.roles)
    for role in Role.values:
        bid = bid_in(world, fund, state)
        kwargs = (
            {"amounts": {line.uuid: "50.00" for line in bid.lines.all()}} if transition.action == "part_approve" else {}
        )
        if role in allowed and (transition.scope != "author" or role == "head" or role == "officer"):
            moved = act(world, role, bid, transition.action, **kwargs)
            assert moved.state == transition.target, (role, transition.action)
        else:
            with pytest.raises(PermissionDenied) as refused:
                act(world, role, bid, transition.action, **kwargs)
            assert str(refused.value), (role, transition.action)
            assert Bid.objects.get(pk=bid.pk).state == state


def test_an_action_from_the_wrong_state_says_what_the_bid_is(world, fund, draft):
    with pytest.raises(
        PermissionDenied,
        match="The bid is draft: 'Endorse it for the board' is for a bid that is "
        "submitted, waiting for the cluster lead.",
    ):
        act(world, "clusterlead", draft, "endorse")
    with pytest.raises(ValidationError, match="is not something one does to a bid"):
        act(world, "officer", draft, "pay_twice")
    assert set(BY_ACTION) and all(t.target in STATES for t in TRANSITIONS)


def test_a_reason_is_needed_where_the_table_says(world, fund, draft):
    act(world, "head", draft, "submit")
    with pytest.raises(ValidationError, match="Give a reason to endorse it for the board."):
        act(world, "clusterlead", draft, "endorse", reason=" ")


def test_nobody_endorses_or_decides_their_own_bid_or_their_own_schools(world, fund):
    a = world.a
    # The cluster lead is also the headteacher of the other school, and writes a bid for it.
    MembershipFactory(partnership=a.partnership, user=a.users["clusterlead"], role=Role.HEAD, school=a.other_school)
    own = services.bid_create(
        actor=a.users["clusterlead"],
        fund=fund,
        title="Own school",
        school=a.other_school,
        lines=[{"area": "literacy", "requested": "100.00"}],
        **full_bid(),
    )
    act(world, "clusterlead", own, "submit")
    with pytest.raises(PermissionDenied, match="You wrote this bid"):
        act(world, "clusterlead", own, "endorse")
    # A board member who governs the school does not decide its bid.
    other_board = UserFactory(username="board.two")
    MembershipFactory(partnership=a.partnership, user=other_board, role=Role.BOARD)
    governor_board = a.users["board"]
    MembershipFactory(partnership=a.partnership, user=governor_board, role=Role.GOVERNOR, school=a.school)
    bid = bid_in(world, fund, "endorsed")
    with pytest.raises(PermissionDenied, match="The bid is for your own school"):
        act(world, "board", bid, "approve")
    services.bid_transition(actor=other_board, bid=bid, action="approve", reason="Fits the priorities.")


def test_a_board_member_who_declared_an_interest_does_not_decide(world, fund):
    bid = bid_in(world, fund, "endorsed")
    services.conflict_declare(actor=world.a.users["board"], bid=bid, reason="My partner works at the provider.")
    with pytest.raises(PermissionDenied, match="You declared an interest in this bid"):
        act(world, "board", bid, "approve")
    with pytest.raises(PermissionDenied, match="Only a board member declares"):
        services.conflict_declare(actor=world.a.users["head"], bid=bid, reason="x")


def test_part_approval_is_never_above_what_a_line_asked(world, fund, draft):
    bid = bid_in(world, fund, "endorsed")
    [line] = bid.lines.all()
    with pytest.raises(ValidationError, match=r"asked for £100.00: the amount approved \(£100.01\) cannot be more"):
        act(world, "board", bid, "part_approve", amounts={line.uuid: "100.01"})
    with pytest.raises(ValidationError, match="Give the amount approved for"):
        act(world, "board", bid, "part_approve", amounts={})
    with pytest.raises(ValidationError, match="not an amount in pounds and pence"):
        act(world, "board", bid, "part_approve", amounts={line.uuid: "10.001"})
    assert Bid.objects.get(pk=bid.pk).state == "endorsed"
    assert bid.lines.get().approved is None


def test_an_approval_that_would_overcommit_the_fund_says_how_much_is_left(world, fund):
    fund.budget = Decimal("150.00")
    fund.save()
    first = bid_in(world, fund, "endorsed")
    second = bid_in(world, fund, "endorsed")
    act(world, "board", first, "approve")
    with pytest.raises(ValidationError, match=r"Approving £100.00 would overcommit .*: £50.00 is left."):
        act(world, "board", second, "approve")
    act(world, "board", second, "part_approve", amounts={second.lines.get().uuid: "50.00"})
    assert money.fund_figures(fund).available == 0


def test_devolving_is_never_more_than_approved(world, fund):
    bid = bid_in(world, fund, "approved")
    with pytest.raises(ValidationError, match=r"£100.00 approved and not yet devolved: devolve up to that"):
        act(world, "officer", bid, "devolve", amount="100.01")
    act(world, "officer", bid, "devolve", amount="100.00")
    assert BidMoney.objects.get(bid=bid).amount == Decimal("100.00")


@pytest.mark.parametrize(
    "requested, quotes, words, problem",
    [
        ("9999.99", 0, "", "give a written reason"),
        ("10000.00", 0, "", "give a written reason"),
        ("10000.01", 0, "", "get 4 written quotes or record in writing why not (0 received)"),
        ("10000.01", 4, "", None),
        ("10000.01", 2, "Only two providers offer it.", None),
        ("60000.00", 3, "", "get 4 written quotes"),
        ("60000.01", 4, "", "out of scope"),
    ],
)
def test_procurement_rules_either_side_of_each_limit(world, fund, requested, quotes, words, problem):
    bid = services.bid_create(
        actor=world.a.users["head"],
        fund=fund,
        title="Big",
        school=world.a.school,
        lines=[{"area": "other", "requested": requested}],
        **full_bid(procurement_reason="", quotes_received=quotes, quotes_missing_reason=words),
    )
    if problem is None:
        assert act(world, "head", bid, "submit").state == "submitted"
    else:
        with pytest.raises(ValidationError, match=re.escape(problem)):
            act(world, "head", bid, "submit")


def test_more_than_three_terms_and_an_unexplained_provider_order_are_refused(world, fund):
    with pytest.raises(ValidationError, match="A bid is for one, two or three terms."):
        services.bid_create(
            actor=world.a.users["head"],
            fund=fund,
            title="Long",
            school=world.a.school,
            lines=[{"area": "other", "requested": "100"}],
            **full_bid(period_terms=4),
        )
    bid = services.bid_create(
        actor=world.a.users["head"],
        fund=fund,
        title="Consultant first",
        school=world.a.school,
        lines=[{"area": "other", "requested": "100"}],
        **full_bid(providers=[{"kind": "consultancy", "name": "A firm"}, {"kind": "same_cluster", "name": "B"}]),
    )
    with pytest.raises(ValidationError, match="say why this bid's providers are in another order"):
        act(world, "head", bid, "submit")
    bid = services.bid_edit(actor=world.a.users["head"], bid=bid, provider_order_reason="No cluster school has it.")
    assert act(world, "head", bid, "submit").state == "submitted"


def test_editing_keeps_each_lines_id(world, fund, draft):
    ids = {line.area: line.uuid for line in draft.lines.all()}
    services.bid_edit(
        actor=world.a.users["head"],
        bid=draft,
        lines=[
            {"id": ids["literacy"], "area": "literacy", "requested": "2600.00"},
            {"id": ids["senior"], "area": "senior", "requested": "900.00"},
            {"area": "governance", "requested": "100.00"},
        ],
    )
    after = {line.area: line.uuid for line in draft.lines.all()}
    assert after["literacy"] == ids["literacy"] and after["senior"] == ids["senior"] and len(after) == 3
    act(world, "head", draft, "submit")
    with pytest.raises(ValidationError, match="only a draft or a returned bid is edited"):
        services.bid_edit(actor=world.a.users["head"], bid=draft, title="Changed")


def test_a_head_writes_bids_for_their_own_school_only(world, fund):
    with pytest.raises(PermissionDenied, match="for your own school only"):
        services.bid_create(
            actor=world.a.users["head"],
            fund=fund,
            title="Other",
            school=world.a.other_school,
            lines=[{"area": "other", "requested": "1"}],
        )
    for role in ("board", "governor", "partner"):
        with pytest.raises(PermissionDenied):
            services.bid_create(
                actor=world.a.users[role],
                fund=fund,
                title="x",
                school=world.a.school,
                lines=[{"area": "other", "requested": "1"}],
            )


def test_a_board_meetings_decisions_land_all_or_none(world, fund):
    fund.budget = Decimal("150.00")
    fund.save()
    first, second = bid_in(world, fund, "endorsed"), bid_in(world, fund, "endorsed")
    with pytest.raises(ValidationError, match="would overcommit"):
        services.bids_decide_batch(
            actor=world.a.users["board"],
            meeting_date=date(2022, 12, 1),
            decisions=[
                {"bid": first, "action": "approve", "reason": "Yes"},
                {"bid": second, "action": "approve", "reason": "Yes"},
            ],
        )
    assert set(Bid.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {"endorsed"}
    decided = services.bids_decide_batch(
        actor=world.a.users["board"],
        meeting_date=date(2022, 12, 1),
        decisions=[
            {"bid": first, "action": "approve", "reason": "Yes"},
            {"bid": second, "action": "reject", "reason": "Not a priority"},
        ],
    )
    assert [(b.state, b.meeting_date) for b in decided] == [
        ("approved", date(2022, 12, 1)),
        ("rejected", date(2022, 12, 1)),
    ]


def test_an_impact_report_needs_each_strategys_words_and_a_summary(world, fund):
    from funding.models import ImpactReport

    bid = bid_in(world, fund, "devolved")
    with pytest.raises(ValidationError, match="File the impact report"):
        act(world, "head", bid, "report_impact", report={})
    with pytest.raises(ValidationError) as refused:
        act(
            world,
            "head",
            bid,
            "report_impact",
            report={
                "final_summary": " ",
                "strategies": [{"strategy": "x", "deviation": "Another provider", "actual": "1.001"}],
            },
        )
    assert refused.value.messages == [
        "Strategy 1: say its timescale.",
        "Strategy 1: say its impact.",
        "Strategy 1: say why the provider differed from the one agreed.",
        "Strategy 1's actual cost: 1.001 is not an amount in pounds and pence of 0 or more.",
        "Give the final impact summary.",
    ]
    assert not ImpactReport.objects.exists() and Bid.objects.get(pk=bid.pk).state == "devolved"
    act(world, "head", bid, "report_impact", report=impact(actual="80.00"))
    report = ImpactReport.objects.get(bid=bid)
    assert report.spent == Decimal("80.00") and money.fund_figures(fund).spent == Decimal("80.00")
