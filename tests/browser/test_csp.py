"""The Content-Security-Policy in real Chromium: pages with scripts of their own (the school picker, the run's
live progress, the framework editor, the charts, Redoc's API documentation) run under the policy and
Chromium reports no violation on any of them, while the scripts still do their work."""

import pytest

from .pages import phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Redoc's footer links Redocly's logo from its CDN: the policy refusing it is the policy keeping the page to
# what the service serves, so that one refusal is expected.
EXPECTED = ("https://cdn.redoc.ly/",)


def watch_violations(page) -> list[str]:
    seen = []

    def console(message):
        text = message.text
        if "Content Security Policy" in text and not any(url in text for url in EXPECTED):
            seen.append(text)

    page.on("console", console)
    page.on("pageerror", lambda error: seen.append(f"script error: {error}"))
    return seen


def test_pages_with_scripts_run_under_the_policy_with_no_violation(browser, live_server, demo):
    from categorisation.models import Run
    from schools.models import School

    base = live_server.url
    run = Run.objects.filter(partnership__slug="calderdale").order_by("-created_at").first()
    school = School.objects.filter(partnership__slug="calderdale").order_by("urn").first()
    context, page = phone(browser, base, "officer.calderdale")
    seen = watch_violations(page)
    try:
        pages = [
            "/p/calderdale/",
            "/p/calderdale/schools/",
            f"/p/calderdale/schools/{school.urn}/",
            f"/p/calderdale/categorisation/runs/{run.uuid}/",
            "/p/calderdale/categorisation/frameworks/calderdale/edit/categories/1/",
            "/p/calderdale/sharing/",
            "/api/docs/",
        ]
        for path in pages:
            response = page.goto(base + path)
            assert response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"], path
            page.wait_for_load_state("networkidle")
            assert not seen, f"{path}: {seen}"

        # The picker's script ran: the plain select became a combobox that suggests schools as one types.
        page.goto(base + "/p/calderdale/sharing/supports/new/")
        box = page.get_by_role("combobox").first
        box.fill(school.name[:5])
        assert page.get_by_role("option").count() > 0
        # Redoc ran too: it rendered the schema's operations.
        page.goto(base + "/api/docs/")
        page.get_by_text("/api/p/{partnership_slug}/schools/").first.wait_for()
        assert not seen, seen
    finally:
        context.close()


def test_chromium_reports_an_inline_script_the_policy_refuses(browser, live_server, demo):
    """The watch above can fail: a page given an inline script reports it."""
    context, page = phone(browser, live_server.url, "officer.calderdale")
    seen = watch_violations(page)
    try:
        page.goto(live_server.url + "/p/calderdale/")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
            " document.body.appendChild(s); }"
        )
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.ran") is None
        assert any("Content Security Policy" in text for text in seen), seen
    finally:
        context.close()
