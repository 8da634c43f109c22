"""School improvement funds, their cluster allocations by formula, the rate card, and bids (Calderdale A1)
with their lines, money movements and conflicts of interest.

Money is Decimal to the penny everywhere (``MONEY``); every rule that differs between partnerships (the
allocation formula, the rate card, the procurement rules and priority categories) is a row the partnership
edits, kept by version or by date, never a branch in code."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from partnership.models import TenantModel, validate_academic_year
from schools.models import YEAR_GROUPS, Cluster, School

MONEY = {"max_digits": 12, "decimal_places": 2}
PENNY = Decimal("0.01")


def money(**kwargs):
    return models.DecimalField(**MONEY, **kwargs)


class AllocationFormula(TenantModel):
    """How a fund is shared between clusters, one version per change (an edit is a new version).

    Each cluster gets ``lump_sum``, plus ``per_pupil`` for each pupil of its *full* member schools in
    ``year_groups`` by the named pupil count, plus ``cluster_officer``, plus each one-off top-up: a
    ``fixed`` amount per cluster, or a ``pot`` shared by pupil numbers (with an ``extra`` amount for one
    named cluster)."""

    constraint_messages = {
        "one_allocation_formula_version": "This formula version already exists: an edit makes the next one.",
        "allocation_formula_amounts_not_negative": "The amounts of a formula cannot be negative.",
    }

    version = models.PositiveIntegerField()
    name = models.CharField(max_length=120, default="Cluster allocation formula")
    lump_sum = money(default=Decimal("0"))
    per_pupil = money(default=Decimal("0"))
    year_groups = models.JSONField(default=list, help_text="The year groups counted, such as R to 11.")
    cluster_officer = money(default=Decimal("0"), help_text="Each cluster's cluster officer allocation.")
    top_ups = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="one_allocation_formula_version"),
            models.CheckConstraint(
                condition=models.Q(lump_sum__gte=0, per_pupil__gte=0, cluster_officer__gte=0),
                name="allocation_formula_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"

    def clean(self) -> None:
        errors = {}
        groups = self.year_groups
        if not isinstance(groups, list) or not groups or any(g not in YEAR_GROUPS for g in groups):
            errors["year_groups"] = "Give the year groups counted, each one of N, R and 1 to 13."
        problems = top_up_problems(self.top_ups)
        if problems:
            errors["top_ups"] = problems
        if errors:
            raise ValidationError(errors)


def amount_problem(value) -> str:
    """Why ``value`` is not an amount of money in pounds and pence of 0 or more, or "" when it is."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return f"{value!r} is not an amount of money."
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(PENNY):
        return f"{value} is not an amount in pounds and pence of 0 or more."
    return ""


def top_up_problems(top_ups) -> list[str]:
    """What is wrong with a formula's top-ups, in words; [] when they are right."""
    if not isinstance(top_ups, list):
        return ["The top-ups must be a list."]
    problems = []
    for number, top_up in enumerate(top_ups, start=1):
        where = f"Top-up {number}"
        if not isinstance(top_up, dict):
            problems.append(f"{where} must say its kind, label and amount.")
            continue
        if not str(top_up.get("label", "")).strip():
            problems.append(f"{where} needs a label, such as 'One-off top-up 2021/22'.")
        if top_up.get("kind") not in ("fixed", "pot"):
            problems.append(f"{where}: its kind is 'fixed' (an amount per cluster) or 'pot' (shared by pupils).")
        if "amount" not in top_up:
            problems.append(f"{where} needs an amount.")
        for key in ("amount", "extra_amount"):
            if key not in top_up or (key == "extra_amount" and top_up[key] in (None, "")):
                continue
            problem = amount_problem(top_up[key])
            if problem:
                problems.append(f"{where}: {problem}")
        if top_up.get("extra_amount") not in (None, "") and not top_up.get("extra_cluster"):
            problems.append(f"{where}: say which cluster gets the extra amount.")
    return problems


class Fund(TenantModel):
    """A school improvement fund of a partnership for a year, with its budget."""

    constraint_messages = {
        "fund_name_unique_per_year": "The partnership already has a fund of this name for that year.",
        "fund_budget_not_negative": "A fund's budget cannot be negative.",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    academic_year = models.CharField(
        max_length=7, validators=[validate_academic_year], help_text="September to August, such as 2022-23."
    )
    financial_year = models.CharField(
        max_length=7, validators=[validate_academic_year], help_text="April to March, such as 2022-23."
    )
    budget = money()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-academic_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "academic_year", "name"], name="fund_name_unique_per_year"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="fund_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.academic_year}"


class AllocationRun(TenantModel):
    """A locked set of cluster allocations of a fund, by one formula version and one pupil count. A re-run
    locks the next version; the newest is the fund's allocation."""

    constraint_messages = {"one_allocation_run_version_per_fund": "This allocation version already exists."}

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="allocation_runs")
    version = models.PositiveIntegerField()
    formula = models.ForeignKey(AllocationFormula, on_delete=models.PROTECT, related_name="+")
    pupil_source = models.CharField(max_length=100)
    pupils_counted_on = models.DateField()
    total = money()
    locked_at = models.DateTimeField(auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "version"], name="one_allocation_run_version_per_fund"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} allocations, version {self.version}"


class Allocation(TenantModel):
    """One cluster's share in an allocation run, with the working that produced it."""

    constraint_messages = {"one_allocation_per_cluster_per_run": "This cluster already has an allocation here."}

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="allocations")
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="+")
    pupils = models.PositiveIntegerField()
    amount = money()
    working = models.JSONField(default=list, help_text="Each part of the amount: label, amount, how.")

    class Meta:
        ordering = ["cluster__name"]
        constraints = [models.UniqueConstraint(fields=["run", "cluster"], name="one_allocation_per_cluster_per_run")]

    def __str__(self) -> str:
        return f"{self.cluster}: {self.amount}"


class RateCardRow(TenantModel):
    """An agreed charge for one kind of staff time (Calderdale Appendix F), from a date: a change is a new
    row from a later date, so a bid is always costed at the rates of its day."""

    constraint_messages = {
        "one_rate_per_staff_unit_and_date": "The rate card already has this charge from that date.",
        "rate_not_negative": "A rate cannot be negative.",
    }

    class Unit(models.TextChoices):
        DAY = "day", "Day"
        AM = "am", "Morning (AM)"
        PM = "pm", "Afternoon (PM)"
        PREP = "prep", "Preparation"
        STAFF_MEETING = "staff_meeting", "Staff meeting"

    staff_category = models.CharField(max_length=80, help_text="Such as 'National leader of education (NLE)'.")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    rate = money()
    valid_from = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["staff_category", "unit", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "staff_category", "unit", "valid_from"], name="one_rate_per_staff_unit_and_date"
            ),
            models.CheckConstraint(condition=models.Q(rate__gte=0), name="rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_category}, {self.get_unit_display()}: {self.rate} from {self.valid_from}"


class FundingPolicy(TenantModel):
    """The partnership's funding rules, one version per change: procurement thresholds, the categories
    whose schools' bids are priority, and the longest period a bid may ask for."""

    constraint_messages = {"one_funding_policy_version": "This policy version already exists."}

    version = models.PositiveIntegerField()
    # [{"up_to": "10000.00", "needs": "reason"}, {"up_to": "60000.00", "needs": "quotes", "quotes": 4},
    #  {"up_to": null, "needs": "refused"}]: the first band whose up_to the bid's total does not pass.
    procurement = models.JSONField(default=list)
    priority_categories = models.JSONField(default=list, blank=True)
    max_terms = models.PositiveSmallIntegerField(default=3)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["partnership", "version"], name="one_funding_policy_version")]

    def __str__(self) -> str:
        return f"Funding rules, version {self.version}"


class Bid(TenantModel):
    """A bid for school-to-school support (Calderdale A1), from a school, a group of schools or a cluster,
    moved through its states only by ``funding.services.bid_transition`` (funding/workflow.py)."""

    constraint_messages = {
        "bid_period_one_to_three_terms": "A bid is for one, two or three terms.",
        "bid_match_funding_not_negative": "Match funding cannot be negative.",
    }

    class Applicant(models.TextChoices):
        SCHOOL = "school", "A school"
        GROUP = "group", "A group of schools"
        CLUSTER = "cluster", "A cluster"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="bids")
    state = models.CharField(max_length=24, default="draft")
    applicant = models.CharField(max_length=10, choices=Applicant.choices, default=Applicant.SCHOOL)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    schools = models.ManyToManyField(School, blank=True, related_name="+", help_text="A group bid's schools.")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    reason = models.TextField(blank=True, help_text="Why: the Ofsted key issue or the vulnerability.")
    period_terms = models.PositiveSmallIntegerField(default=1)
    budget_position = models.TextField(blank=True)
    match_funding = money(default=Decimal("0"))
    # [{"kind": "same_cluster" | "other_cluster" | "system_leader" | "consultancy", "name": "..."}]
    providers = models.JSONField(default=list, blank=True)
    provider_order_reason = models.TextField(blank=True)
    procurement_reason = models.TextField(blank=True)
    quotes_received = models.PositiveSmallIntegerField(default=0)
    quotes_missing_reason = models.TextField(blank=True)
    success_criteria = models.TextField(blank=True)
    monitoring_how = models.TextField(blank=True)
    monitoring_when = models.TextField(blank=True)
    monitoring_who = models.TextField(blank=True)
    eef_links = models.TextField(blank=True)
    other_funding = models.TextField(blank=True)
    # What the board decided.
    decided_terms = models.PositiveSmallIntegerField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    minimum_impact_met = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_terms__gte=1, period_terms__lte=3), name="bid_period_one_to_three_terms"
            ),
            models.CheckConstraint(condition=models.Q(match_funding__gte=0), name="bid_match_funding_not_negative"),
        ]
        indexes = [models.Index(fields=["partnership", "fund", "state"])]

    def __str__(self) -> str:
        return self.title


class BidLine(TenantModel):
    """One Ofsted-area line of a bid: what is asked and, once decided, what is approved. Its ``uuid`` is the
    line's id from submission on: editing a bid updates its lines, never deletes and recreates them."""

    constraint_messages = {
        "bid_line_requested_not_negative": "A line cannot ask for a negative amount.",
        "bid_line_approved_within_requested": "A line's approved amount is between nothing and what it asked for.",
    }

    class Area(models.TextChoices):
        GOVERNANCE = "governance", "Leadership and management: governance"
        SENIOR = "senior", "Leadership and management: senior leadership"
        MIDDLE = "middle", "Leadership and management: middle leadership"
        LITERACY = "literacy", "Quality of teaching: literacy"
        NUMERACY = "numeracy", "Quality of teaching: numeracy"
        FOUNDATION = "foundation", "Quality of teaching: foundation subjects"
        TEACHING_EY = "teaching_early_years", "Quality of teaching: early years"
        TEACHING_OTHER = "teaching_other", "Quality of teaching: other"
        PERSONAL = "personal", "Personal development, behaviour and welfare"
        EARLY_YEARS = "early_years", "Early years"
        OTHER = "other", "Any other projects"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="lines")
    area = models.CharField(max_length=24, choices=Area.choices)
    description = models.TextField(blank=True)
    requested = money()
    approved = money(null=True, blank=True)
    # [{"staff_category", "unit", "quantity", "rate", "card_rate"}]: the costing from the rate card, when used.
    costing = models.JSONField(default=list, blank=True)
    paid_by_school = money(default=Decimal("0"), help_text="What is priced above the rate card.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(requested__gte=0), name="bid_line_requested_not_negative"),
            models.CheckConstraint(
                condition=models.Q(approved__isnull=True)
                | models.Q(approved__gte=0, approved__lte=models.F("requested")),
                name="bid_line_approved_within_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.requested}"


class BidMoney(TenantModel):
    """Money moved on a bid after its decision: devolved to the school, reported spent, asked back,
    repaid or written off. Amounts are positive; the kind says which way."""

    constraint_messages = {"bid_money_positive": "An amount of money moved must be more than nothing."}

    class Kind(models.TextChoices):
        DEVOLVED = "devolved", "Devolved to the school"
        SPENT = "spent", "Reported spent"
        REPAYMENT_REQUESTED = "repayment_requested", "Repayment requested"
        REPAID = "repaid", "Repaid"
        WRITTEN_OFF = "written_off", "Written off"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="money")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    amount = money()
    on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="bid_money_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class ConflictOfInterest(TenantModel):
    """A board member's declared conflict of interest in a bid: they are then excluded from deciding it."""

    constraint_messages = {"one_declaration_per_bid_and_person": "You have already declared an interest here."}

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "user"], name="one_declaration_per_bid_and_person")]

    def __str__(self) -> str:
        return f"{self.user} declared an interest in {self.bid}"


class ImpactReport(TenantModel):
    """A bid's funding impact report (Calderdale A2): each strategy with its timescale, impact, any
    deviation from the agreed provider with its rationale, and its planned and actual cost; the final
    impact summary. The officer's judgement of whether the minimum impact was met is the bid's
    ``minimum_impact_met``, set when they close it or record the meeting."""

    constraint_messages = {"one_impact_report_per_bid": "This bid already has its impact report."}

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="impact_reports")
    # [{"strategy", "timescale", "impact", "deviation", "rationale", "planned", "actual"}]
    strategies = models.JSONField(default=list)
    final_summary = models.TextField()
    filed_at = models.DateTimeField(auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid"], name="one_impact_report_per_bid")]

    def __str__(self) -> str:
        return f"Impact report of {self.bid}"

    @property
    def spent(self) -> Decimal:
        return sum((Decimal(s["actual"]) for s in self.strategies), Decimal("0"))


class ClusterPlan(TenantModel):
    """A cluster's plan for a year (Calderdale A3): its priorities, each with the EEF evidence, the funding
    it draws on, where the cluster is now, the outcomes sought (for pupils, processes and staff skills),
    actions, leads, monitoring and costs. Its March progress report and September impact report are due
    on dates fixed when the plan is made."""

    constraint_messages = {"one_cluster_plan_per_year": "The cluster already has a plan for this year."}

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="+")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])
    # [{"priority", "eef_reference", "funding", "where_we_are", "outcomes_pupils", "outcomes_processes",
    #   "outcomes_staff", "actions", "leads", "monitoring", "costs"}]
    priorities = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-academic_year", "cluster__name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "academic_year"], name="one_cluster_plan_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} plan {self.academic_year}"


class PlanReport(TenantModel):
    """One of a cluster plan's reports: the mid-year progress report (March) or the end-of-year impact
    report (September), due on its date; filed, or skipped with a reason."""

    constraint_messages = {"one_plan_report_of_each_kind": "The plan already has this report."}

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Mid-year progress report (March)"
        IMPACT = "impact", "End-of-year impact report (September)"

    plan = models.ForeignKey(ClusterPlan, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    text = models.TextField(blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skipped_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="one_plan_report_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.plan}"

    def status(self, today) -> str:
        """In words: filed, skipped, overdue or due."""
        if self.filed_at:
            return "Filed"
        if self.skipped_reason:
            return "Skipped"
        return "Overdue" if today > self.due_on else "Due"
