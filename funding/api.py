"""The funding API: funds with their figures and allocations, the rate card, and bids (create, list, read)
with one endpoint per action, ``POST bids/<id>/actions/<action>/``. Each calls the same service as the
pages; a refusal answers 403 (you may not, with why) or 409 (not now, with why), never 500."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from schools.api import LIST_RESPONSES, PARTNERSHIP, ErrorSerializer, StrictPagination
from schools.models import Cluster, School

from . import money, selectors, services
from .models import Bid, BidLine, Fund, RateCardRow
from .workflow import BY_ACTION, STATES, available_from

MONEY = {"max_digits": 12, "decimal_places": 2}


class FiguresSerializer(serializers.Serializer):
    budget = serializers.DecimalField(**MONEY)
    allocated = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY, help_text="Approved and not yet devolved.")
    devolved = serializers.DecimalField(**MONEY, help_text="Paid to schools.")
    spent = serializers.DecimalField(**MONEY, help_text="Reported spent in impact reports.")
    repayable = serializers.DecimalField(**MONEY, help_text="Asked back and not yet repaid or written off.")
    available = serializers.DecimalField(**MONEY, help_text="What the board may still approve.")


class FundSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid")
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ["id", "name", "academic_year", "financial_year", "budget", "figures"]

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, fund):
        return FiguresSerializer(money.fund_figures(fund)).data


class AllocationSerializer(serializers.Serializer):
    cluster = serializers.CharField(source="cluster.slug")
    cluster_name = serializers.CharField(source="cluster.name")
    pupils = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    working = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class AllocationsSerializer(serializers.Serializer):
    fund = serializers.UUIDField(source="fund.uuid")
    version = serializers.IntegerField(allow_null=True)
    formula_version = serializers.IntegerField(allow_null=True)
    pupil_source = serializers.CharField()
    pupils_counted_on = serializers.DateField(allow_null=True)
    total = serializers.DecimalField(**MONEY)
    allocations = AllocationSerializer(many=True)


class RateSerializer(serializers.ModelSerializer):
    class Meta:
        model = RateCardRow
        fields = ["staff_category", "unit", "rate", "valid_from"]


class LineSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True, help_text="The line's id, stable once submitted.")

    class Meta:
        model = BidLine
        fields = ["id", "area", "description", "requested", "approved", "paid_by_school"]


class BidSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid")
    fund = serializers.UUIDField(source="fund.uuid")
    school = serializers.CharField(source="school.urn", allow_null=True, help_text="The school's URN.")
    cluster = serializers.CharField(source="cluster.slug", allow_null=True)
    state_label = serializers.SerializerMethodField()
    lines = LineSerializer(many=True)
    actions = serializers.SerializerMethodField(help_text="The actions the bid's state allows (to someone).")
    priority = serializers.SerializerMethodField(
        help_text="From a school whose latest confirmed category, as you may see it, is a priority one."
    )

    class Meta:
        model = Bid
        fields = [
            "id",
            "fund",
            "title",
            "state",
            "state_label",
            "applicant",
            "school",
            "cluster",
            "period_terms",
            "purpose",
            "reason",
            "success_criteria",
            "decided_terms",
            "conditions",
            "meeting_date",
            "lines",
            "actions",
            "priority",
        ]

    def get_state_label(self, bid) -> str:
        return STATES[bid.state]

    def get_actions(self, bid) -> list[str]:
        return [t.action for t in available_from(bid.state)]

    def get_priority(self, bid) -> bool:
        return bid.pk in self.context.get("priority", ())


class ProviderInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=services.PROVIDER_CHOICES)
    name = serializers.CharField(max_length=200)


class ItemInput(serializers.Serializer):
    staff_category = serializers.CharField(max_length=80)
    unit = serializers.ChoiceField(choices=RateCardRow.Unit.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=1000)
    rate = serializers.DecimalField(
        **MONEY, min_value=0, required=False, help_text="The price asked, if not the card's."
    )


class LineInput(serializers.Serializer):
    id = serializers.UUIDField(required=False, help_text="An existing line's id, to change that line.")
    area = serializers.ChoiceField(choices=BidLine.Area.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    requested = serializers.DecimalField(**MONEY, min_value=0, required=False)
    items = ItemInput(many=True, required=False, help_text="Cost the line from the rate card instead.")


def _text(**kwargs):
    return serializers.CharField(max_length=5000, required=False, allow_blank=True, **kwargs)


class BidInput(serializers.Serializer):
    fund = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    school = serializers.CharField(max_length=10, required=False, help_text="The school's URN.")
    cluster = serializers.CharField(max_length=80, required=False, help_text="A cluster bid's cluster slug.")
    period_terms = serializers.IntegerField(min_value=1, max_value=3, default=1)
    purpose = _text()
    reason = _text()
    budget_position = _text()
    match_funding = serializers.DecimalField(**MONEY, min_value=0, required=False)
    providers = ProviderInput(many=True, required=False)
    provider_order_reason = _text()
    procurement_reason = _text()
    quotes_received = serializers.IntegerField(min_value=0, max_value=100, required=False)
    quotes_missing_reason = _text()
    success_criteria = _text()
    monitoring_how = _text()
    monitoring_when = _text()
    monitoring_who = _text()
    eef_links = _text()
    other_funding = _text()
    lines = LineInput(many=True, min_length=1)


class StrategyInput(serializers.Serializer):
    strategy = serializers.CharField(max_length=2000)
    timescale = serializers.CharField(max_length=2000)
    impact = serializers.CharField(max_length=5000)
    deviation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    rationale = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    planned = serializers.DecimalField(**MONEY, min_value=0)
    actual = serializers.DecimalField(**MONEY, min_value=0)


class ImpactInput(serializers.Serializer):
    final_summary = serializers.CharField(max_length=5000)
    strategies = StrategyInput(many=True, min_length=1)


class ActionInput(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    amounts = serializers.DictField(
        child=serializers.DecimalField(**MONEY, min_value=0),
        required=False,
        help_text="For part_approve: the amount approved per line id.",
    )
    terms = serializers.IntegerField(min_value=1, max_value=3, required=False)
    conditions = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    meeting_date = serializers.DateField(required=False)
    amount = serializers.DecimalField(
        **MONEY, min_value=0, required=False, help_text="For devolve and request_repayment."
    )
    report = ImpactInput(required=False, help_text="For report_impact: the funding impact report (A2).")


def _refusal(exc) -> Response:
    if isinstance(exc, DjangoPermissionDenied):
        raise exceptions.PermissionDenied(str(exc) or "You may not do this.")
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)


REFUSED = {
    (403, "application/json"): OpenApiResponse(ErrorSerializer, description="Not allowed, with the reason."),
    (409, "application/json"): OpenApiResponse(ErrorSerializer, description="Not possible now, with the reason."),
}
FUND_ID = OpenApiParameter("fund_id", str, OpenApiParameter.PATH, description="The fund's id.")
BID_ID = OpenApiParameter("bid_id", str, OpenApiParameter.PATH, description="The bid's id.")
ACTION = OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(BY_ACTION), description="What to do.")


@extend_schema_view(
    get=extend_schema(
        parameters=[PARTNERSHIP],
        responses={200: FundSerializer(many=True), **LIST_RESPONSES},
        description="The partnership's funds, each with its figures now.",
    )
)
class FundListView(generics.ListAPIView):
    serializer_class = FundSerializer
    pagination_class = StrictPagination
    queryset = Fund.objects.none()

    def get_queryset(self):
        return selectors.funds_of(self.request.partnership)


@extend_schema_view(
    get=extend_schema(
        parameters=[PARTNERSHIP, FUND_ID],
        responses={200: AllocationsSerializer, **LIST_RESPONSES},
        description="The fund's current cluster allocations (its newest locked version), with the working of each.",
    )
)
class FundAllocationsView(generics.GenericAPIView):
    serializer_class = AllocationsSerializer
    queryset = Fund.objects.none()

    def get(self, request, partnership_slug, fund_id):
        fund = selectors.funds_of(request.partnership).filter(uuid=fund_id).first()
        if fund is None:
            raise Http404
        run = money.current_allocation(fund)
        data = {
            "fund": fund,
            "version": run.version if run else None,
            "formula_version": run.formula.version if run else None,
            "pupil_source": run.pupil_source if run else "",
            "pupils_counted_on": run.pupils_counted_on if run else None,
            "total": run.total if run else 0,
            "allocations": list(run.allocations.select_related("cluster")) if run else [],
        }
        return Response(AllocationsSerializer(data).data)


@extend_schema_view(
    get=extend_schema(
        parameters=[PARTNERSHIP],
        responses={200: RateSerializer(many=True), **LIST_RESPONSES},
        description="The partnership's rate card: each charge from its date.",
    )
)
class RateCardView(generics.ListAPIView):
    serializer_class = RateSerializer
    pagination_class = StrictPagination
    queryset = RateCardRow.objects.none()

    def get_queryset(self):
        return selectors.rate_card(self.request.partnership)


def _shown(request, bids, *, many: bool = False):
    """Bids as the person sees them, each marked priority or not by what they may see of its school."""
    bids_list = list(bids) if many else [bids]
    priority = selectors.priority_bids(
        bids_list, partnership=request.partnership, roles=request.roles, memberships=request.memberships
    )
    return BidSerializer(bids_list if many else bids, many=many, context={"priority": priority}).data


def _bids(request):
    return selectors.bids_for(request.partnership, request.user, request.roles, request.memberships).prefetch_related(
        "lines"
    )


@extend_schema_view(
    get=extend_schema(
        parameters=[PARTNERSHIP],
        responses={200: BidSerializer(many=True), **LIST_RESPONSES},
        description="The bids you may see.",
    ),
    post=extend_schema(
        parameters=[PARTNERSHIP],
        request=BidInput,
        responses={201: BidSerializer, **LIST_RESPONSES, **REFUSED},
        description="Start a draft bid with its lines.",
    ),
)
class BidListView(generics.ListCreateAPIView):
    serializer_class = BidSerializer
    pagination_class = StrictPagination
    queryset = Bid.objects.none()

    def get_queryset(self):
        return _bids(self.request)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(_shown(request, page, many=True))

    def create(self, request, *args, **kwargs):
        given = BidInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        partnership = request.partnership
        fund = selectors.funds_of(partnership).filter(uuid=data.pop("fund")).first()
        if fund is None:
            raise exceptions.ValidationError({"fund": ["The partnership has no such fund."]})
        school = cluster = None
        if "school" in data:
            school = School.objects.for_partnership(partnership).filter(urn=data.pop("school")).first()
            if school is None:
                raise exceptions.ValidationError({"school": ["The partnership has no school with this URN."]})
        if "cluster" in data:
            cluster = Cluster.objects.for_partnership(partnership).filter(slug=data.pop("cluster")).first()
            if cluster is None:
                raise exceptions.ValidationError({"cluster": ["The partnership has no such cluster."]})
        lines = [{**line, "id": str(line["id"]) if line.get("id") else None} for line in data.pop("lines")]
        try:
            bid = services.bid_create(
                actor=request.user, fund=fund, school=school, cluster=cluster, lines=lines, **data
            )
        except ValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}) from None
        except DjangoPermissionDenied as exc:
            return _refusal(exc)
        return Response(_shown(request, bid), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        parameters=[PARTNERSHIP, BID_ID],
        responses={200: BidSerializer, **LIST_RESPONSES},
        description="One bid with its lines.",
    )
)
class BidDetailView(generics.GenericAPIView):
    serializer_class = BidSerializer
    queryset = Bid.objects.none()

    def get(self, request, partnership_slug, bid_id):
        return Response(_shown(request, _bid(request, bid_id)))


def _bid(request, bid_id) -> Bid:
    bid = _bids(request).filter(uuid=bid_id).first()
    if bid is None:
        raise Http404
    return bid


@extend_schema_view(
    post=extend_schema(
        parameters=[PARTNERSHIP, BID_ID, ACTION],
        request=ActionInput,
        responses={200: BidSerializer, **LIST_RESPONSES, **REFUSED},
        description="Take an action on the bid (funding/workflow.py): submit, withdraw, return, "
        "endorse, approve, part_approve (with an amount per line id), reject, devolve, "
        "report_impact, close, hold_meeting, request_repayment, record_repaid, write_off. "
        "A refusal answers 403 or 409 with the reason.",
    )
)
class BidActionView(generics.GenericAPIView):
    serializer_class = ActionInput
    queryset = Bid.objects.none()

    def post(self, request, partnership_slug, bid_id, action):
        bid = _bid(request, bid_id)
        if action not in BY_ACTION:
            raise Http404
        given = ActionInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            bid = services.bid_transition(
                actor=request.user,
                bid=bid,
                action=action,
                reason=data.get("reason", ""),
                amounts=data.get("amounts"),
                terms=data.get("terms"),
                conditions=data.get("conditions", ""),
                meeting_date=data.get("meeting_date"),
                amount=data.get("amount"),
                report=data.get("report"),
            )
        except (DjangoPermissionDenied, ValidationError) as exc:
            return _refusal(exc)
        return Response(_shown(request, _bids(request).get(pk=bid.pk)))
