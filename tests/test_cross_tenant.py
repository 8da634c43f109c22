"""Walks every URL pattern of the project as every role of the other partnership.

Each tenant URL must be listed in TENANT_URLS with how to build its arguments from partnership
A's objects; each URL outside a tenant must be listed in GLOBAL_URLS. A new URL with no entry
fails ``test_every_url_pattern_has_an_entry``: add it here and say which of A's objects it shows.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnership.models import Membership
from partnership.roles import Role
from tests.categorisation.cross_tenant import CATEGORISATION_URLS


def _membership_uuid(world):
    return Membership.objects.get(user=world.a.users["head"]).uuid


def _import_run_uuid(world):
    from schools.models import ImportRun

    run = ImportRun.objects.filter(partnership=world.a.partnership).first() or ImportRun.objects.create(
        partnership=world.a.partnership,
        kind="ofsted",
        filename="a.csv",
        content=b"URN,Rating,Inspection Date\n",
        status=ImportRun.Status.PREVIEWED,
    )
    return run.uuid


TENANT_URLS = {
    "partnership_home": lambda w: {},
    "people_list": lambda w: {},
    "people_invite": lambda w: {},
    "people_detail": lambda w: {"membership_uuid": _membership_uuid(w)},
    "audit_list": lambda w: {},
    "school_list": lambda w: {},
    "school_detail": lambda w: {"urn": w.a.school.urn},
    "cluster_list": lambda w: {},
    "cluster_detail": lambda w: {"cluster_slug": w.a.cluster.slug},
    "import_list": lambda w: {},
    "import_upload": lambda w: {},
    "import_template": lambda w: {},
    "import_detail": lambda w: {"run_uuid": _import_run_uuid(w)},
    "import_apply": lambda w: {"run_uuid": _import_run_uuid(w)},
    "api_school_list": lambda w: {},
    "api_school_detail": lambda w: {"urn": w.a.school.urn},
    "api_cluster_list": lambda w: {},
    "api_cluster_detail": lambda w: {"cluster_slug": w.a.cluster.slug},
    "api_inspection_list": lambda w: {},
    "api_result_list": lambda w: {},
    "api_benchmark_list": lambda w: {},
    "sharing_detail": lambda w: {"urn": w.a.school.urn},
}

# Apps with many pages keep their entries beside their own tests.
TENANT_URLS.update(CATEGORISATION_URLS)

# URLs outside any partnership, and why each is safe to reach without one.
GLOBAL_URLS = {
    "home": "lists only the signed-in person's own partnerships",
    "healthz": "says ok and nothing else",
    "invitation_accept": "needs a one-time token",
    "login": "", "logout": "", "password_change": "", "password_change_done": "",
    "password_reset": "", "password_reset_done": "", "password_reset_confirm": "", "password_reset_complete": "",
    "api_me": "the caller's own memberships only",
    "api_schema": "the API's shape, no data",
    "api_docs": "the API's shape, no data",
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the platform admin is staff-only and tested by Django itself
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern.name, prefix + str(pattern.pattern)


def all_urls():
    return list(_walk(get_resolver().url_patterns))


def test_every_url_pattern_has_an_entry():
    missing = []
    for name, route in all_urls():
        if name is None:
            missing.append(f"unnamed pattern {route}")
        elif "partnership_slug" in route:
            if name not in TENANT_URLS:
                missing.append(f"{name} ({route}): add it to TENANT_URLS")
        elif name not in GLOBAL_URLS:
            missing.append(f"{name} ({route}): add it to GLOBAL_URLS or put it under /p/<partnership_slug>/")
    assert not missing, "URL patterns with no cross-tenant entry:\n" + "\n".join(missing)


def _tenant_routes():
    return [name for name, route in all_urls() if "partnership_slug" in route]


@pytest.mark.parametrize("name", sorted(TENANT_URLS))
def test_other_partnership_gets_404_and_anonymous_must_log_in(world, client, name):
    kwargs = {"partnership_slug": world.a.partnership.slug, **TENANT_URLS[name](world)}
    url = reverse(name, kwargs=kwargs)
    anonymous = client.get(url)
    if url.startswith("/api/"):
        assert anonymous.status_code in (401, 403), f"{url} answered {anonymous.status_code} to anonymous"
    else:
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login")), url
    for role in Role.values:
        client.force_login(world.b.users[role])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{method.upper()} {url} as {role} of B answered {response.status_code}"
    client.logout()


def test_the_walk_covers_every_tenant_route():
    assert set(_tenant_routes()) == set(TENANT_URLS)
