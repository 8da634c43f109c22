"""Read-only API for schools, clusters, inspections, results and benchmarks of one partnership, and for
the schools' protected data: the LA's judgements and categorisation results.

Every view resolves the partnership from /api/p/<partnership_slug>/ after authentication
(TenantAPIMixin): an outsider and a missing partnership both get 404; querysets come from selectors.
Public data (school details, Ofsted, published results) is open to every member. Protected data follows
the sharing rules (partnership.sharing): lists hold only the schools the caller has full access to; a
school's own protected endpoint answers 403 with the reason to a caller with headline access only; every
school whose protected data is returned is logged for its data controller.
"""

from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from categorisation.models import Result
from categorisation.selectors import sees_unrevealed
from partnership.api import TenantAPIMixin
from partnership.services import log_data_view, log_data_views
from partnership.sharing import access_for, accesses_for

from . import judgements, selectors
from .exports import JUDGEMENT_COLUMNS
from .models import (
    SCHOOL_DATA_FIELDS,
    Benchmark,
    Cluster,
    ClusterMembership,
    Inspection,
    LocalIndicator,
    PerformanceResult,
    Phase,
    School,
    SchoolType,
)

MEASURES = [
    "eyfs_gld_pct",
    "phonics_pct",
    "ks2_pupils",
    "ks2_rwm_expected_pct",
    "ks2_rwm_high_pct",
    "ks2_progress_reading",
    "ks2_progress_writing",
    "ks2_progress_maths",
    "ks4_pupils",
    "attainment8",
    "progress8",
    "p8_ci_lower",
    "p8_ci_upper",
    "ks4_basics_95_pct",
    "attendance_pct",
    "persistent_absence_pct",
    "suspensions_rate",
    "permanent_exclusions",
]


class StrictPagination(PageNumberPagination):
    """Pages by number only: an empty or non-numeric page is a 404, as its schema (an integer) says."""

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is not None and not value.isdigit():
            raise NotFound("Invalid page.")
        return super().get_page_number(request, paginator)


ErrorSerializer = inline_serializer("Error", fields={"detail": serializers.CharField()})
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such partnership, object or page; or not yours.")
BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="A filter value is not valid.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in: send a token or a session cookie.")
PARTNERSHIP = OpenApiParameter(
    "partnership_slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=r"^[-a-zA-Z0-9_]+$",
    description="The partnership's slug.",
)
URN = OpenApiParameter(
    "urn", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[^/]+$", description="The school's DfE URN."
)
CLUSTER = OpenApiParameter(
    "cluster_slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=r"^[-a-zA-Z0-9_]+$",
    description="The cluster's slug.",
)
# A path that matches no route at all (say a slug with a space) gets the site's HTML 404 page.
HTML_NOT_FOUND = OpenApiResponse(OpenApiTypes.STR, description="The path matches no route: the site's 404 page.")


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["urn", *SCHOOL_DATA_FIELDS]


class SchoolClusterSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="cluster.slug")
    name = serializers.CharField(source="cluster.name")

    class Meta:
        model = ClusterMembership
        fields = ["slug", "name", "kind"]


class SchoolDetailSerializer(SchoolSerializer):
    clusters = SchoolClusterSerializer(source="cluster_memberships", many=True)

    class Meta(SchoolSerializer.Meta):
        fields = [*SchoolSerializer.Meta.fields, "clusters"]


GRADE_HELP = "1 Outstanding, 2 Good, 3 Requires improvement (or Satisfactory before 2012), 4 Inadequate; null if none."


class InspectionSerializer(serializers.ModelSerializer):
    urn = serializers.CharField(source="school.urn")
    overall_grade = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, help_text=GRADE_HELP)
    leadership_grade = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, help_text=GRADE_HELP)

    class Meta:
        model = Inspection
        fields = [
            "urn",
            "inspection_date",
            "inspection_type",
            "overall_grade",
            "leadership_grade",
            "safeguarding_effective",
            "category",
            "source",
        ]


class ResultSerializer(serializers.ModelSerializer):
    urn = serializers.CharField(source="school.urn")

    class Meta:
        model = PerformanceResult
        fields = ["urn", "academic_year", *MEASURES, "source"]


class BenchmarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Benchmark
        fields = ["level", "code", "academic_year", *MEASURES, "source"]


class ClusterSerializer(serializers.ModelSerializer):
    full_members = serializers.IntegerField()
    associate_members = serializers.IntegerField()
    pupils = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Cluster
        fields = ["slug", "name", "full_members", "associate_members", "pupils"]


class ClusterMemberSerializer(serializers.ModelSerializer):
    urn = serializers.CharField(source="school.urn")
    name = serializers.CharField(source="school.name")

    class Meta:
        model = ClusterMembership
        fields = ["urn", "name", "kind"]


class ClusterDetailSerializer(ClusterSerializer):
    members = serializers.SerializerMethodField()

    class Meta(ClusterSerializer.Meta):
        fields = [*ClusterSerializer.Meta.fields, "members"]

    @extend_schema_field(ClusterMemberSerializer(many=True))
    def get_members(self, cluster):
        return ClusterMemberSerializer(selectors.cluster_members(cluster), many=True).data


class SchoolFilter(filters.FilterSet):
    phase = filters.ChoiceFilter(choices=Phase.choices)
    school_type = filters.ChoiceFilter(choices=SchoolType.choices)
    cluster = filters.CharFilter(
        field_name="cluster_memberships__cluster__slug",
        distinct=True,
        help_text="A cluster's slug: its full and associate members.",
    )
    q = filters.CharFilter(method="search", help_text="Part of the name, or the URN.")

    class Meta:
        model = School
        fields = ["phase", "school_type", "cluster", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(urn=value))


class ByUrnYearFilter(filters.FilterSet):
    urn = filters.CharFilter(field_name="school__urn", help_text="Only this school's rows.")
    academic_year = filters.CharFilter(help_text="Only this academic year, e.g. 2018-19.")


class InspectionFilter(filters.FilterSet):
    urn = filters.CharFilter(field_name="school__urn", help_text="Only this school's inspections.")
    overall_grade = filters.NumberFilter()

    class Meta:
        model = Inspection
        fields = ["urn", "overall_grade"]


class ResultFilter(ByUrnYearFilter):
    class Meta:
        model = PerformanceResult
        fields = ["urn", "academic_year"]


class BenchmarkFilter(filters.FilterSet):
    academic_year = filters.CharFilter()
    level = filters.ChoiceFilter(choices=Benchmark.Level.choices)

    class Meta:
        model = Benchmark
        fields = ["academic_year", "level"]


DETAIL_RESPONSES = {
    (401, "application/json"): UNAUTHENTICATED,
    (403, "application/json"): UNAUTHENTICATED,
    (404, "application/json"): NOT_FOUND,
    (404, "text/html"): HTML_NOT_FOUND,
}
LIST_RESPONSES = {(400, "application/json"): BAD_REQUEST, **DETAIL_RESPONSES}


def _list(serializer, description):
    return extend_schema_view(
        get=extend_schema(
            parameters=[PARTNERSHIP],
            description=description,
            responses={(200, "application/json"): serializer(many=True), **LIST_RESPONSES},
        )
    )


def _detail(serializer, description, *params):
    return extend_schema_view(
        get=extend_schema(
            parameters=[PARTNERSHIP, *params],
            description=description,
            responses={(200, "application/json"): serializer, **DETAIL_RESPONSES},
        )
    )


@_list(SchoolSerializer, "The partnership's schools.")
class SchoolListView(TenantAPIMixin, generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = School.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter

    def get_queryset(self):
        return selectors.school_list(self.request.partnership).order_by("name", "urn")


@_detail(SchoolDetailSerializer, "One school of the partnership, with its clusters.", URN)
class SchoolDetailView(TenantAPIMixin, generics.RetrieveAPIView):
    queryset = School.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = SchoolDetailSerializer

    def get_object(self):
        school = selectors.get_school(self.request.partnership, self.kwargs["urn"])
        school._prefetched_objects_cache = {"cluster_memberships": selectors.school_clusters(school)}
        return school


@_list(InspectionSerializer, "Ofsted inspections of the partnership's schools, newest first per school.")
class InspectionListView(TenantAPIMixin, generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = Inspection.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter

    def get_queryset(self):
        return selectors.inspection_list(self.request.partnership)


@_list(ResultSerializer, "Published results per school and academic year; null where not published or suppressed.")
class ResultListView(TenantAPIMixin, generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = PerformanceResult.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = ResultSerializer
    filterset_class = ResultFilter

    def get_queryset(self):
        return selectors.result_list(self.request.partnership)


@_list(BenchmarkSerializer, "LA, regional and England figures from the performance tables.")
class BenchmarkListView(TenantAPIMixin, generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = Benchmark.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = BenchmarkSerializer
    filterset_class = BenchmarkFilter

    def get_queryset(self):
        return selectors.benchmark_list(self.request.partnership).order_by("academic_year", "level", "code")


@_list(ClusterSerializer, "The partnership's clusters with member counts and pupils of full members.")
class ClusterListView(TenantAPIMixin, generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = Cluster.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = ClusterSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.cluster_list(self.request.partnership).order_by("name", "slug")


@_detail(ClusterDetailSerializer, "One cluster with its members.", CLUSTER)
class ClusterDetailView(TenantAPIMixin, generics.RetrieveAPIView):
    queryset = Cluster.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = ClusterDetailSerializer

    def get_object(self):
        return selectors.get_cluster(self.request.partnership, self.kwargs["cluster_slug"])


# ---- protected data: the LA's judgements and categorisation results (full access only) ----------------


class JudgementSerializer(serializers.ModelSerializer):
    urn = serializers.CharField(source="school.urn")
    self_evaluation_grade = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, help_text=GRADE_HELP)
    sef_validated_grade = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, help_text=GRADE_HELP)
    likely_next_ofsted_grade = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, help_text=GRADE_HELP)

    class Meta:
        model = LocalIndicator
        fields = ["urn", "academic_year", *JUDGEMENT_COLUMNS, "source"]


class CategorisationSerializer(serializers.ModelSerializer):
    urn = serializers.CharField(source="school.urn")
    framework = serializers.CharField(source="framework_version.framework.slug", help_text="The framework's slug.")
    framework_version = serializers.IntegerField(source="framework_version.number")
    run = serializers.UUIDField(source="run.uuid", help_text="The categorisation run that produced the result.")
    category = serializers.CharField(
        allow_null=True, help_text="The category agreed in moderation if any, else the computed one; null if none."
    )

    class Meta:
        model = Result
        fields = [
            "urn",
            "academic_year",
            "framework",
            "framework_version",
            "run",
            "status",
            "category",
            "computed_category",
            "final_category",
            "tib",
            "reasons",
            "criteria_met",
            "missing",
            "computed_at",
            "confirmed_at",
        ]


class SchoolJudgementsSerializer(serializers.Serializer):
    urn = serializers.CharField()
    name = serializers.CharField()
    access_because = serializers.CharField(help_text="The sharing rule that lets you see this school's data.")
    judgements = JudgementSerializer(many=True, help_text="Newest academic year first.")


class SchoolCategorisationsSerializer(serializers.Serializer):
    urn = serializers.CharField()
    name = serializers.CharField()
    access_because = serializers.CharField(help_text="The sharing rule that lets you see this school's data.")
    results = CategorisationSerializer(many=True, help_text="Results of finished runs, newest run first.")


class JudgementFilter(ByUrnYearFilter):
    class Meta:
        model = LocalIndicator
        fields = ["urn", "academic_year"]


class CategorisationFilter(ByUrnYearFilter):
    status = filters.ChoiceFilter(choices=Result.Status.choices)

    class Meta:
        model = Result
        fields = ["urn", "academic_year", "status"]


PROTECTED_FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="Not signed in; or you may see this school's headline data but not its protected data: the "
    "detail says why.",
)
PROTECTED_RESPONSES = {**DETAIL_RESPONSES, (403, "application/json"): PROTECTED_FORBIDDEN}


class ProtectedListView(TenantAPIMixin, generics.ListAPIView):
    """A list of protected rows: only the schools the caller has full access to, each school on the page
    logged once for its data controller."""

    pagination_class = StrictPagination
    log_what = ""

    def protected_queryset(self, school_ids):
        raise NotImplementedError

    def get_queryset(self):
        self.accesses = accesses_for(self.request.user, self.request.partnership)
        return self.protected_queryset(judgements.full_ids(self.accesses))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_data_views(request.user, request.partnership, self.accesses, [row.school_id for row in page], self.log_what)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@_list(
    JudgementSerializer,
    "The LA's judgements of the schools whose protected data you may see (full access), one row per school "
    "and academic year. Schools you see at headline only are left out. Each school returned is logged.",
)
class JudgementListView(ProtectedListView):
    queryset = LocalIndicator.objects.none()  # for the schema only: get_queryset follows the sharing rules
    serializer_class = JudgementSerializer
    filterset_class = JudgementFilter
    log_what = "API: LA judgements"

    def protected_queryset(self, school_ids):
        return judgements.judgement_list(self.request.partnership, school_ids)


@_list(
    CategorisationSerializer,
    "Categorisation results from finished runs for the schools whose protected data you may see (full "
    "access). Schools you see at headline only are left out. Each school returned is logged.",
)
class CategorisationListView(ProtectedListView):
    queryset = Result.objects.none()  # for the schema only: get_queryset follows the sharing rules
    serializer_class = CategorisationSerializer
    filterset_class = CategorisationFilter
    log_what = "API: categorisation results"

    def protected_queryset(self, school_ids):
        return judgements.categorisation_list(
            self.request.partnership, school_ids, to_officer=sees_unrevealed(self.request.roles)
        )


class ProtectedSchoolView(TenantAPIMixin, generics.GenericAPIView):
    """One school's protected rows: 404 for a school outside the partnership, 403 with the reason for a
    caller with headline access only, else the rows, and the view logged."""

    queryset = School.objects.none()  # for the schema only
    what = ""
    key = ""
    row_serializer = serializers.Serializer

    def rows(self, school):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        school = selectors.get_school(request.partnership, self.kwargs["urn"])
        access = access_for(request.user, school)
        if not access.is_full:
            raise PermissionDenied(
                f"You may see {school.name}'s headline data but not its {self.what}: {access.sentence}"
            )
        log_data_view(request.user, school, f"API: {self.what}", access=access)
        rows = self.row_serializer(self.rows(school), many=True).data
        return Response({"urn": school.urn, "name": school.name, "access_because": access.because, self.key: rows})


def _protected_detail(serializer, description):
    return extend_schema_view(
        get=extend_schema(
            parameters=[PARTNERSHIP, URN],
            description=description,
            responses={(200, "application/json"): serializer, **PROTECTED_RESPONSES},
        )
    )


@_protected_detail(
    SchoolJudgementsSerializer,
    "One school's LA judgements, newest year first: with full access to the school's data only (403 and the "
    "reason otherwise). The view is logged for the school's data controller.",
)
class SchoolJudgementsView(ProtectedSchoolView):
    serializer_class = SchoolJudgementsSerializer
    row_serializer = JudgementSerializer
    what = "LA judgements"
    key = "judgements"

    def rows(self, school):
        return judgements.judgement_list(self.request.partnership, [school.pk])


@_protected_detail(
    SchoolCategorisationsSerializer,
    "One school's categorisation results from finished runs, newest first: with full access to the school's "
    "data only (403 and the reason otherwise). The view is logged for the school's data controller.",
)
class SchoolCategorisationsView(ProtectedSchoolView):
    serializer_class = SchoolCategorisationsSerializer
    row_serializer = CategorisationSerializer
    what = "categorisation results"
    key = "results"

    def rows(self, school):
        return judgements.categorisation_list(
            self.request.partnership, [school.pk], to_officer=sees_unrevealed(self.request.roles)
        )
