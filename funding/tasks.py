"""Emails about bids, sent by a task once the change is committed: each tells the next person what waits
for them."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from partnership.roles import Role
from partnership.scoping import scope_of

from .models import Bid
from .workflow import STATES

# Who hears of each action: the cluster lead of the bid's cluster, the board, the author, or the LA.
NEXT = {
    "submit": "cluster_lead",
    "endorse": "board",
    "return": "author",
    "approve": "author",
    "part_approve": "author",
    "reject": "author",
    "devolve": "author",
    "report_impact": "officers",
    "hold_meeting": "author",
    "request_repayment": "author",
}


def recipients(bid: Bid, action: str) -> list[str]:
    from people.models import Membership

    who = NEXT.get(action)
    if who is None:
        return []
    if who == "author":
        return [bid.author.email] if bid.author.email else []
    members = Membership.objects.for_partnership(bid.partnership).active().select_related("user")
    if who == "cluster_lead":
        members = members.filter(role=Role.CLUSTER_LEAD, cluster_id=bid.cluster_id)
    elif who == "board":
        members = members.filter(role=Role.BOARD)
    else:
        members = members.filter(role=Role.OFFICER)
    return sorted({m.user.email for m in members if m.user.email})


@shared_task(name="funding.tasks.bid_notify")
def bid_notify(bid_id: int, action: str) -> int:
    with scope_of(Bid, pk=bid_id) as partnership:
        if partnership is None:
            return 0
        bid = Bid.objects.select_related("author", "partnership", "fund").get(pk=bid_id)
        to = recipients(bid, action)
        if not to:
            return 0
        send_mail(
            subject=f"{bid.partnership.name}: bid '{bid.title}' is now {STATES[bid.state].lower()}",
            message=(
                f"The bid '{bid.title}' for {bid.fund} is now {STATES[bid.state].lower()}.\n\n"
                f"Open it in {bid.partnership.name} to see what it needs from you next."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=to,
        )
        return len(to)
