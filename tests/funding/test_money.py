"""The arithmetic: shares that add up to the pot, Calderdale's 2022/23 allocation formula with its working,
and bid lines costed from the rate card, to the penny."""

import random
from datetime import date
from decimal import Decimal

import pytest

from funding import money, services
from funding.models import AllocationRun
from schools.models import ClusterMembership
from tests.factories import ClusterFactory, ClusterMembershipFactory, SchoolFactory

from .conftest import COUNT, COUNTED_ON, count_pupils

pytestmark = pytest.mark.django_db

R_TO_11 = ["R", *[str(n) for n in range(1, 12)]]


def test_shares_add_up_exactly_to_the_pot_by_largest_remainder():
    assert money.shares(Decimal("10000"), {"a": 1, "b": 1, "c": 1}, order="abc") == {
        "a": Decimal("3333.34"),
        "b": Decimal("3333.33"),
        "c": Decimal("3333.33"),
    }
    # The penny goes to the largest remainder, not the first: 100.00 by 1:2 is 33.333.. and 66.666..
    assert money.shares(Decimal("100"), {"a": 1, "b": 2}, order="ab") == {"a": Decimal("33.33"), "b": Decimal("66.67")}
    rng = random.Random(7)
    for _ in range(300):
        weights = {i: rng.randint(0, 900) for i in range(rng.randint(1, 12))}
        weights[0] += 1
        pot = Decimal(rng.randint(1, 5_000_000)) / 100
        split = money.shares(pot, weights)
        assert sum(split.values()) == pot
        assert all(value == value.quantize(Decimal("0.01")) and value >= 0 for value in split.values())
    with pytest.raises(ValueError, match="every weight is nothing"):
        money.shares(Decimal("10"), {"a": 0})


@pytest.fixture
def calderdale_formula(world):
    return services.formula_save(
        actor=world.a.users["officer"],
        partnership=world.a.partnership,
        reason="The board's 2022/23 formula.",
        lump_sum=Decimal("19000"),
        per_pupil=Decimal("3"),
        year_groups=R_TO_11,
        cluster_officer=Decimal("8000"),
        top_ups=[
            {"label": "One-off top-up 2021/22", "kind": "fixed", "amount": "2000"},
            {
                "label": "Allocation by pupil numbers",
                "kind": "pot",
                "amount": "20000",
                "extra_cluster": "specialist",
                "extra_amount": "5000",
            },
        ],
    )


def test_calderdale_2022_23_formula_with_its_working(world, fund, calderdale_formula):
    a = world.a
    specialist = ClusterFactory(partnership=a.partnership, name="Specialist Cluster", slug="specialist")
    special = SchoolFactory(partnership=a.partnership, urn="901009", name="Alpha Special School")
    ClusterMembershipFactory(cluster=specialist, school=special)
    # Alpha Cluster: 30 a year R-6 at the primary, 150 a year 7-11 at the high school; nursery and sixth
    # form are not counted; nor is an associate member's roll.
    count_pupils(a.school, {"N": 26, "R": 30, **{str(y): 30 for y in range(1, 7)}})
    count_pupils(a.other_school, {**{str(y): 150 for y in range(7, 12)}, "12": 90, "13": 80})
    count_pupils(special, {str(y): 10 for y in range(1, 12)})
    associate = SchoolFactory(partnership=a.partnership, urn="901010", name="Associate Primary")
    ClusterMembershipFactory(cluster=specialist, school=associate, kind=ClusterMembership.Kind.ASSOCIATE)
    count_pupils(associate, {"R": 500})
    # Another count (a later census) is not the one named.
    count_pupils(a.school, {"R": 999}, source="January 2023 census", on=date(2023, 1, 19))

    preview = {
        s.cluster.name: s
        for s in money.allocation_preview(
            calderdale_formula, [a.cluster, specialist], source=COUNT, counted_on=COUNTED_ON
        )
    }
    alpha, spec = preview["Alpha Cluster"], preview["Specialist Cluster"]
    assert (alpha.pupils, spec.pupils) == (210 + 750, 110)
    # The pot less the extra (15,000) shared 960:110, to the penny; the specialist cluster gets 5,000 more.
    pot_alpha = Decimal("13457.94")
    pot_spec = Decimal("1542.06")
    assert pot_alpha + pot_spec == Decimal("15000")
    assert alpha.amount == Decimal("19000") + Decimal("2880") + Decimal("8000") + Decimal("2000") + pot_alpha
    assert spec.amount == Decimal("19000") + Decimal("330") + Decimal("8000") + Decimal("2000") + pot_spec + 5000
    words = {part["label"]: part["how"] for part in alpha.working}
    assert words["Per pupil"] == (
        "960 pupils in years R to 11 of full member schools (October 2022 census, 6 October 2022) at £3.00"
    )
    assert words["Lump sum"] == "£19,000.00 per cluster"
    assert (
        "plus £5,000.00 for Specialist Cluster"
        in {p["label"]: p["how"] for p in spec.working}["Allocation by pupil numbers"]
    )


def test_locking_makes_a_version_and_a_rerun_the_next(world, fund, calderdale_formula):
    officer = world.a.users["officer"]
    specialist = ClusterFactory(partnership=world.a.partnership, name="Specialist Cluster", slug="specialist")
    special = SchoolFactory(partnership=world.a.partnership, urn="901009", name="Alpha Special School")
    ClusterMembershipFactory(cluster=specialist, school=special)
    count_pupils(world.a.school, {"R": 30})
    count_pupils(special, {"R": 10})
    first = services.allocations_lock(
        actor=officer, fund=fund, formula=calderdale_formula, source=COUNT, counted_on=COUNTED_ON
    )
    second = services.allocations_lock(
        actor=officer, fund=fund, formula=calderdale_formula, source=COUNT, counted_on=COUNTED_ON, reason="Re-run"
    )
    assert (first.version, second.version) == (1, 2)
    assert money.current_allocation(fund) == second
    # Two clusters' lump sums, officers and fixed top-ups, 40 pupils at £3, and the whole pot.
    assert first.total == 2 * (Decimal("19000") + 8000 + 2000) + 120 + 20000
    assert money.fund_figures(fund).allocated == second.total
    assert AllocationRun.objects.filter(fund=fund).count() == 2


def test_allocations_that_cannot_be_made_are_refused_in_words(world, fund, calderdale_formula):
    from django.core.exceptions import ValidationError

    officer = world.a.users["officer"]

    def lock(formula):
        return services.allocations_lock(actor=officer, fund=fund, formula=formula, source=COUNT, counted_on=COUNTED_ON)

    with pytest.raises(ValidationError, match="more to the cluster 'specialist', which the partnership does not have"):
        lock(calderdale_formula)
    ClusterFactory(partnership=world.a.partnership, name="Specialist Cluster", slug="specialist")
    with pytest.raises(ValidationError, match="no cluster has pupils in October 2022 census on 6 October 2022"):
        lock(calderdale_formula)
    simple = services.formula_save(
        actor=officer,
        partnership=world.a.partnership,
        reason="x",
        lump_sum=Decimal("19000"),
        cluster_officer=Decimal("8000"),
        year_groups=R_TO_11,
    )
    fund.budget = Decimal("1000")
    fund.save()
    with pytest.raises(ValidationError, match=r"add up to £54,000.00, more than the fund's budget of £1,000.00"):
        lock(simple)
    assert not AllocationRun.objects.exists()


def test_only_officers_change_the_formula_and_lock_allocations(world, fund, calderdale_formula):
    from django.core.exceptions import PermissionDenied

    for role in ("board", "clusterlead", "head"):
        with pytest.raises(PermissionDenied, match="Only an LA officer"):
            services.allocations_lock(
                actor=world.a.users[role], fund=fund, formula=calderdale_formula, source=COUNT, counted_on=COUNTED_ON
            )


def test_a_formula_edit_is_a_new_version_and_bad_top_ups_are_refused(world, calderdale_formula):
    from django.core.exceptions import ValidationError

    officer = world.a.users["officer"]
    changed = services.formula_save(
        actor=officer,
        partnership=world.a.partnership,
        reason="No top-ups this year",
        lump_sum=Decimal("20000"),
        per_pupil=Decimal("3"),
        year_groups=R_TO_11,
    )
    assert (calderdale_formula.version, changed.version) == (1, 2)
    with pytest.raises(ValidationError) as refused:
        services.formula_save(
            actor=officer,
            partnership=world.a.partnership,
            reason="x",
            year_groups=["R", "14"],
            top_ups=[{"label": "", "kind": "gift", "amount": "1.005"}],
        )
    errors = refused.value.message_dict
    assert errors["year_groups"] == ["Give the year groups counted, each one of N, R and 1 to 13."]
    assert "Top-up 1 needs a label, such as 'One-off top-up 2021/22'." in errors["top_ups"]
    assert any("1.005 is not an amount in pounds and pence" in e for e in errors["top_ups"])


def test_a_line_costed_from_the_rate_card_flags_a_price_above_it(world, rates):
    costed = money.cost_line(
        world.a.partnership,
        [
            {"staff_category": "Headteacher", "unit": "day", "quantity": 3},
            {"staff_category": "Headteacher", "unit": "am", "quantity": 2, "rate": "300.00"},
        ],
        on=date(2022, 11, 1),
    )
    # 3 days at 450 and 2 mornings at the card's 225: the fund is asked for 1,800; 150 is the school's.
    assert costed.requested == Decimal("1800.00") and costed.paid_by_school == Decimal("150.00")
    assert costed.flags == [
        "Item 2 is priced at £300.00 a morning (am), above the rate card's £225.00 for Headteacher: "
        "the school pays the £150.00 difference."
    ]
    with pytest.raises(ValueError, match="no day rate for Governor"):
        money.cost_line(
            world.a.partnership, [{"staff_category": "Governor", "unit": "day", "quantity": 1}], on=date(2022, 11, 1)
        )
    # Before the card's date there is no rate yet.
    with pytest.raises(ValueError, match="no day rate for Headteacher on 1 August 2022"):
        money.cost_line(
            world.a.partnership, [{"staff_category": "Headteacher", "unit": "day", "quantity": 1}], on=date(2022, 8, 1)
        )


def test_a_later_rate_applies_from_its_date(world, rates):
    services.rate_add(
        actor=world.a.users["officer"],
        partnership=world.a.partnership,
        staff_category="Teacher",
        unit="day",
        rate=Decimal("210.00"),
        valid_from=date(2023, 4, 1),
    )
    assert money.rate_on(world.a.partnership, "Teacher", "day", date(2023, 3, 31)).rate == Decimal("200.00")
    assert money.rate_on(world.a.partnership, "Teacher", "day", date(2023, 4, 1)).rate == Decimal("210.00")
