"""The service's own pages (help, privacy, accessibility, cookies), what a partnership adds to them, the API
documentation served with no internet access, and the error pages a user sees with DEBUG off."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse

from partnership.models import AuditEvent, Partnership
from partnership.services import partnership_pages_edit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("help", "privacy", "accessibility", "cookies")


@pytest.mark.parametrize("page", PAGES)
def test_each_page_is_open_to_anyone_and_linked_from_the_footer(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 200
    html = response.content.decode()
    footer = html[html.index('<footer class="govuk-footer"') :]
    for name in PAGES:
        assert f'href="{reverse(name)}"' in footer
    assert f'href="{reverse("api_docs")}"' in footer


def test_within_a_partnership_the_footer_links_to_its_own_pages(world, login):
    slug = world.a.partnership.slug
    html = login(world.a.users["head"]).get(reverse("partnership_home", args=[slug])).content.decode()
    footer = html[html.index('<footer class="govuk-footer"') :]
    for page in PAGES:
        assert f'href="{reverse(f"partnership_{page}", args=[slug])}"' in footer


def test_the_cookies_page_lists_the_cookies_the_settings_set(client, settings):
    html = client.get(reverse("cookies")).content.decode()
    assert (
        f"<code>{settings.SESSION_COOKIE_NAME}</code>" in html and f"<code>{settings.CSRF_COOKIE_NAME}</code>" in html
    )
    assert f"after {settings.SESSION_COOKIE_AGE // 3600} hours without using the service" in html


def fill(partnership, **values):
    Partnership.objects.filter(pk=partnership.pk).update(**values)


def test_a_partnerships_pages_show_its_own_contact_and_paragraphs_and_not_anothers(world, login):
    fill(
        world.a.partnership,
        contact_email="schools@alpha.example",
        contact_address="Town Hall\nAlpha",
        data_controller="Alpha Council",
        data_protection_contact="dpo@alpha.example",
        help_extra="Open 9 to 5 on weekdays.",
        privacy_extra="Alpha shares nothing with the diocese.",
        accessibility_extra="Letters in large print on request.",
    )
    fill(world.b.partnership, contact_email="help@beta.example", help_extra="Beta's hours.")
    client = login(world.a.users["governor"])
    slug = world.a.partnership.slug
    help_page = client.get(reverse("partnership_help", args=[slug])).content.decode()
    assert 'href="mailto:schools@alpha.example"' in help_page and "Open 9 to 5 on weekdays." in help_page
    assert "Town Hall" in help_page and "beta.example" not in help_page and "Beta&#x27;s hours" not in help_page
    privacy = client.get(reverse("partnership_privacy", args=[slug])).content.decode()
    assert "<strong>Alpha Council</strong>" in privacy and "dpo@alpha.example" in privacy
    assert "Alpha shares nothing with the diocese." in privacy
    assert f"for {world.a.partnership.data_retention_months} months" in privacy
    accessibility = client.get(reverse("partnership_accessibility", args=[slug])).content.decode()
    assert "Letters in large print on request." in accessibility and "schools@alpha.example" in accessibility
    # Outside a partnership, no partnership's details: a member is pointed to their own partnerships' pages.
    general = client.get(reverse("help")).content.decode()
    assert "schools@alpha.example" not in general
    assert reverse("partnership_help", args=[slug]) in general


def test_a_partnership_that_has_said_nothing_says_who_to_ask(world, login):
    html = login(world.a.users["head"]).get(reverse("partnership_help", args=[world.a.partnership.slug]))
    assert "has not given its contact details here yet" in html.content.decode()


def test_an_officer_changes_the_pages_and_the_change_is_audited(world, login):
    officer = world.a.users["officer"]
    client = login(officer)
    url = reverse("service_pages_edit", args=[world.a.partnership.slug])
    assert client.get(reverse("partnership_help", args=[world.a.partnership.slug])).content.decode().count(url) == 1
    response = client.post(
        url,
        {"contact_email": "schools@alpha.example", "help_extra": "Ring before noon.", "reason": "New team inbox."},
        follow=True,
    )
    assert "Saved. Changed: contact email, more for the help page." in response.content.decode()
    world.a.partnership.refresh_from_db()
    assert world.a.partnership.contact_email == "schools@alpha.example"
    event = AuditEvent.objects.get(action="partnership.pages_edit")
    assert event.actor == officer and event.partnership == world.a.partnership and event.reason == "New team inbox."
    assert event.before == {"contact_email": "", "help_extra": ""}
    assert event.after == {"contact_email": "schools@alpha.example", "help_extra": "Ring before noon."}
    audit = client.get(reverse("audit_list", args=[world.a.partnership.slug])).content.decode()
    assert "Service pages changed" in audit and "Ring before noon." in audit
    again = client.post(url, {"contact_email": "schools@alpha.example", "help_extra": "Ring before noon."}, follow=True)
    assert "Nothing changed, so nothing was saved." in again.content.decode()
    assert AuditEvent.objects.filter(action="partnership.pages_edit").count() == 1


def test_a_wrong_email_is_refused_on_its_field_and_nothing_is_saved(world, login):
    client = login(world.a.users["officer"])
    url = reverse("service_pages_edit", args=[world.a.partnership.slug])
    html = client.post(url, {"contact_email": "not an address"}).content.decode()
    assert "There is a problem" in html and 'href="#id_contact_email"' in html
    assert not AuditEvent.objects.filter(action="partnership.pages_edit").exists()


@pytest.mark.parametrize("role", ["board", "clusterlead", "head", "governor", "partner"])
def test_only_officers_may_change_the_pages_and_others_are_told_why(world, login, role):
    user = world.a.users[role]
    response = login(user).post(
        reverse("service_pages_edit", args=[world.a.partnership.slug]), {"contact_email": "x@example.org"}
    )
    assert (
        response.status_code == 403 and "Only an LA officer of this partnership can change" in response.content.decode()
    )
    with pytest.raises(PermissionDenied, match="Only an LA officer"):
        partnership_pages_edit(actor=user, partnership=world.a.partnership, values={"help_extra": "x"})
    assert Partnership.objects.get(pk=world.a.partnership.pk).help_extra == ""


def test_an_officer_of_another_partnership_cannot_change_these_pages(world):
    with pytest.raises(PermissionDenied):
        partnership_pages_edit(
            actor=world.b.users["officer"], partnership=world.a.partnership, values={"help_extra": "x"}
        )


def test_the_service_takes_only_the_pages_fields(world):
    with pytest.raises(ValueError, match="name"):
        partnership_pages_edit(actor=world.a.users["officer"], partnership=world.a.partnership, values={"name": "X"})


# ---- the API documentation with no internet access ---------------------------------------------------------


def test_the_api_documentation_loads_nothing_from_another_host(client):
    response = client.get(reverse("api_docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<redoc" in html
    references = re.findall(r'(?:src|href|spec-url)="([^"]+)"', html)
    assert references, "the page names what it loads"
    outside = [r for r in references if re.match(r"^(https?:)?//", r)]
    assert outside == [], f"loaded from another host: {outside}"
    assert "googleapis" not in html and "cdn" not in html.lower()
    for reference in references:  # each is served by the service itself
        assert client.get(reference).status_code == 200, reference


# ---- what make demo serves ----------------------------------------------------------------------------------


def test_make_demo_serves_with_debug_off():
    makefile = (ROOT / "Makefile").read_text()
    demo = makefile[makefile.index("\ndemo:") :].split("\n\n")[0]
    serve = next(line for line in demo.splitlines() if "runserver" in line)
    assert "$(DEMO_ENV)" in serve and "DEMO_ENV := DJANGO_DEBUG=false" in makefile
    # The local settings the demo runs under take DJANGO_DEBUG=false at its word.
    code = "import config.settings.local as s; print(s.DEBUG, s.WHITENOISE_USE_FINDERS)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_DEBUG": "false", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["False", "True"]  # DEBUG off, static files still served by WhiteNoise


@override_settings(DEBUG=False)
def test_with_debug_off_a_missing_page_is_the_friendly_404(world):
    client = Client()
    for url in ("/no-such-page/", "/static/css/app.css"):
        response = client.get(url)
        if url.startswith("/static/"):
            assert response.status_code == 200  # the stylesheet the error pages use is still served
            continue
        html = response.content.decode()
        assert response.status_code == 404
        assert '<h1 class="govuk-heading-l">Page not found</h1>' in html and 'href="/help/"' in html
        assert "Using the URLconf" not in html and "Django" not in html  # not Django's debug page
    client.force_login(world.a.users["officer"])
    for url in (f"/p/{world.a.partnership.slug}/no-such-page/", "/p/no-such-partnership/"):
        response = client.get(url)
        html = response.content.decode()
        assert (
            response.status_code == 404
            and '<h1 class="govuk-heading-l">Page not found</h1>' in html
            and "Traceback" not in html
        )


@override_settings(DEBUG=False)
def test_with_debug_off_an_error_is_the_friendly_500(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html and 'href="/help/"' in html
    assert 'lang="en-GB"' in html and "/static/css/app.css" in html
