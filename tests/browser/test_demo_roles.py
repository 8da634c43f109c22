"""Real Chromium (Debian's /usr/bin/chromium, driven by Playwright) against the live server
with the demo loaded: every demo account signs in and lands on a home page that shows its
partnership and, for school and cluster roles, their own school or cluster; on a 375px phone
nothing scrolls sideways and the keyboard reaches the main content first."""

import os

import pytest

from demo.data import DEMO_PASSWORD, PARTNERSHIPS
from partnership.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


EXPECTED_TEXT = {
    Role.OFFICER: "Invite someone",
    Role.BOARD: "Clusters",
    Role.CLUSTER_LEAD: "Your cluster:",
    Role.CLUSTER_OFFICER: "Your cluster:",
    Role.HEAD: "Your school:",
    Role.GOVERNOR: "Your school:",
    Role.PARTNER: "The partnership",
}


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_every_demo_account_lands_on_its_home_page(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        for spec in PARTNERSHIPS:
            for role in Role.values:
                page = context.new_page()
                sign_in(page, live_server.url, f"{role}.{spec['slug']}")
                assert page.url == f"{live_server.url}/p/{spec['slug']}/", f"{role}.{spec['slug']} landed on {page.url}"
                main = page.locator("main").inner_text()
                assert spec["name"] in page.locator("header").inner_text()
                assert EXPECTED_TEXT[role] in main, f"{role}.{spec['slug']}: {main[:300]}"
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, f"{role}.{spec['slug']} home is {width}px wide on a 375px phone"
                page.get_by_role("button", name="Sign out").click()
                page.wait_for_load_state()
                assert "/accounts/login/" in page.url
                page.close()
        page = context.new_page()
        sign_in(page, live_server.url, "admin")
        assert "Choose a partnership" in page.locator("main").inner_text()
        page.close()
    finally:
        context.close()


def test_keyboard_reaches_skip_link_then_main_and_a_wrong_password_is_explained(browser, live_server, demo):
    page = browser.new_page(viewport={"width": 375, "height": 812})
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
        page.get_by_label("Username or email address").fill("head.calderdale")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        assert "There is a problem" in page.locator("main").inner_text()
        page.screenshot(path=str(os.environ.get("SCREENSHOT_DIR", "/tmp")) + "/login-error-375.png", full_page=True)
    finally:
        page.close()
