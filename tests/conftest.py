"""The root fixture: two partnerships, each with a cluster, two schools and a user per role.

``world.a`` and ``world.b`` are the partnerships' namespaces: ``world.a.users["head"]`` is the
headteacher of ``world.a.school``; ``world.admin`` is a platform admin.
"""

from types import SimpleNamespace

import pytest
from django_scopes import scopes_disabled

from partnership.roles import CLUSTER_ROLES, SCHOOL_ROLES, Role

from .factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    MembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _tenant_scopes(request):
    """Tests set up and inspect every partnership's rows, so their own code runs with the scopes off.
    What they call through a page or the API runs in the request's scope (the middleware enters it), and
    a task or command enters its own. A test marked ``scoped`` keeps the scopes on, as production does."""
    if request.node.get_closest_marker("scoped"):
        yield
        return
    with scopes_disabled():
        yield


def build_partnership(slug: str, la_code: str) -> SimpleNamespace:
    partnership = PartnershipFactory(slug=slug, name=f"{slug.title()} Partnership", la_codes=[la_code])
    cluster = ClusterFactory(partnership=partnership, name=f"{slug.title()} Cluster", slug=f"{slug}-cluster")
    school = SchoolFactory(partnership=partnership, urn=f"{la_code}001", name=f"{slug.title()} Primary School")
    other_school = SchoolFactory(partnership=partnership, urn=f"{la_code}002", name=f"{slug.title()} High School")
    ClusterMembershipFactory(cluster=cluster, school=school)
    ClusterMembershipFactory(cluster=cluster, school=other_school)
    users = {}
    for role in Role.values:
        user = UserFactory(username=f"{role}.{slug}")
        MembershipFactory(
            partnership=partnership,
            user=user,
            role=role,
            school=school if role in SCHOOL_ROLES else None,
            cluster=cluster if role in CLUSTER_ROLES else None,
        )
        users[role] = user
    return SimpleNamespace(
        partnership=partnership, cluster=cluster, school=school, other_school=other_school, users=users
    )


@pytest.fixture
def world(db):
    from sharing.services import sharing_recompute

    with scopes_disabled():  # set-up builds both partnerships at once
        world = SimpleNamespace(
            a=build_partnership("alpha", "901"),
            b=build_partnership("beta", "902"),
            admin=UserFactory(username="platform.admin", is_superuser=True, is_staff=True),
        )
        # The factories write rows directly, past the services: the grants are brought level once here.
        for side in (world.a, world.b):
            sharing_recompute(partnership=side.partnership)
    return world


@pytest.fixture
def login(client):
    """Sign a user in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# A PDF of one blank page: what the demo's letters hold in the tests that load the demo.
QUICK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def quick_letters(monkeypatch):
    """Letters written as a blank page instead of through WeasyPrint (a third of a second each): for tests that
    load the demo, whose confirmed year writes a letter per school. The letters' own tests render them."""
    monkeypatch.setattr("categorisation.letters.letter_pdf", lambda result, template=None: QUICK_PDF)
