"""The arithmetic of funding, to the penny: shares of a pot by largest remainder, cluster allocations by
the partnership's formula with the working shown, a bid line costed from the rate card, and each fund's
figures (budget, allocated, committed, devolved, spent, repayable, available)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Sum

from schools.models import ClusterMembership, PupilCount

from .models import PENNY, AllocationFormula, AllocationRun, Bid, BidLine, BidMoney, Fund, RateCardRow
from .workflow import DECIDED, FUNDED


def pounds(amount: Decimal) -> str:
    """An amount as a treasurer writes it: £19,000.00."""
    return f"£{amount:,.2f}"


def shares(pot: Decimal, weights: dict, order=None) -> dict:
    """``pot`` shared in proportion to ``weights``, in pence that add up exactly to the pot: each share is
    rounded down to the penny, then the pennies left go one each to the largest remainders (ties to the
    key that comes first in ``order``, or sorted order)."""
    pot = Decimal(pot).quantize(PENNY)
    total = sum(weights.values())
    keys = list(order) if order is not None else sorted(weights)
    if not keys:
        return {}
    if total <= 0:
        raise ValueError("Nothing to share the pot by: every weight is nothing.")
    pennies = int(pot / PENNY)
    exact = {k: Decimal(pennies) * Decimal(weights[k]) / Decimal(total) for k in keys}
    floors = {k: int(exact[k].to_integral_value(rounding=ROUND_FLOOR)) for k in keys}
    left = pennies - sum(floors.values())
    by_remainder = sorted(keys, key=lambda k: (-(exact[k] - floors[k]), keys.index(k)))
    for k in by_remainder[:left]:
        floors[k] += 1
    return {k: Decimal(floors[k]) * PENNY for k in keys}


@dataclass
class ClusterShare:
    cluster: object
    pupils: int
    working: list[dict] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((Decimal(part["amount"]) for part in self.working), Decimal("0"))


def cluster_pupils(partnership, *, year_groups, source: str, counted_on: date) -> dict[int, int]:
    """Pupils in ``year_groups`` of each cluster's full member schools, by the named count: cluster id ->
    pupils. A school counts to its one full cluster only; associates count nowhere."""
    full = dict(
        ClusterMembership.objects.for_partnership(partnership)
        .filter(kind=ClusterMembership.Kind.FULL)
        .values_list("school_id", "cluster_id")
    )
    totals: dict[int, int] = {}
    counts = (
        PupilCount.objects.for_partnership(partnership)
        .filter(source=source, counted_on=counted_on, year_group__in=year_groups, school_id__in=list(full))
        .values("school_id")
        .annotate(pupils=Sum("pupils"))
    )
    for row in counts:
        cluster = full[row["school_id"]]
        totals[cluster] = totals.get(cluster, 0) + row["pupils"]
    return totals


def allocation_preview(formula: AllocationFormula, clusters, *, source: str, counted_on: date) -> list[ClusterShare]:
    """Each cluster's share by the formula, with the working: what each part is and how it was reached."""
    clusters = list(clusters)
    pupils = cluster_pupils(formula.partnership, year_groups=formula.year_groups, source=source, counted_on=counted_on)
    groups = f"{formula.year_groups[0]} to {formula.year_groups[-1]}" if formula.year_groups else "no year groups"
    result = [ClusterShare(cluster=c, pupils=pupils.get(c.pk, 0)) for c in clusters]
    for share in result:
        share.working.append(
            {"label": "Lump sum", "amount": str(formula.lump_sum), "how": f"{pounds(formula.lump_sum)} per cluster"}
        )
        per_pupil = (formula.per_pupil * share.pupils).quantize(PENNY)
        share.working.append(
            {
                "label": "Per pupil",
                "amount": str(per_pupil),
                "how": f"{share.pupils:,} pupils in years {groups} of full member schools ({source}, "
                f"{counted_on:%-d %B %Y}) at {pounds(formula.per_pupil)}",
            }
        )
        if formula.cluster_officer:
            share.working.append(
                {
                    "label": "Cluster officer",
                    "amount": str(formula.cluster_officer),
                    "how": f"{pounds(formula.cluster_officer)} per cluster",
                }
            )
    for top_up in formula.top_ups:
        amount = Decimal(str(top_up["amount"]))
        label = top_up["label"]
        if top_up["kind"] == "fixed":
            for share in result:
                share.working.append({"label": label, "amount": str(amount), "how": f"{pounds(amount)} per cluster"})
            continue
        extra = Decimal(str(top_up.get("extra_amount") or "0"))
        extra_cluster = top_up.get("extra_cluster")
        if extra and extra_cluster not in {share.cluster.slug for share in result}:
            raise ValueError(
                f"{label} gives {pounds(extra)} more to the cluster '{extra_cluster}', which the partnership does "
                "not have: correct the formula."
            )
        if extra > amount:
            raise ValueError(f"{label}: the extra {pounds(extra)} is more than the pot of {pounds(amount)}.")
        pot = amount - extra
        weights = {share.cluster.pk: share.pupils for share in result}
        if not sum(weights.values()):
            raise ValueError(
                f"{label} is shared by pupil numbers, but no cluster has pupils in {source} on "
                f"{counted_on:%-d %B %Y}: import that pupil count first."
            )
        split = shares(pot, weights, order=[share.cluster.pk for share in result])
        total_pupils = sum(weights.values())
        for share in result:
            part = split[share.cluster.pk]
            how = f"{share.pupils:,} of {total_pupils:,} pupils' share of {pounds(pot)}"
            if extra and share.cluster.slug == extra_cluster:
                part += extra
                how += f", plus {pounds(extra)} for {share.cluster.name}"
            share.working.append({"label": label, "amount": str(part), "how": how})
    return result


def current_allocation(fund: Fund) -> AllocationRun | None:
    return AllocationRun.objects.filter(fund=fund).order_by("-version").first()


@dataclass(frozen=True)
class FundFigures:
    budget: Decimal
    allocated: Decimal
    committed: Decimal
    devolved: Decimal
    spent: Decimal
    repayable: Decimal
    repaid: Decimal
    written_off: Decimal

    @property
    def available(self) -> Decimal:
        """What the board may still approve: the budget less what is approved (committed or paid), with
        what was repaid back in the fund."""
        return self.budget - self.committed - self.devolved + self.repaid


def money_sum(queryset, field_name: str = "amount") -> Decimal:
    """A sum of money to the penny (SQLite adds decimals as floating point, so the sum is rounded back)."""
    return to_penny(queryset.aggregate(total=Sum(field_name))["total"])


def to_penny(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(PENNY)


def fund_figures(fund: Fund) -> FundFigures:
    """The fund's figures now, in a fixed handful of queries. Call it inside the transaction that holds the
    fund's row lock to decide on what it says."""
    allocation = current_allocation(fund)
    lines = BidLine.objects.filter(bid__fund=fund, bid__state__in=FUNDED, approved__isnull=False)
    approved_committed = money_sum(lines.filter(bid__state__in=DECIDED), "approved")
    approved_paid_on = money_sum(lines.exclude(bid__state__in=DECIDED), "approved")
    moved = {
        kind: to_penny(total)
        for kind, total in BidMoney.objects.filter(bid__fund=fund)
        .values_list("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    devolved = moved.get(BidMoney.Kind.DEVOLVED, Decimal("0"))
    requested_back = moved.get(BidMoney.Kind.REPAYMENT_REQUESTED, Decimal("0"))
    repaid = moved.get(BidMoney.Kind.REPAID, Decimal("0"))
    written_off = moved.get(BidMoney.Kind.WRITTEN_OFF, Decimal("0"))
    # What was approved but not devolved on a bid that has moved past its decision stays committed.
    committed = approved_committed + max(approved_paid_on - devolved, Decimal("0"))
    return FundFigures(
        budget=fund.budget,
        allocated=allocation.total if allocation else Decimal("0"),
        committed=committed,
        devolved=devolved,
        spent=moved.get(BidMoney.Kind.SPENT, Decimal("0")),
        repayable=requested_back - repaid - written_off,
        repaid=repaid,
        written_off=written_off,
    )


def bid_approved_total(bid: Bid) -> Decimal:
    return money_sum(bid.lines.filter(approved__isnull=False), "approved")


def bid_requested_total(bid: Bid) -> Decimal:
    return money_sum(bid.lines.all(), "requested")


def bid_devolved(bid: Bid) -> Decimal:
    return money_sum(bid.money.filter(kind=BidMoney.Kind.DEVOLVED))


def rate_on(partnership, staff_category: str, unit: str, on: date) -> RateCardRow | None:
    """The rate card's charge for that staff time on that day: the row of the latest date not after it."""
    return (
        RateCardRow.objects.for_partnership(partnership)
        .filter(staff_category=staff_category, unit=unit, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )


@dataclass(frozen=True)
class Costed:
    requested: Decimal
    paid_by_school: Decimal
    costing: list[dict]
    flags: list[str]


def cost_line(partnership, items: list[dict], *, on: date) -> Costed:
    """A line costed from the rate card: ``items`` are {staff_category, unit, quantity, rate (optional: the
    price the provider asks)}. A price above the card is flagged, and the excess is the school's to pay;
    the fund is asked for the card's rate."""
    costing, flags = [], []
    requested = paid_by_school = Decimal("0")
    for number, item in enumerate(items, start=1):
        row = rate_on(partnership, item["staff_category"], item["unit"], on)
        if row is None:
            raise ValueError(
                f"Item {number}: the rate card has no {item['unit']} rate for {item['staff_category']} on "
                f"{on:%-d %B %Y}."
            )
        quantity = Decimal(str(item["quantity"]))
        if quantity <= 0 or quantity != quantity.to_integral_value():
            raise ValueError(f"Item {number}: give a whole number of {row.get_unit_display().lower()}s, 1 or more.")
        asked = Decimal(str(item.get("rate") or row.rate)).quantize(PENNY)
        card = (row.rate * quantity).quantize(PENNY)
        total = (asked * quantity).quantize(PENNY)
        excess = max(total - card, Decimal("0"))
        if excess:
            flags.append(
                f"Item {number} is priced at {pounds(asked)} a {row.get_unit_display().lower()}, above the rate card's "
                f"{pounds(row.rate)} for {row.staff_category}: the school pays the {pounds(excess)} difference."
            )
        requested += min(total, card)
        paid_by_school += excess
        costing.append(
            {
                "staff_category": row.staff_category,
                "unit": row.unit,
                "quantity": str(quantity),
                "rate": str(asked),
                "card_rate": str(row.rate),
            }
        )
    return Costed(requested=requested, paid_by_school=paid_by_school, costing=costing, flags=flags)
