"""Every change to funding data goes through here, with an actor, a permission rule and an audit row.

``bid_transition`` is the one way a bid changes state (the table is funding/workflow.py). A decision locks
the fund's row, recomputes what is available inside the transaction and refuses what does not fit, so two
board members approving at once can never commit more than the fund holds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partnership.actors import actor_roles, person
from partnership.audit import audit_record, snapshot
from partnership.permissions import require
from partnership.roles import CLUSTER_ROLES, SCHOOL_ROLES, Decision, Role, is_la, officers_only

from . import money, selectors
from .models import (
    Allocation,
    AllocationFormula,
    AllocationRun,
    Bid,
    BidLine,
    BidMoney,
    ConflictOfInterest,
    Fund,
    FundingPolicy,
    ImpactReport,
    RateCardRow,
    amount_problem,
)
from .workflow import BY_ACTION, DECISIONS, STATES, Transition

FORMULA_FIELDS = ("version", "name", "lump_sum", "per_pupil", "year_groups", "cluster_officer", "top_ups")
BID_FIELDS = ("state", "decided_terms", "conditions", "meeting_date", "minimum_impact_met")

# Calderdale's, the shipped default until a partnership sets its own.
DEFAULT_PROCUREMENT = [
    {"up_to": "10000.00", "needs": "reason"},
    {"up_to": "60000.00", "needs": "quotes", "quotes": 4},
    {"up_to": None, "needs": "refused"},
]


def can_manage_funding(roles) -> Decision:
    return officers_only(roles, "manage the partnership's funds, formula, rate card and funding rules")


# ---- the formula, allocations and the rate card ------------------------------------------------------


@transaction.atomic
def formula_save(*, actor, partnership, reason: str, **values) -> AllocationFormula:
    """A new version of the partnership's allocation formula (an edit never changes an old version)."""
    require(can_manage_funding(actor_roles(actor, partnership)))
    latest = (
        AllocationFormula.objects.for_partnership(partnership).select_for_update().aggregate(v=Max("version"))["v"] or 0
    )
    formula = AllocationFormula(
        partnership=partnership, version=latest + 1, created_by=person(actor), reason=reason.strip(), **values
    )
    formula.full_clean()
    formula.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=formula,
        action="funding.formula.save",
        after=snapshot(formula, FORMULA_FIELDS),
        reason=reason,
    )
    return formula


def latest_formula(partnership) -> AllocationFormula | None:
    return AllocationFormula.objects.for_partnership(partnership).order_by("-version").first()


@transaction.atomic
def allocations_lock(*, actor, fund: Fund, formula: AllocationFormula, source: str, counted_on: date, reason: str = ""):
    """Lock the allocations the preview shows as the fund's next allocation version. Refused when they add
    up to more than the fund's budget."""
    require(can_manage_funding(actor_roles(actor, fund.partnership)))
    from schools.models import Cluster

    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    clusters = Cluster.objects.for_partnership(fund.partnership).order_by("name")
    try:
        preview = money.allocation_preview(formula, clusters, source=source, counted_on=counted_on)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    total = sum((share.amount for share in preview), Decimal("0"))
    if total > fund.budget:
        raise ValidationError(
            f"These allocations add up to {money.pounds(total)}, more than the fund's budget of "
            f"{money.pounds(fund.budget)}: raise the budget or change the formula."
        )
    latest = money.current_allocation(fund)
    run = AllocationRun.objects.create(
        partnership=fund.partnership,
        fund=fund,
        version=(latest.version if latest else 0) + 1,
        formula=formula,
        pupil_source=source,
        pupils_counted_on=counted_on,
        total=total,
        locked_by=person(actor),
        reason=reason.strip(),
    )
    Allocation.objects.bulk_create(
        Allocation(
            partnership=fund.partnership,
            run=run,
            cluster=s.cluster,
            pupils=s.pupils,
            amount=s.amount,
            working=s.working,
        )
        for s in preview
    )
    audit_record(
        actor=actor,
        partnership=fund.partnership,
        obj=run,
        action="funding.allocations.lock",
        after={"version": run.version, "formula": formula.version, "total": str(total), "source": source},
        reason=reason,
    )
    return run


@transaction.atomic
def rate_add(*, actor, partnership, staff_category: str, unit: str, rate, valid_from: date, reason: str = ""):
    require(can_manage_funding(actor_roles(actor, partnership)))
    row = RateCardRow(
        partnership=partnership,
        staff_category=staff_category.strip(),
        unit=unit,
        rate=rate,
        valid_from=valid_from,
        created_by=person(actor),
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=row,
        action="funding.rate.add",
        after=snapshot(row, ("staff_category", "unit", "rate", "valid_from")),
        reason=reason,
    )
    return row


@transaction.atomic
def policy_save(*, actor, partnership, reason: str, procurement=None, priority_categories=(), max_terms: int = 3):
    """A new version of the partnership's funding rules (an edit never changes an old version)."""
    require(can_manage_funding(actor_roles(actor, partnership)))
    latest = (
        FundingPolicy.objects.for_partnership(partnership).select_for_update().aggregate(v=Max("version"))["v"] or 0
    )
    policy = FundingPolicy(
        partnership=partnership,
        version=latest + 1,
        procurement=procurement if procurement is not None else DEFAULT_PROCUREMENT,
        priority_categories=[str(code).strip() for code in priority_categories if str(code).strip()],
        max_terms=max_terms,
        created_by=person(actor),
        reason=reason.strip(),
    )
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=policy,
        action="funding.policy.save",
        after={
            "version": policy.version,
            "priority_categories": policy.priority_categories,
            "max_terms": max_terms,
            "procurement": policy.procurement,
        },
        reason=reason,
    )
    return policy


def policy_of(partnership) -> FundingPolicy:
    """The partnership's funding rules in force, or the shipped defaults (unsaved) when it has none."""
    policy = FundingPolicy.objects.for_partnership(partnership).order_by("-version").first()
    return policy or FundingPolicy(
        partnership=partnership, version=0, procurement=DEFAULT_PROCUREMENT, priority_categories=[], max_terms=3
    )


# ---- bids ------------------------------------------------------------------------------------------


def _amount(value, where: str) -> Decimal:
    problem = amount_problem(value)
    if problem:
        raise ValidationError(f"{where}: {problem}")
    return Decimal(str(value))


def can_write_bid(roles) -> Decision:
    if is_la(roles) or {Role.HEAD, Role.CLUSTER_LEAD, Role.CLUSTER_OFFICER} & set(roles):
        return True, "Headteachers, cluster roles and LA officers write bids."
    return False, "Only a headteacher, a cluster lead or officer, or an LA officer writes bids."


@transaction.atomic
def bid_create(*, actor, fund: Fund, title: str, lines: list[dict], school=None, cluster=None, **fields) -> Bid:
    """A draft bid with its lines ({area, description, requested} or {area, description, items} costed
    from the rate card)."""
    partnership = fund.partnership
    require(can_write_bid(actor_roles(actor, partnership)))
    if not is_la(actor_roles(actor, partnership)):
        mine = selectors.memberships_of(actor, partnership)
        if school is not None and not any(m.role == Role.HEAD and m.school_id == school.pk for m in mine):
            raise PermissionDenied(f"You write bids for your own school only, not for {school.name}.")
        if cluster is not None and not any(m.role in CLUSTER_ROLES and m.cluster_id == cluster.pk for m in mine):
            raise PermissionDenied(f"You write bids for your own cluster only, not for {cluster.name}.")
    if school is None and cluster is None:
        raise ValidationError("Say which school or cluster the bid is from.")
    bid = Bid(
        partnership=partnership,
        fund=fund,
        author=actor,
        title=title.strip(),
        school=school,
        cluster=cluster if cluster is not None else _full_cluster(school),
        applicant=Bid.Applicant.CLUSTER if school is None else fields.pop("applicant", Bid.Applicant.SCHOOL),
        **fields,
    )
    bid.full_clean()
    bid.save()
    _save_lines(actor, bid, lines)
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=bid,
        action="funding.bid.create",
        after={**snapshot(bid, ("title", "state")), "requested": str(money.bid_requested_total(bid))},
    )
    return bid


def _full_cluster(school):
    if school is None:
        return None
    from schools.models import ClusterMembership

    membership = (
        ClusterMembership.objects.filter(school=school, kind=ClusterMembership.Kind.FULL)
        .select_related("cluster")
        .first()
    )
    return membership.cluster if membership else None


def _save_lines(actor, bid: Bid, lines: list[dict]) -> None:
    """Lines given with an ``id`` (a line's uuid) update that line; lines without one are new. Existing lines
    are never deleted and recreated, so a line's id is stable from submission on."""
    if not lines:
        raise ValidationError("A bid asks for money on at least one line.")
    existing = {str(line.uuid): line for line in bid.lines.all()}
    on = timezone.localdate()
    for number, given in enumerate(lines, start=1):
        where = f"Line {number}"
        if given.get("items"):
            try:
                costed = money.cost_line(bid.partnership, given["items"], on=on)
            except ValueError as exc:
                raise ValidationError(f"{where}: {exc}") from None
            requested, paid_by_school, costing = costed.requested, costed.paid_by_school, costed.costing
        else:
            requested, paid_by_school, costing = _amount(given.get("requested"), where), Decimal("0"), []
        line = existing.get(str(given.get("id"))) if given.get("id") else None
        if given.get("id") and line is None:
            raise ValidationError(f"{where}: this bid has no line {given['id']}.")
        line = line or BidLine(partnership=bid.partnership, bid=bid)
        line.area = given.get("area", "")
        line.description = given.get("description", "")
        line.requested, line.paid_by_school, line.costing = requested, paid_by_school, costing
        try:
            line.full_clean(exclude=["bid"])
        except ValidationError as exc:
            raise ValidationError({f"line {number}: {k}": v for k, v in exc.message_dict.items()}) from None
        line.save()


def bid_edit(*, actor, bid: Bid, lines: list[dict] | None = None, **fields) -> Bid:
    with transaction.atomic():
        bid = Bid.objects.select_for_update().get(pk=bid.pk)
        if bid.author_id != getattr(actor, "pk", None):
            raise PermissionDenied("Only the bid's author edits it.")
        if bid.state not in ("draft", "returned"):
            raise ValidationError(f"The bid is {STATES[bid.state].lower()}: only a draft or a returned bid is edited.")
        for name, value in fields.items():
            setattr(bid, name, value)
        bid.full_clean()
        bid.save()
        if lines is not None:
            _save_lines(actor, bid, lines)
        audit_record(
            actor=actor,
            partnership=bid.partnership,
            obj=bid,
            action="funding.bid.edit",
            after=snapshot(bid, ("title", "state")),
        )
    return bid


def procurement_problem(bid: Bid, policy: FundingPolicy) -> str:
    """Why the bid's procurement does not meet the partnership's rules, or "" when it does."""
    total = money.bid_requested_total(bid)
    for band in policy.procurement:
        limit = Decimal(str(band["up_to"])) if band.get("up_to") is not None else None
        if limit is not None and total > limit:
            continue
        within = f"up to {money.pounds(limit)}" if limit is not None else "above the last limit"
        if band["needs"] == "refused":
            return (
                f"The bid asks for {money.pounds(total)}: a cluster bid above the procurement rules' last limit is "
                "out of scope. Ask the LA how to procure it."
            )
        if band["needs"] == "reason" and not bid.procurement_reason.strip():
            return f"For a bid {within}, give a written reason for how the support was chosen."
        if band["needs"] == "quotes":
            quotes = int(band.get("quotes", 4))
            if bid.quotes_received < quotes and not bid.quotes_missing_reason.strip():
                return (
                    f"The bid asks for {money.pounds(total)}: {within}, get {quotes} written quotes or record in "
                    f"writing why not ({bid.quotes_received} received)."
                )
        return ""
    return ""


# Where support is sought, in the order it is to be sought.
PROVIDER_CHOICES = [
    ("same_cluster", "A school in the same cluster"),
    ("other_cluster", "A school in another cluster"),
    ("system_leader", "System leaders (NLE, LLE, SLE, NLG)"),
    ("consultancy", "Consultancy"),
]
PROVIDER_ORDER = tuple(kind for kind, _ in PROVIDER_CHOICES)


def submission_problems(bid: Bid, policy: FundingPolicy) -> list[str]:
    problems = []
    if bid.period_terms > policy.max_terms:
        problems.append(
            f"The board funds at most {policy.max_terms} terms at first: this bid asks for {bid.period_terms}."
        )
    for name, label in (
        ("purpose", "what the support is for"),
        ("success_criteria", "the success criteria"),
        ("monitoring_how", "how the support is monitored"),
    ):
        if not getattr(bid, name).strip():
            problems.append(f"Say {label}.")
    kinds = [p.get("kind") for p in bid.providers if isinstance(p, dict)]
    unknown = [k for k in kinds if k not in PROVIDER_ORDER]
    if unknown:
        problems.append("Each provider is from the same cluster, another cluster, system leaders or consultancy.")
    elif kinds and [PROVIDER_ORDER.index(k) for k in kinds] != sorted(PROVIDER_ORDER.index(k) for k in kinds):
        if not bid.provider_order_reason.strip():
            problems.append(
                "Support is sought first in the cluster, then another cluster, then system leaders, then "
                "consultancy: say why this bid's providers are in another order."
            )
    problem = procurement_problem(bid, policy)
    if problem:
        problems.append(problem)
    return problems


def can_take(actor, bid: Bid, transition: Transition) -> Decision:
    """May the actor take this transition on this bid now? The table's roles, then who of them, then the
    separation of duties: nobody endorses or decides a bid they wrote or that is for their own school, and
    a board member who declared an interest does not decide it."""
    roles = actor_roles(actor, bid.partnership)
    if bid.state not in transition.sources:
        return False, (
            f"The bid is {STATES[bid.state].lower()}: '{transition.label}' is for a bid that is "
            + " or ".join(STATES[s].lower() for s in transition.sources)
            + "."
        )
    allowed_roles = transition.roles & roles
    if not allowed_roles and not (is_la(roles) and transition.roles & {Role.OFFICER}):
        names = ", ".join(sorted(Role(r).label.lower() if r in Role.values else r for r in transition.roles))
        return False, f"Only a {names} can {transition.label.lower()}."
    mine = selectors.memberships_of(actor, bid.partnership)
    officer_taking_it = is_la(roles) and Role.OFFICER in transition.roles
    if transition.scope == "author" and not officer_taking_it and bid.author_id != getattr(actor, "pk", None):
        return False, f"Only the bid's author can {transition.label.lower()}."
    if transition.scope == "cluster" and not officer_taking_it:
        if not any(m.role == Role.CLUSTER_LEAD and m.cluster_id == bid.cluster_id for m in mine):
            return False, f"Only the cluster lead of the bid's cluster can {transition.label.lower()}."
    if transition.action in DECISIONS | {"endorse"}:
        if bid.author_id == getattr(actor, "pk", None):
            return False, "You wrote this bid: someone else endorses and decides it."
        own = {m.school_id for m in mine if m.role in SCHOOL_ROLES}
        if bid.school_id in own or own & set(bid.schools.values_list("pk", flat=True)):
            return False, "The bid is for your own school: someone else endorses and decides it."
    if transition.action in DECISIONS and ConflictOfInterest.objects.filter(bid=bid, user=actor).exists():
        return False, "You declared an interest in this bid, so you do not decide it."
    return True, f"You may {transition.label.lower()}."


def _decide_lines(bid: Bid, action: str, amounts: dict | None) -> Decimal:
    """Set each line's approved amount for a decision; returns the total approved."""
    lines = list(bid.lines.select_for_update().order_by("id"))
    if action == "reject":
        for line in lines:
            line.approved = Decimal("0")
    elif action == "approve":
        for line in lines:
            line.approved = line.requested
    else:
        amounts = {str(k): v for k, v in (amounts or {}).items()}
        unknown = set(amounts) - {str(line.uuid) for line in lines}
        if unknown:
            raise ValidationError(f"This bid has no line {sorted(unknown)[0]}.")
        for line in lines:
            if str(line.uuid) not in amounts:
                raise ValidationError(f"Give the amount approved for '{line.get_area_display()}'.")
            approved = _amount(amounts[str(line.uuid)], line.get_area_display())
            if approved > line.requested:
                raise ValidationError(
                    f"'{line.get_area_display()}' asked for {money.pounds(line.requested)}: the amount approved "
                    f"({money.pounds(approved)}) cannot be more."
                )
            line.approved = approved
    for line in lines:
        line.save(update_fields=["approved"])
    return sum((line.approved for line in lines), Decimal("0"))


def bid_transition(
    *,
    actor,
    bid: Bid,
    action: str,
    reason: str = "",
    amounts: dict | None = None,
    terms: int | None = None,
    conditions: str = "",
    meeting_date: date | None = None,
    amount=None,
    report: dict | None = None,
) -> Bid:
    """Take ``action`` on the bid: check the permission (a refusal says why), move the state, record the
    money, write the audit row, and email the next person once the change is committed."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise ValidationError(f"'{action}' is not something one does to a bid.")
    with transaction.atomic():
        if action in DECISIONS or action in ("devolve", "record_repaid"):
            # The fund first, then the bid, always in that order: two decisions on one fund queue here.
            Fund.objects.select_for_update().get(pk=bid.fund_id)
        bid = Bid.objects.select_for_update(of=("self",)).select_related("fund", "partnership").get(pk=bid.pk)
        require(can_take(actor, bid, transition))
        if transition.needs_reason and not reason.strip():
            raise ValidationError(f"Give a reason to {transition.label.lower()}.")
        before = snapshot(bid, BID_FIELDS)
        after_money = {}
        if action == "submit":
            problems = submission_problems(bid, policy_of(bid.partnership))
            if problems:
                raise ValidationError(problems)
        elif action in DECISIONS:
            approved = _decide_lines(bid, action, amounts)
            figures = money.fund_figures(bid.fund)
            if approved > figures.available:
                raise ValidationError(
                    f"Approving {money.pounds(approved)} would overcommit {bid.fund}: "
                    f"{money.pounds(figures.available)} is left."
                )
            if action != "reject":
                chosen = terms or bid.period_terms
                if not 1 <= chosen <= bid.period_terms:
                    asked = f"{bid.period_terms} term{'s' if bid.period_terms > 1 else ''}"
                    raise ValidationError(f"The bid asked for {asked}: fund it for {asked} or fewer, not {chosen}.")
                bid.decided_terms = chosen
                bid.conditions = conditions.strip()
            bid.meeting_date = meeting_date
            after_money = {"approved": str(approved)}
        elif action == "devolve":
            remaining = money.bid_approved_total(bid) - money.bid_devolved(bid)
            paid = _amount(amount, "The amount devolved") if amount is not None else remaining
            if paid <= 0 or paid > remaining:
                raise ValidationError(
                    f"The bid has {money.pounds(remaining)} approved and not yet devolved: devolve up to that."
                )
            _move(actor, bid, BidMoney.Kind.DEVOLVED, paid, reason)
            after_money = {"devolved": str(paid)}
        elif action == "report_impact":
            filed = _impact_report(actor, bid, report)
            if filed.spent:
                _move(actor, bid, BidMoney.Kind.SPENT, filed.spent, reason)
            after_money = {"spent": str(filed.spent)}
        elif action in ("close", "hold_meeting"):
            bid.minimum_impact_met = action == "close"
        elif action == "request_repayment":
            asked = _amount(amount, "The repayment") if amount is not None else money.bid_devolved(bid)
            if asked <= 0 or asked > money.bid_devolved(bid):
                raise ValidationError(
                    f"The school was paid {money.pounds(money.bid_devolved(bid))}: ask back up to that."
                )
            _move(actor, bid, BidMoney.Kind.REPAYMENT_REQUESTED, asked, reason)
            after_money = {"repayment_requested": str(asked)}
        elif action in ("record_repaid", "write_off"):
            kind = BidMoney.Kind.REPAID if action == "record_repaid" else BidMoney.Kind.WRITTEN_OFF
            asked = money.money_sum(bid.money.filter(kind=BidMoney.Kind.REPAYMENT_REQUESTED))
            _move(actor, bid, kind, asked, reason)
            after_money = {kind: str(asked)}
        bid.state = transition.target
        bid.full_clean()
        bid.save()
        audit_record(
            actor=actor,
            partnership=bid.partnership,
            obj=bid,
            action=f"funding.bid.{action}",
            before=before,
            after={**snapshot(bid, BID_FIELDS), **after_money},
            reason=reason,
        )
        transaction.on_commit(lambda: _notify(bid.pk, action))
    return bid


IMPACT_FIELDS = {
    "strategy": "the strategy",
    "timescale": "its timescale",
    "impact": "its impact",
}


def _impact_report(actor, bid: Bid, report: dict | None) -> ImpactReport:
    """The funding impact report (A2) filed with ``report_impact``: {final_summary, strategies: [{strategy,
    timescale, impact, deviation, rationale, planned, actual}]}. Under- or overspend is actual less planned."""
    if not report:
        raise ValidationError("File the impact report: each strategy's timescale, impact and cost, and a summary.")
    strategies, problems = [], []
    given = report.get("strategies") or []
    if not given:
        problems.append("Give at least one strategy the funding paid for.")
    for number, strategy in enumerate(given, start=1):
        where = f"Strategy {number}"
        for key, words in IMPACT_FIELDS.items():
            if not str(strategy.get(key, "")).strip():
                problems.append(f"{where}: say {words}.")
        if str(strategy.get("deviation", "")).strip() and not str(strategy.get("rationale", "")).strip():
            problems.append(f"{where}: say why the provider differed from the one agreed.")
        try:
            planned = _amount(strategy.get("planned", "0"), f"{where}'s planned cost")
            actual = _amount(strategy.get("actual", "0"), f"{where}'s actual cost")
        except ValidationError as exc:
            problems.extend(exc.messages)
            continue
        strategies.append(
            {
                **{key: str(strategy.get(key, "")).strip() for key in (*IMPACT_FIELDS, "deviation", "rationale")},
                "planned": str(planned),
                "actual": str(actual),
            }
        )
    if not str(report.get("final_summary", "")).strip():
        problems.append("Give the final impact summary.")
    if problems:
        raise ValidationError(problems)
    filed = ImpactReport(
        partnership=bid.partnership,
        bid=bid,
        strategies=strategies,
        final_summary=str(report["final_summary"]).strip(),
        filed_by=person(actor),
    )
    filed.full_clean(exclude=["bid"])
    filed.save()
    return filed


def _move(actor, bid: Bid, kind: str, amount: Decimal, reason: str) -> BidMoney:
    moved = BidMoney(
        partnership=bid.partnership,
        bid=bid,
        kind=kind,
        amount=amount,
        on=timezone.localdate(),
        created_by=person(actor),
        reason=reason.strip(),
    )
    moved.full_clean(exclude=["bid"])
    moved.save()
    return moved


def _notify(bid_id: int, action: str) -> None:
    from .tasks import bid_notify

    bid_notify.delay(bid_id, action)


@transaction.atomic
def conflict_declare(*, actor, bid: Bid, reason: str) -> ConflictOfInterest:
    roles = actor_roles(actor, bid.partnership)
    if Role.BOARD not in roles:
        raise PermissionDenied("Only a board member declares an interest in a bid they would decide.")
    if not reason.strip():
        raise ValidationError("Say what the interest is.")
    declaration = ConflictOfInterest(partnership=bid.partnership, bid=bid, user=actor, reason=reason.strip())
    declaration.full_clean(exclude=["bid", "user"])
    declaration.save()
    audit_record(actor=actor, partnership=bid.partnership, obj=bid, action="funding.bid.conflict", reason=reason)
    return declaration


def bids_decide_batch(*, actor, decisions: list[dict], meeting_date: date) -> list[Bid]:
    """A board meeting's decisions, all or none: each {bid, action, reason, amounts?, terms?, conditions?}."""
    if not decisions:
        raise ValidationError("Choose at least one bid to decide.")
    with transaction.atomic():
        return [
            bid_transition(
                actor=actor,
                bid=d["bid"],
                action=d["action"],
                reason=d.get("reason", ""),
                amounts=d.get("amounts"),
                terms=d.get("terms"),
                conditions=d.get("conditions", ""),
                meeting_date=meeting_date,
            )
            for d in decisions
        ]
