"""The API of categorisation results: a school's protected data, on the protected views of sharing/api.py
(full access only; each school returned logged), showing only what ``selectors.revealed`` lets the caller see."""

from django_filters import rest_framework as filters
from rest_framework import serializers

from schools.api import ByUrnYearFilter, _list
from sharing.api import ProtectedListView, ProtectedSchoolView, _protected_detail

from .models import Result
from .selectors import categorisation_list, own_school_ids, sees_unrevealed


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


class SchoolCategorisationsSerializer(serializers.Serializer):
    urn = serializers.CharField()
    name = serializers.CharField()
    access_because = serializers.CharField(help_text="The sharing rule that lets you see this school's data.")
    results = CategorisationSerializer(many=True, help_text="Results of finished runs, newest run first.")


class CategorisationFilter(ByUrnYearFilter):
    status = filters.ChoiceFilter(choices=Result.Status.choices)

    class Meta:
        model = Result
        fields = ["urn", "academic_year", "status"]


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
        return categorisation_list(
            self.request.partnership,
            school_ids,
            to_officer=sees_unrevealed(self.request.roles),
            own=own_school_ids(self.request.memberships),
        )


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
        return categorisation_list(
            self.request.partnership,
            [school.pk],
            to_officer=sees_unrevealed(self.request.roles),
            own=own_school_ids(self.request.memberships),
        )
