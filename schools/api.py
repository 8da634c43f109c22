"""Read-only API for schools, clusters, inspections, results and benchmarks of one partnership: public data,
open to every member. The schools' protected data has its API beside the rules that guard it
(sharing/api.py for the LA's judgements, categorisation/api.py for categorisation results), built on
the helpers here.

Every view resolves the partnership from /api/p/<partnership_slug>/ after authentication
(people.permissions.PartnershipMember, the default permission class): an outsider and a missing partnership
both get 404; querysets come from selectors.
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
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from . import selectors
from .models import (
    SCHOOL_DATA_FIELDS,
    Benchmark,
    Cluster,
    ClusterMembership,
    Inspection,
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
class SchoolListView(generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = School.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter

    def get_queryset(self):
        return selectors.school_list(self.request.partnership).order_by("name", "urn")


@_detail(SchoolDetailSerializer, "One school of the partnership, with its clusters.", URN)
class SchoolDetailView(generics.RetrieveAPIView):
    queryset = School.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = SchoolDetailSerializer

    def get_object(self):
        school = selectors.get_school(self.request.partnership, self.kwargs["urn"])
        school._prefetched_objects_cache = {"cluster_memberships": selectors.school_clusters(school)}
        return school


@_list(InspectionSerializer, "Ofsted inspections of the partnership's schools, newest first per school.")
class InspectionListView(generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = Inspection.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter

    def get_queryset(self):
        return selectors.inspection_list(self.request.partnership)


@_list(ResultSerializer, "Published results per school and academic year; null where not published or suppressed.")
class ResultListView(generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = PerformanceResult.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = ResultSerializer
    filterset_class = ResultFilter

    def get_queryset(self):
        return selectors.result_list(self.request.partnership)


@_list(BenchmarkSerializer, "LA, regional and England figures from the performance tables.")
class BenchmarkListView(generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = Benchmark.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = BenchmarkSerializer
    filterset_class = BenchmarkFilter

    def get_queryset(self):
        return selectors.benchmark_list(self.request.partnership).order_by("academic_year", "level", "code")


@_list(ClusterSerializer, "The partnership's clusters with member counts and pupils of full members.")
class ClusterListView(generics.ListAPIView):
    pagination_class = StrictPagination
    queryset = Cluster.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = ClusterSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.cluster_list(self.request.partnership).order_by("name", "slug")


@_detail(ClusterDetailSerializer, "One cluster with its members.", CLUSTER)
class ClusterDetailView(generics.RetrieveAPIView):
    queryset = Cluster.objects.none()  # for the schema only: get_queryset scopes to the partnership
    serializer_class = ClusterDetailSerializer

    def get_object(self):
        return selectors.get_cluster(self.request.partnership, self.kwargs["cluster_slug"])
