import pytest
from django.core.management import call_command

from demo.data import CALDERDALE_CLUSTERS, DEMO_PASSWORD
from partnership.models import Partnership
from partnership.roles import Role
from people.models import Membership
from schools.models import Cluster, ClusterMembership, School

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Partnership, School, Cluster, ClusterMembership, Membership)]


def test_load_demo_is_safe_to_run_twice(client):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert Partnership.objects.count() >= 3


def test_calderdale_has_its_eight_real_clusters_with_associates():
    call_command("load_demo")
    calderdale = Partnership.objects.get(slug="calderdale")
    clusters = Cluster.objects.for_partnership(calderdale)
    assert sorted(clusters.values_list("name", flat=True)) == sorted(CALDERDALE_CLUSTERS)
    ravenscliffe = School.objects.for_partnership(calderdale).get(name="Ravenscliffe High School & Sports College")
    kinds = dict(ravenscliffe.cluster_memberships.values_list("cluster__name", "kind"))
    assert kinds == {"Specialist Provision Cluster (SPC)": "full", "Secondary Cluster": "associate"}


def test_one_account_per_role_per_partnership_and_admin(client):
    call_command("load_demo")
    for slug in ("calderdale", "oldham", "milton-keynes"):
        for role in Role.values:
            username = f"{role}.{slug}"
            membership = (
                Membership.objects.active()
                .select_related("user")
                .get(user__username=username, role=role, partnership__slug=slug)
            )
            assert membership.user.check_password(DEMO_PASSWORD), username
    response = client.post("/accounts/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_an_officer_can_categorise_the_calderdale_demo_at_once(django_capture_on_commit_callbacks):
    from collections import Counter

    from django.contrib.auth import get_user_model

    from categorisation import runs
    from categorisation.models import Framework, Result
    from categorisation.selectors import published_version

    call_command("load_demo")
    calderdale = Partnership.objects.get(slug="calderdale")
    version = published_version(Framework.objects.for_partnership(calderdale).get(slug="calderdale"))
    officer = get_user_model().objects.get(username="officer.calderdale")
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(actor=officer, partnership=calderdale, framework_version=version, academic_year="2018-19")
    categories = Counter(Result.objects.filter(run=run).values_list("computed_category", flat=True))
    assert sum(categories.values()) == School.objects.for_partnership(calderdale).count()
    assert categories["GREEN"] and categories["AMBER"] and categories["RED"], categories
