"""Hardening (issue 13 item 8): a Content-Security-Policy the pages pass with no inline script or style, and
``Cache-Control: no-store`` on every page, export, API answer and PDF.

Each demo role walks its partnership's pages as in test_words, downloads included (CSV, PDF, zip, JSON), and
every answer must carry no-store; every HTML page must carry the policy and contain nothing it would refuse.
The browser side (Chromium reporting no violation) is in tests/browser/test_csp.py."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from partnership.roles import Role
from tests.crawl import crawl

pytestmark = pytest.mark.django_db

# Downloads are followed too; signing out and the admin are not ours to walk.
# The API documentation is Redoc's page, whose own policy is tested below.
SKIP = re.compile(r"/accounts/logout|/admin/|/api/docs/|\?page=\d{2,}")


class _Inline(HTMLParser):
    """What a strict Content-Security-Policy would refuse to run or apply."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        # A JSON data block (json_script) is never run, so the policy does not apply to it.
        if tag == "script" and "src" not in names and dict(attrs).get("type") != "application/json":
            self.found.append("an inline <script>")
        if tag == "style":
            self.found.append("a <style> element")
        if "style" in names:
            self.found.append(f"a style attribute on <{tag}>")
        handlers = sorted(name for name in names if name.startswith("on"))
        if handlers:
            self.found.append(f"{', '.join(handlers)} on <{tag}>")
        for name, value in attrs:
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"a javascript: URL on <{tag}>")


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def hardening_problems(url, response, parser) -> list[str]:
    found = []
    if "no-store" not in response.get("Cache-Control", ""):
        found.append(f"Cache-Control is {response.get('Cache-Control')!r}, not no-store")
    if parser is None:
        return found
    policy = directives(response.get("Content-Security-Policy", ""))
    if not policy:
        return [*found, "no Content-Security-Policy"]
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive) or policy.get("default-src") or []
        if "'unsafe-inline'" in sources or "*" in sources:
            found.append(f"{directive} allows {' '.join(sources)}")
    if policy.get("frame-ancestors") != ["'none'"]:
        found.append("frame-ancestors is not 'none'")
    inline = _Inline()
    inline.feed(response.content.decode())
    return found + sorted(set(inline.found))


def test_the_checker_finds_what_it_looks_for():
    inline = _Inline()
    inline.feed('<p style="color:red" onclick="x()">a</p><script>alert(1)</script><a href="javascript:x()">b</a>')
    assert len(inline.found) == 4, inline.found
    inline = _Inline()
    inline.feed('<script src="/static/js/app.js"></script><script type="application/json">{}</script><p>fine</p>')
    assert inline.found == []


@pytest.mark.parametrize("role", [Role.OFFICER, Role.HEAD, Role.BOARD, Role.CLUSTER_LEAD])
def test_every_answer_a_demo_role_reaches_is_no_store_and_passes_the_policy(client, role):
    call_command("load_demo")
    client.force_login(get_user_model().objects.get(username=f"{role}.calderdale"))
    kinds = set()

    def inspect(url, response, parser):
        kinds.add(response.get("Content-Type", "").split(";")[0])
        return hardening_problems(url, response, parser)

    problems = crawl(client, "/p/calderdale/", inspect, skip=SKIP, max_pages=150)
    assert not problems, "\n".join(f"{url}: {', '.join(found)}" for url, found in problems.items())
    assert "text/html" in kinds
    if role in (Role.OFFICER, Role.HEAD):
        # The walk reached the downloads too (the demo's confirmed year has letters), so they were checked.
        assert {"text/csv", "application/pdf"} <= kinds, kinds


def test_the_api_and_the_signed_out_pages_are_no_store_too(client):
    call_command("load_demo")
    for url in ("/accounts/login/", "/help/", "/api/docs/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    client.force_login(get_user_model().objects.get(username="officer.calderdale"))
    for url in ("/api/p/calderdale/schools/", "/api/me/", "/api/schema/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_only_the_api_documentation_loosens_the_policy_and_only_for_redoc_styles(client):
    docs = directives(Client().get("/api/docs/")["Content-Security-Policy"])
    assert docs["style-src"] == ["'self'", "'unsafe-inline'"]
    assert docs["script-src"] == ["'self'"]
    login = directives(Client().get("/accounts/login/")["Content-Security-Policy"])
    assert login["style-src"] == ["'self'"]


def test_static_files_keep_their_cache(client, settings):
    response = client.get("/static/css/app.css")
    if response.status_code == 404:
        pytest.skip("static files are not collected in this test run")
    assert "no-store" not in response.get("Cache-Control", "")
