"""The data sharing pages in real Chromium on a 375px phone, with the demo loaded: the Calderdale LA
officer opens every page that records a sharing input, none scrolls sideways, a form sent empty names
each mistake, and a support recorded on the page opens the supported school's data to the supporter's
headteacher at once."""

from datetime import date

import pytest

from .pages import main_text, no_sideways_scroll, phone, pick_school

BASE = "/p/calderdale/sharing"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_records_a_support_on_a_phone_and_the_supporter_sees_the_data(browser, live_server, demo):
    from people.models import Membership
    from schools.models import School
    from sharing.models import MemorandumStatus
    from sharing.rules import access_for

    head = Membership.objects.select_related("school", "user").get(user__username="head.calderdale")
    # A school that has not answered the memorandum yet and that nobody supports: the head sees its headline.
    target = School.objects.create(
        partnership=head.partnership, urn="999001", name="Invented Fieldside Primary", la_code="381", phase="Primary"
    )
    assert not MemorandumStatus.objects.filter(school=target).exists()
    assert access_for(head.user, target).level == "headline"
    base = live_server.url
    context, page = phone(browser, base, "officer.calderdale")
    try:
        for path, heading in (
            ("/", "Data sharing"),
            ("/policy/", "Sharing policy"),
            ("/supports/new/", "Start a support"),
            ("/partners/new/", "strategic partner"),
            ("/register/new/", "register"),
            (f"/{target.urn}/memorandum/", "memorandum"),
            (f"/{target.urn}/", "who can see"),
        ):
            response = page.goto(f"{base}{BASE}{path}")
            assert response.status == 200, path
            assert heading.lower() in page.locator("h1").inner_text().lower(), (path, page.locator("h1").inner_text())
            no_sideways_scroll(page, path)

        page.goto(f"{base}{BASE}/supports/new/")
        page.get_by_role("button", name="Start the support").click()
        errors = page.locator(".govuk-error-summary").inner_text()
        assert "Choose the school that gives the support." in errors and "Say what the support is for." in errors
        no_sideways_scroll(page, "the support form with its errors")

        pick_school(page, "Supporting school", head.school.name[:6], f"{head.school.name} ({head.school.urn})")
        pick_school(page, "Supported school", "Fieldside", f"{target.name} ({target.urn})")
        page.get_by_label("Purpose").fill("Early reading, for a term.")
        page.get_by_label("Start date").fill(date.today().strftime("%d/%m/%Y"))
        page.get_by_role("button", name="Start the support").click()
        page.wait_for_load_state()
        assert target.name in main_text(page)
        assert access_for(head.user, target).rule == "support"
    finally:
        context.close()
