from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from people.models import Membership
from people.selectors import my_memberships


class MembershipSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partnership_name = serializers.CharField(source="partnership.name", read_only=True)
    school_urn = serializers.CharField(source="school.urn", read_only=True, allow_null=True, default=None)
    cluster_slug = serializers.CharField(source="cluster.slug", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Membership
        fields = ["uuid", "partnership", "partnership_name", "role", "school_urn", "cluster_slug"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    is_platform_admin = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    """The signed-in person and the roles they hold in each partnership."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        memberships = list(my_memberships(request.user))
        data = {
            "username": request.user.username,
            "is_platform_admin": request.user.is_superuser,
            "memberships": memberships,
        }
        return Response(MeSerializer(data).data)
