"""No protected data leaks through a count, a chart, a search or a filter of the school and cluster pages
(issue 6, "enforced everywhere").

What was audited: the school list (its total, search, filters, sort and category filter), the cluster
list and cluster pages (member counts, pupils, Ofsted grades, average results), the school page's charts
and the public API lists. All but the category filter are built from public data (GIAS, Ofsted, the
performance tables), which every member may count. The category filter is built from categorisation
results, protected data: it offers and counts only the categories of schools the viewer sees in full.
These tests pin that down, so a protected field added to one of them later fails here.
"""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from schools.models import Inspection
from sharing.models import MemorandumStatus
from sharing.services import memorandum_record

from .test_export import categorise, judge

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(world):
    """A's two schools, both judged and categorised; A's school signed, the other declined: the signed
    school's head sees its own school in full and the declined one at headline only."""
    officer = world.a.users["officer"]
    memorandum_record(
        actor=officer,
        school=world.a.school,
        status=MemorandumStatus.Status.SIGNED,
        signed_on=date(2022, 9, 1),
        governors_minute_ref="FGB 2022/3",
        data_controller=world.a.users["head"],
    )
    memorandum_record(
        actor=officer, school=world.a.other_school, status=MemorandumStatus.Status.DECLINED, note="Declined."
    )
    judge(world.a.school, finance_concern="none", complaints=1)
    judge(world.a.other_school, finance_concern="serious", complaints=12)
    categorise(world.a.partnership, officer, {world.a.school: "GREEN", world.a.other_school: "RED"})
    for school, grade in ((world.a.school, 2), (world.a.other_school, 4)):
        Inspection.objects.create(
            partnership=world.a.partnership, school=school, inspection_date=date(2022, 3, 1), overall_grade=grade
        )
    return world


def test_the_category_filter_counts_only_schools_seen_in_full(judged, login):
    url = reverse("school_list", args=[judged.a.partnership.slug])
    officer = login(judged.a.users["officer"]).get(url, {"category": "RED"})
    assert officer.context["page"].paginator.count == 1  # the LA sees the declined school's category
    head = login(judged.a.users["head"])
    choices = [value for value, _ in head.get(url).context["form"].fields["category"].choices]
    assert choices == ["", "GREEN"]
    refused = head.get(url, {"category": "RED"})
    assert "category" in refused.context["form"].errors
    assert "1 school matches" not in refused.content.decode()


def test_search_matches_public_fields_only(judged, login):
    """Searching for a category or a judgement finds nothing: a match would tell a headline-only viewer
    which school has it."""
    client = login(judged.a.users["officer"])
    url = reverse("school_list", args=[judged.a.partnership.slug])
    for query in ("RED", "serious", "12"):
        assert client.get(url, {"q": query}).context["page"].paginator.count == 0, query
    assert client.get(url, {"q": "High"}).context["page"].paginator.count == 1


def test_public_counts_are_the_same_for_every_member(judged, login):
    """Cluster figures, Ofsted grade counts and the school list total are public data: the headline-only
    viewers count the declined school like the LA does, and see none of its protected data."""
    cluster_url = reverse("cluster_detail", args=[judged.a.partnership.slug, judged.a.cluster.slug])
    list_url = reverse("school_list", args=[judged.a.partnership.slug])
    seen = {}
    for role in ("officer", "head", "partner"):
        client = login(judged.a.users[role])
        cluster = client.get(cluster_url)
        listing = client.get(list_url)
        seen[role] = (cluster.context["headlines"], listing.context["page"].paginator.count)
        # The LA may see the declined school's category, in the list's category filter; nobody sees it on the
        # cluster page, and the signed school's people see it nowhere.
        body = cluster.content.decode() + (listing.content.decode() if role != "officer" else "")
        for protected in ("RED", "Serious concern", "serious"):
            assert protected not in body, (role, protected)
    assert seen["officer"] == seen["head"] == seen["partner"]
    assert dict(seen["head"][0]["grades"])["Inadequate"] == 1 and seen["head"][1] == 2


def test_public_api_lists_carry_no_protected_fields(judged):
    client = APIClient()
    client.force_login(judged.a.users["head"])
    school = client.get("/api/p/alpha/schools/901002/").json()
    assert not {"category", "finance_concern", "complaints", "judgements", "results"} & set(school)
    cluster = client.get("/api/p/alpha/clusters/alpha-cluster/").json()
    assert cluster["full_members"] == 2 and {m["urn"] for m in cluster["members"]} == {"901001", "901002"}
    assert all(set(m) == {"urn", "name", "kind"} for m in cluster["members"])
