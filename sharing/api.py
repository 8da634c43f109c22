"""The API of the schools' protected data (memorandum 3.1), beside the rules that guard it: the LA's
judgements here, categorisation results in categorisation/api.py, both on the protected views below.

Lists hold only the schools the caller has full access to; a school's own protected endpoint answers 403
with the reason to a caller with headline access only; every school whose protected data is returned is
logged for its data controller.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from schools import selectors
from schools.api import (
    DETAIL_RESPONSES,
    GRADE_HELP,
    PARTNERSHIP,
    URN,
    ByUrnYearFilter,
    ErrorSerializer,
    StrictPagination,
    _list,
)
from schools.models import LocalIndicator, School
from schools.selectors import JUDGEMENT_COLUMNS

from .grants import access_for, accesses_for, full_ids
from .services import log_data_view, log_data_views


class JudgementSerializer(serializers.ModelSerializer):
    urn = serializers.CharField(source="school.urn")
    self_evaluation_grade = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, help_text=GRADE_HELP)
    sef_validated_grade = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, help_text=GRADE_HELP)
    likely_next_ofsted_grade = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, help_text=GRADE_HELP)

    class Meta:
        model = LocalIndicator
        fields = ["urn", "academic_year", *JUDGEMENT_COLUMNS, "source"]


class SchoolJudgementsSerializer(serializers.Serializer):
    urn = serializers.CharField()
    name = serializers.CharField()
    access_because = serializers.CharField(help_text="The sharing rule that lets you see this school's data.")
    judgements = JudgementSerializer(many=True, help_text="Newest academic year first.")


class JudgementFilter(ByUrnYearFilter):
    class Meta:
        model = LocalIndicator
        fields = ["urn", "academic_year"]


PROTECTED_FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="Not signed in; or you may see this school's headline data but not its protected data: the "
    "detail says why.",
)
PROTECTED_RESPONSES = {**DETAIL_RESPONSES, (403, "application/json"): PROTECTED_FORBIDDEN}


class ProtectedListView(generics.ListAPIView):
    """A list of protected rows: only the schools the caller has full access to, each school on the page
    logged once for its data controller."""

    pagination_class = StrictPagination
    log_what = ""

    def protected_queryset(self, school_ids):
        raise NotImplementedError

    def get_queryset(self):
        self.accesses = accesses_for(self.request.user, self.request.partnership)
        return self.protected_queryset(full_ids(self.accesses))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_data_views(request.user, request.partnership, self.accesses, [row.school_id for row in page], self.log_what)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProtectedSchoolView(generics.GenericAPIView):
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
        access = access_for(request.user, school, explained=True)
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
        return selectors.judgement_list(self.request.partnership, school_ids)


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
        return selectors.judgement_list(self.request.partnership, [school.pk])
