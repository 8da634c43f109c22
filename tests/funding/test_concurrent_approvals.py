"""Many board members approving at once against one fund, on real threads that meet at a barrier before
they approve: the committed total never exceeds the budget, and no approval is lost or doubled. On
PostgreSQL the fund's row lock orders them; on SQLite the write lock taken when each transaction begins."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from funding import money, services
from funding.models import Bid
from partnership.models import AuditEvent
from partnership.roles import Role
from tests.factories import MembershipFactory, UserFactory

from .conftest import full_bid

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12


def meet_after_reading_the_fund(monkeypatch, parties: int) -> None:
    """Each approval, once it has read what the fund has left, waits (up to two seconds) for the others to
    have read it too: without the fund's row lock they all read the same figure and all approve."""
    barrier = threading.Barrier(parties, timeout=2)
    real = money.fund_figures

    def fund_figures(fund):
        figures = real(fund)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return figures

    monkeypatch.setattr(money, "fund_figures", fund_figures)


def test_concurrent_approvals_never_overcommit_the_fund(world, fund, monkeypatch):
    fund.budget = Decimal("1000.00")
    fund.save()
    a = world.a
    bids, boards = [], []
    for number in range(THREADS):
        bid = services.bid_create(
            actor=a.users["head"],
            fund=fund,
            title=f"Bid {number}",
            school=a.school,
            lines=[{"area": "literacy", "requested": "100.00"}],
            **full_bid(),
        )
        services.bid_transition(actor=a.users["head"], bid=bid, action="submit")
        services.bid_transition(actor=a.users["clusterlead"], bid=bid, action="endorse", reason="Fits the plan")
        bids.append(bid)
        board = UserFactory(username=f"board.member{number}")
        MembershipFactory(partnership=a.partnership, user=board, role=Role.BOARD)
        boards.append(board)

    barrier = threading.Barrier(THREADS, timeout=30)
    meet_after_reading_the_fund(monkeypatch, THREADS)
    answers: dict[int, str] = {}

    def approve(number):
        try:
            with scopes_disabled():
                barrier.wait()
                services.bid_transition(actor=boards[number], bid=bids[number], action="approve", reason="Yes")
            answers[number] = "approved"
        except ValidationError as exc:
            answers[number] = " ".join(exc.messages)
        except Exception as exc:  # anything else is the failure this test looks for
            answers[number] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(answers) == THREADS
    assert not [a for a in answers.values() if a.startswith("error")], answers
    approved = [n for n, answer in answers.items() if answer == "approved"]
    refused = [answer for answer in answers.values() if answer != "approved"]
    assert len(approved) == 10, answers
    assert all("would overcommit" in answer and "£0.00 is left" in answer for answer in refused), refused
    # What the database holds agrees with the answers: no approval lost, none doubled.
    assert set(Bid.objects.filter(state="approved").values_list("pk", flat=True)) == {bids[n].pk for n in approved}
    assert AuditEvent.objects.filter(action="funding.bid.approve").count() == 10
    figures = money.fund_figures(fund)
    assert figures.committed == Decimal("1000.00") and figures.available == 0
