"""Walks every URL pattern of the project as every role of the other partnership.

Each tenant URL must be listed in its app's ``tests/<app>/cross_tenant.py`` with how to build its
arguments from partnership A's objects; each URL outside a tenant must be listed in GLOBAL_URLS. A
new URL with no entry fails ``test_every_url_pattern_has_an_entry``: add it there and say which of
A's objects it shows.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnership.roles import Role
from tests.categorisation.cross_tenant import CATEGORISATION_URLS
from tests.funding.cross_tenant import FUNDING_URLS
from tests.partnership.cross_tenant import PARTNERSHIP_URLS
from tests.schools.cross_tenant import SCHOOLS_URLS

# Each app keeps its entries beside its own tests.
TENANT_URLS = {**PARTNERSHIP_URLS, **SCHOOLS_URLS, **CATEGORISATION_URLS, **FUNDING_URLS}

# URLs outside any partnership, and why each is safe to reach without one.
GLOBAL_URLS = {
    "home": "lists only the signed-in person's own partnerships",
    "healthz": "says ok and nothing else",
    "invitation_accept": "needs a one-time token",
    "invitation_respond": "answers only the signed-in person's own invitation; anyone else's is not found",
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
    "help": "the service's help page: the same text for everyone, and the signed-in person's own partnerships",
    "privacy": "the service's privacy notice: the same text for everyone, no partnership's data",
    "accessibility": "the service's accessibility statement: the same text for everyone",
    "cookies": "the list of cookies the service sets, from its settings",
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


# ---- the own-slug walk: B's people under B's own address, asking for A's objects -------------------------


def _missing(value):
    """An id of the same shape as one of A's that names nothing at all."""
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, int):
        return 99999
    if ACADEMIC_YEAR.match(str(value)):
        return value  # a year names no object: it stays
    if str(value).isdigit():
        return "999999"
    return "no-such-thing"


ACADEMIC_YEAR = re.compile(r"^\d{4}-\d{2}$")


def own_slug_answers(client, world, name, roles=None):
    """Each role of B, under B's own slug, asks (GET and POST) for A's object, and for an object that
    does not exist. Returns the answers that differ from a missing object's, or that are not a refusal."""
    a_kwargs = TENANT_URLS[name](world)
    b_slug = world.b.partnership.slug
    url = reverse(name, kwargs={"partnership_slug": b_slug, **a_kwargs})
    missing_url = reverse(name, kwargs={"partnership_slug": b_slug, **{k: _missing(v) for k, v in a_kwargs.items()}})
    wrong = []
    for role in roles or Role.values:
        client.force_login(world.b.users[role])
        for method in ("get", "post"):
            answer = getattr(client, method)(url).status_code
            baseline = getattr(client, method)(missing_url).status_code
            if answer not in (403, 404, 405) or answer != baseline:
                wrong.append(
                    f"{method.upper()} {url} as {role} of B: {answer} (an object that does not exist: {baseline})"
                )
    client.logout()
    return wrong


def _names_an_object(route: str) -> bool:
    """A route with an argument besides the partnership's slug: it names one of the partnership's objects."""
    return route.count("<") > 1


OBJECT_URLS = sorted(n for n, route in all_urls() if "partnership_slug" in route and _names_an_object(route))
LIST_URLS = sorted(set(TENANT_URLS) - set(OBJECT_URLS))


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_own_slug_with_the_other_partnerships_ids_answers_as_for_nothing(world, client, name):
    """A's UUIDs, URNs and slugs under B's address: B's people get what they would get for an id that
    names nothing (404, or their role's 403), never A's object. The scope of B holds whatever the selector."""
    wrong = own_slug_answers(client, world, name)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", LIST_URLS)
def test_own_slug_lists_show_nothing_of_the_other_partnership(world, client, name):
    """Lists, exports and forms under B's address name none of A's schools or clusters, for every role of B."""
    TENANT_URLS[name](world)  # A's objects that the entry makes exist
    url = reverse(name, kwargs={"partnership_slug": world.b.partnership.slug})
    markers = [world.a.school.name, world.a.other_school.name, world.a.cluster.name, world.a.school.urn]
    for role in Role.values:
        client.force_login(world.b.users[role])
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        shown = [m for m in markers if m.encode() in body]
        assert not shown, f"GET {url} as {role} of B shows A's {shown}"
    client.logout()


def test_the_walk_catches_a_selector_without_its_scope(world, client, monkeypatch):
    """Break the guard once: a run look-up that leaves its scope (and its partnership) behind lets B's
    officer read A's run under B's address, and the own-slug walk says so. Forgetting only
    ``.for_partnership()`` is not enough to leak: the request's scope still holds."""
    from django.shortcuts import get_object_or_404
    from django_scopes import scopes_disabled

    from categorisation import selectors
    from categorisation.models import Run

    assert not own_slug_answers(client, world, "categorisation_run_detail", roles=[Role.OFFICER])

    def without_for_partnership(partnership, run_uuid):
        return get_object_or_404(Run.objects.all(), uuid=run_uuid)

    monkeypatch.setattr(selectors, "get_run", without_for_partnership)
    assert not own_slug_answers(client, world, "categorisation_run_detail", roles=[Role.OFFICER])

    def without_scope(partnership, run_uuid):
        with scopes_disabled():
            return get_object_or_404(Run.objects.all(), uuid=run_uuid)

    monkeypatch.setattr(selectors, "get_run", without_scope)
    leaks = own_slug_answers(client, world, "categorisation_run_detail", roles=[Role.OFFICER])
    assert leaks and "200" in leaks[0], leaks
