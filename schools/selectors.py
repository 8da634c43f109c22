"""Reads of schools and clusters, always within one partnership."""

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from partnership.models import Partnership

from .models import Cluster, ClusterMembership, School


def school_list(partnership: Partnership) -> QuerySet[School]:
    return School.objects.for_partnership(partnership)


def get_school(partnership: Partnership, urn: str) -> School:
    return get_object_or_404(school_list(partnership), urn=urn)


def cluster_list(partnership: Partnership) -> QuerySet[Cluster]:
    full = Q(members__kind=ClusterMembership.Kind.FULL)
    return Cluster.objects.for_partnership(partnership).annotate(
        full_members=Count("members", filter=full),
        associate_members=Count("members", filter=Q(members__kind=ClusterMembership.Kind.ASSOCIATE)),
        pupils=Sum("members__school__pupils", filter=full),
    )


def get_cluster(partnership: Partnership, slug: str) -> Cluster:
    return get_object_or_404(cluster_list(partnership), slug=slug)


def cluster_members(cluster: Cluster) -> QuerySet[ClusterMembership]:
    return (
        ClusterMembership.objects.for_partnership(cluster.partnership)
        .filter(cluster=cluster)
        .select_related("school")
        .order_by("kind", "school__name")
    )


def school_clusters(school: School) -> QuerySet[ClusterMembership]:
    return (
        ClusterMembership.objects.for_partnership(school.partnership)
        .filter(school=school)
        .select_related("cluster")
        .order_by("kind", "cluster__name")
    )
