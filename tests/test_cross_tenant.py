"""Walks every URL pattern of the project as every role of the other partnership.

Each tenant URL must be listed in its app's ``tests/<app>/cross_tenant.py`` with how to build its
arguments from partnership A's objects; each URL outside a tenant must be listed in GLOBAL_URLS. A
new URL with no entry fails ``test_every_url_pattern_has_an_entry``: add it there and say which of
A's objects it shows.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnership.roles import Role
from tests.categorisation.cross_tenant import CATEGORISATION_URLS
from tests.partnership.cross_tenant import PARTNERSHIP_URLS
from tests.schools.cross_tenant import SCHOOLS_URLS

# Each app keeps its entries beside its own tests.
TENANT_URLS = {**PARTNERSHIP_URLS, **SCHOOLS_URLS, **CATEGORISATION_URLS}

# URLs outside any partnership, and why each is safe to reach without one.
GLOBAL_URLS = {
    "home": "lists only the signed-in person's own partnerships",
    "healthz": "says ok and nothing else",
    "invitation_accept": "needs a one-time token",
    "login": "",
    "logout": "",
    "password_change": "",
    "password_change_done": "",
    "password_reset": "",
    "password_reset_done": "",
    "password_reset_confirm": "",
    "password_reset_complete": "",
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
