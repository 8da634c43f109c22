"""A fund for partnership A with its rate card, pupil counts and a draft bid from its headteacher."""

from datetime import date
from decimal import Decimal

import pytest

from funding import services
from funding.models import Fund
from schools.models import PupilCount

COUNT = "October 2022 census"
COUNTED_ON = date(2022, 10, 6)


@pytest.fixture
def fund(world):
    return Fund.objects.create(
        partnership=world.a.partnership,
        name="School improvement fund",
        academic_year="2022-23",
        financial_year="2022-23",
        budget=Decimal("100000.00"),
    )


@pytest.fixture
def rates(world):
    officer = world.a.users["officer"]
    for category, unit, rate in (
        ("External consultant", "day", "550.00"),
        ("Headteacher", "day", "450.00"),
        ("Headteacher", "am", "225.00"),
        ("Teacher", "day", "200.00"),
    ):
        services.rate_add(
            actor=officer,
            partnership=world.a.partnership,
            staff_category=category,
            unit=unit,
            rate=Decimal(rate),
            valid_from=date(2022, 9, 1),
        )


def count_pupils(school, per_year: dict[str, int], *, source=COUNT, on=COUNTED_ON):
    for year_group, pupils in per_year.items():
        PupilCount.objects.create(
            partnership=school.partnership,
            school=school,
            source=source,
            counted_on=on,
            year_group=year_group,
            pupils=pupils,
        )


def full_bid(**overrides):
    """What a complete A1 form says, for a bid that submits."""
    return {
        "purpose": "Improve reading in key stage 1.",
        "reason": "Ofsted key issue: phonics.",
        "success_criteria": "Phonics screening above 80%.",
        "monitoring_how": "Termly book looks by the cluster lead.",
        "monitoring_when": "Each half term.",
        "monitoring_who": "Cluster lead.",
        "procurement_reason": "A cluster school leads phonics well.",
        "providers": [{"kind": "same_cluster", "name": "Beta Primary"}],
        **overrides,
    }


@pytest.fixture
def draft(world, fund):
    return services.bid_create(
        actor=world.a.users["head"],
        fund=fund,
        title="Phonics support",
        school=world.a.school,
        lines=[
            {"area": "literacy", "description": "Phonics lead, 5 days", "requested": "2500.00"},
            {"area": "senior", "description": "Leadership coaching", "requested": "1000.00"},
        ],
        **full_bid(),
    )
