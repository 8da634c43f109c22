from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from partnership.roles import PLATFORM_ADMIN, Role
from partnership.selectors import audit_for_object

from . import selectors

AUDIT_READERS = {Role.OFFICER, PLATFORM_ADMIN}


def school_list(request, partnership_slug):
    schools = selectors.school_list(request.partnership)
    query = request.GET.get("q", "").strip()
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(urn=query))
    page = Paginator(schools, 50).get_page(request.GET.get("page"))
    return render(request, "schools/school_list.html", {"page": page, "q": query})


def school_detail(request, partnership_slug, urn):
    school = selectors.get_school(request.partnership, urn)
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "clusters": selectors.school_clusters(school),
            "audit": audit_for_object(request.partnership, school) if AUDIT_READERS & request.roles else None,
        },
    )


def cluster_list(request, partnership_slug):
    return render(request, "schools/cluster_list.html", {"clusters": selectors.cluster_list(request.partnership)})


def cluster_detail(request, partnership_slug, cluster_slug):
    cluster = selectors.get_cluster(request.partnership, cluster_slug)
    return render(
        request,
        "schools/cluster_detail.html",
        {
            "cluster": cluster,
            "members": selectors.cluster_members(cluster),
            "audit": audit_for_object(request.partnership, cluster) if AUDIT_READERS & request.roles else None,
        },
    )
