"""The school picker in real Chromium: on the support form an officer types part of a school's name, picks
the suggestion and the support is recorded; with JavaScript off the same form is a plain select that works."""

from datetime import date

import pytest

from demo.data import DEMO_PASSWORD

from .pages import main_text, no_sideways_scroll, phone, pick_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "/p/calderdale/sharing/supports/new/"


def _schools():
    from people.models import Membership
    from schools.models import School

    head = Membership.objects.select_related("school", "partnership").get(user__username="head.calderdale")
    target = School.objects.create(
        partnership=head.partnership, urn="999002", name="Invented Brookvale Primary", la_code="381", phase="Primary"
    )
    return head.school, target


def _fill_the_rest(page):
    page.get_by_label("Purpose").fill("Phonics, for a term.")
    page.get_by_label("Start date").fill(date.today().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Start the support").click()
    page.wait_for_load_state()


def test_typing_part_of_a_name_picks_the_school(browser, live_server, demo):
    from sharing.models import SupportRelationship

    supporter, target = _schools()
    context, page = phone(browser, live_server.url, "officer.calderdale")
    try:
        page.goto(f"{live_server.url}{FORM}")
        assert page.locator("select[data-school-picker]").first.is_hidden()  # the picker took its place
        box = page.get_by_role("combobox", name="Supported school")
        box.fill("Brookv")
        suggestion = page.get_by_role("option", name=f"{target.name} ({target.urn})", exact=True)
        assert suggestion.is_visible()
        no_sideways_scroll(page, "the picker's suggestions")
        suggestion.click()
        pick_school(page, "Supporting school", supporter.name[:5], f"{supporter.name} ({supporter.urn})")
        _fill_the_rest(page)
        assert f"{supporter.name} now supports {target.name}." in main_text(page)
        assert SupportRelationship.objects.filter(supporter=supporter, supported=target).exists()
    finally:
        context.close()


def test_without_javascript_the_plain_select_works(browser, live_server, demo):
    from sharing.models import SupportRelationship

    supporter, target = _schools()
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username or email address").fill("officer.calderdale")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}{FORM}")
        assert page.get_by_role("combobox", name="Supported school").evaluate("e => e.tagName") == "SELECT"
        page.get_by_label("Supporting school").select_option(value=supporter.urn)
        page.get_by_label("Supported school").select_option(value=target.urn)
        _fill_the_rest(page)
        assert f"{supporter.name} now supports {target.name}." in main_text(page)
        assert SupportRelationship.objects.filter(supporter=supporter, supported=target).exists()
    finally:
        context.close()
