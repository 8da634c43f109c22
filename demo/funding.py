"""Calderdale's demo funding: its 2022/23 school improvement fund, allocated by the board's formula (lump
sum 19,000 GBP plus 3 GBP per pupil R to Y11 of full members, 8,000 GBP cluster officer allocation, and the
2021/22 top-ups as an example), its rate card, and bids in every state, so each role has something to do:
the cluster lead a bid to endorse, the board bids to decide, the officer money to devolve and an impact
report to judge, the headteacher a draft to finish and an impact report to file.

Pupil counts are invented from each school's roll. Loaded once: a demo that already has the fund keeps it.
"""

import random
from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from funding import services
from funding.models import Fund
from partnership.roles import Role
from people.models import Membership
from schools.models import PupilCount, School

from .history import tasks_in_process

COUNT = "October 2022 census"
COUNTED_ON = date(2022, 10, 6)
SPECIALIST = slugify("Specialist Provision Cluster (SPC)")
PRIMARY_YEARS = ["R", "1", "2", "3", "4", "5", "6"]
SECONDARY_YEARS = ["7", "8", "9", "10", "11"]
# Calderdale Appendix F, a few of its staff categories.
RATES = [
    ("External consultant", "day", "550.00"),
    ("External consultant", "am", "275.00"),
    ("External consultant", "pm", "275.00"),
    ("Headteacher", "day", "450.00"),
    ("Headteacher", "am", "225.00"),
    ("Headteacher", "pm", "225.00"),
    ("Headteacher", "prep", "112.50"),
    ("Teacher", "day", "200.00"),
    ("Teacher", "staff_meeting", "75.00"),
]


def _count_pupils(partnership, rng: random.Random) -> None:
    if PupilCount.objects.for_partnership(partnership).filter(source=COUNT).exists():
        return
    rows = []
    for school in School.objects.for_partnership(partnership).order_by("urn"):
        years = SECONDARY_YEARS if school.phase == "secondary" else PRIMARY_YEARS
        if school.phase == "special":
            years = PRIMARY_YEARS + SECONDARY_YEARS
        roll = school.pupils or 210
        for year in years:
            rows.append(
                PupilCount(
                    partnership=partnership,
                    school=school,
                    source=COUNT,
                    counted_on=COUNTED_ON,
                    year_group=year,
                    pupils=max(1, round(roll / len(years) * rng.uniform(0.9, 1.1))),
                )
            )
    PupilCount.objects.bulk_create(rows)


def _member(partnership, role):
    return (
        Membership.objects.for_partnership(partnership)
        .active()
        .filter(role=role)
        .select_related("user", "school", "cluster")
        .first()
    )


def load_funding(partnership) -> dict:
    """The fund, its allocations, the rate card and the bids; returns the fund and whether it was created."""
    existing = Fund.objects.for_partnership(partnership).filter(academic_year="2022-23").first()
    if existing is not None:
        return {"fund": existing, "created": False}
    with tasks_in_process():
        return _load_funding(partnership)


def _load_funding(partnership) -> dict:
    rng = random.Random(f"{partnership.slug}-funding")
    officer, head, lead, board = (
        _member(partnership, r).user for r in (Role.OFFICER, Role.HEAD, Role.CLUSTER_LEAD, Role.BOARD)
    )
    school = _member(partnership, Role.HEAD).school
    _count_pupils(partnership, rng)
    formula = services.formula_save(
        actor=officer,
        partnership=partnership,
        reason="The board's formula for 2022/23, with the 2021/22 top-ups as an example.",
        lump_sum=Decimal("19000"),
        per_pupil=Decimal("3"),
        year_groups=PRIMARY_YEARS + SECONDARY_YEARS,
        cluster_officer=Decimal("8000"),
        top_ups=[
            {"label": "One-off top-up 2021/22", "kind": "fixed", "amount": "2000"},
            {
                "label": "2021/22 allocation by pupil numbers",
                "kind": "pot",
                "amount": "25000",
                "extra_cluster": SPECIALIST,
                "extra_amount": "5000",
            },
        ],
    )
    fund = Fund.objects.create(
        partnership=partnership,
        name="School improvement fund",
        academic_year="2022-23",
        financial_year="2022-23",
        budget=Decimal("450000.00"),
        created_by=officer,
    )
    services.allocations_lock(
        actor=officer,
        fund=fund,
        formula=formula,
        source=COUNT,
        counted_on=COUNTED_ON,
        reason="Agreed at the September board.",
    )
    services.policy_save(
        actor=officer,
        partnership=partnership,
        reason="The board targets Red and Amber schools; Calderdale's procurement rules.",
        priority_categories=["RED", "AMBER"],
    )
    for category, unit, rate in RATES:
        services.rate_add(
            actor=officer,
            partnership=partnership,
            staff_category=category,
            unit=unit,
            rate=Decimal(rate),
            valid_from=date(2022, 9, 1),
        )

    def bid(title, area, items_or_amount, **extra):
        line = {"area": area, "description": title}
        if isinstance(items_or_amount, list):
            line["items"] = items_or_amount
        else:
            line["requested"] = items_or_amount
        return services.bid_create(
            actor=head,
            fund=fund,
            title=title,
            school=school,
            lines=[line],
            purpose=f"{title} for the staff and pupils who need it most.",
            reason="A key issue from the last inspection.",
            success_criteria="Pupils' outcomes in the area rise to the LA average within the year.",
            monitoring_how="Half-termly review by the cluster lead.",
            monitoring_when="Each half term.",
            monitoring_who="The cluster lead and the governors.",
            procurement_reason="A school in the cluster leads this well and has capacity.",
            providers=[{"kind": "same_cluster", "name": "A cluster school"}],
            **extra,
        )

    def move(b, *steps):
        for who, action, kwargs in steps:
            b = services.bid_transition(actor=who, bid=b, action=action, **kwargs)
        return b

    submit = (head, "submit", {})
    endorse = (lead, "endorse", {"reason": "Agreed at the cluster meeting."})
    approve = (board, "approve", {"reason": "Fits the board's priorities.", "meeting_date": date(2022, 11, 10)})
    devolve = (officer, "devolve", {})
    report = (
        head,
        "report_impact",
        {
            "report": {
                "final_summary": "Outcomes in the area rose towards the LA average; the work continues in school.",
                "strategies": [
                    {
                        "strategy": "Training and coaching from a cluster school",
                        "timescale": "Autumn and spring terms",
                        "impact": "Staff use the approach in every class; pupils' work shows it.",
                        "planned": "600.00",
                        "actual": "560.00",
                    }
                ],
            }
        },
    )

    bid(
        "Early reading: phonics training", "literacy", [{"staff_category": "Headteacher", "unit": "day", "quantity": 2}]
    )  # a draft to finish
    move(bid("Maths mastery lead", "numeracy", "1800.00"), submit)  # waiting for the cluster lead
    move(bid("Middle leaders' coaching", "middle", "2400.00"), submit, endorse)  # waiting for the board
    move(bid("Governance review", "governance", "900.00"), submit, endorse, approve)  # to devolve
    move(bid("Behaviour and attendance", "personal", "1500.00"), submit, endorse, approve, devolve)  # to report on
    move(bid("Early years environment", "early_years", "1200.00"), submit, endorse, approve, devolve, report)
    move(
        bid("Writing moderation", "literacy", "600.00"),
        submit,
        endorse,
        approve,
        devolve,
        report,
        (officer, "close", {"reason": "Writing outcomes rose to the LA average."}),
    )
    move(
        bid("Curriculum consultancy", "foundation", "3000.00"),
        submit,
        endorse,
        (board, "reject", {"reason": "The school's own budget covers this.", "meeting_date": date(2022, 11, 10)}),
    )
    move(
        bid("Science subject leadership", "teaching_other", "800.00"),
        submit,
        (lead, "return", {"reason": "Say which cluster school will lead it."}),
    )
    return {"fund": fund, "created": True}
