"""A bid's states and the transitions between them, declared once as data: which states each action starts
from, where it leads, which roles may take it, and whether it needs a reason. ``funding.services.
bid_transition`` is the only code that moves a bid, and it reads this table."""

from dataclasses import dataclass

from partnership.roles import Role

STATES = {
    "draft": "Draft",
    "submitted": "Submitted, waiting for the cluster lead",
    "returned": "Returned to its author",
    "endorsed": "Endorsed, waiting for the board",
    "approved": "Approved",
    "part_approved": "Part approved",
    "rejected": "Rejected",
    "devolved": "Devolved to the school",
    "impact_reported": "Impact report filed",
    "closed": "Closed",
    "meeting": "Minimum impact not met: meeting held",
    "repayment_requested": "Repayment requested",
    "repaid": "Repaid",
    "written_off": "Written off",
    "withdrawn": "Withdrawn",
}

# States whose approved money counts against the fund (committed until devolved, then devolved).
DECIDED = frozenset({"approved", "part_approved"})
FUNDED = frozenset(
    {
        "approved",
        "part_approved",
        "devolved",
        "impact_reported",
        "closed",
        "meeting",
        "repayment_requested",
        "repaid",
        "written_off",
    }
)
# Decisions of the board: they take an amount per line and lock the fund.
DECISIONS = frozenset({"approve", "part_approve", "reject"})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    needs_reason: bool = True
    # Who, of those with the role, may take it: "author" (the bid's author), "cluster" (a cluster role of
    # the bid's cluster), "school" (a school role of the bid's school), "any" (anyone with the role).
    scope: str = "any"


LA = frozenset({Role.OFFICER})
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        "Submit the bid",
        ("draft", "returned"),
        "submitted",
        frozenset({Role.HEAD, Role.CLUSTER_LEAD, Role.CLUSTER_OFFICER, Role.OFFICER}),
        False,
        "author",
    ),
    Transition(
        "withdraw",
        "Withdraw the bid",
        ("draft", "submitted", "returned"),
        "withdrawn",
        frozenset({Role.HEAD, Role.CLUSTER_LEAD, Role.CLUSTER_OFFICER, Role.OFFICER}),
        True,
        "author",
    ),
    Transition(
        "return",
        "Return it to its author",
        ("submitted",),
        "returned",
        frozenset({Role.CLUSTER_LEAD}) | LA,
        True,
        "cluster",
    ),
    Transition(
        "endorse",
        "Endorse it for the board",
        ("submitted",),
        "endorsed",
        frozenset({Role.CLUSTER_LEAD}),
        True,
        "cluster",
    ),
    Transition("approve", "Approve in full", ("endorsed",), "approved", frozenset({Role.BOARD}), True),
    Transition("part_approve", "Approve in part", ("endorsed",), "part_approved", frozenset({Role.BOARD}), True),
    Transition("reject", "Reject", ("endorsed",), "rejected", frozenset({Role.BOARD}), True),
    Transition("devolve", "Devolve the money to the school", ("approved", "part_approved"), "devolved", LA, False),
    Transition(
        "report_impact",
        "File the impact report",
        ("devolved",),
        "impact_reported",
        frozenset({Role.HEAD, Role.CLUSTER_LEAD, Role.CLUSTER_OFFICER}) | LA,
        False,
        "author",
    ),
    Transition("close", "Close: minimum impact met", ("impact_reported", "meeting"), "closed", LA, True),
    Transition("hold_meeting", "Minimum impact not met: record the meeting", ("impact_reported",), "meeting", LA, True),
    Transition("request_repayment", "Request repayment", ("meeting",), "repayment_requested", LA, True),
    Transition("record_repaid", "Record the repayment", ("repayment_requested",), "repaid", LA, True),
    Transition("write_off", "Write the repayment off", ("repayment_requested",), "written_off", LA, True),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}
assert all(t.target in STATES and all(s in STATES for s in t.sources) for t in TRANSITIONS)


def available_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if state in t.sources]
