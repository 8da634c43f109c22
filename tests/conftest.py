"""The root fixture: two partnerships, each with a cluster, two schools and a user per role.

``world.a`` and ``world.b`` are the partnerships' namespaces: ``world.a.users["head"]`` is the
headteacher of ``world.a.school``; ``world.admin`` is a platform admin.
"""

from types import SimpleNamespace

import pytest

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
    return SimpleNamespace(
        a=build_partnership("alpha", "901"),
        b=build_partnership("beta", "902"),
        admin=UserFactory(username="platform.admin", is_superuser=True, is_staff=True),
    )


@pytest.fixture
def login(client):
    """Sign a user in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
