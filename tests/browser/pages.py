"""What the browser tests do on every page: sign in on a 375px phone, and check nothing scrolls sideways."""

from demo.data import DEMO_PASSWORD


def phone(browser, base, username):
    context = browser.new_context(viewport={"width": 375, "height": 812}, accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return context, page


# The elements that stick out past the phone's width: outside a scrolling table, or placed absolutely.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 376
               && (getComputedStyle(e).position === 'absolute' || !e.closest('.app-table-wrapper > *')))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' '
                         + Math.round(e.getBoundingClientRect().right) + 'px')"""


def no_sideways_scroll(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{where} is {width}px wide on a 375px phone; too wide: {page.evaluate(WIDEST)}"


def main_text(page) -> str:
    return page.locator("main").inner_text()


def pick_school(page, label: str, typed: str, option: str) -> None:
    """Choose a school in a school picker (static/js/school-picker.js): type part of it, click the suggestion."""
    box = page.get_by_role("combobox", name=label)
    box.fill(typed)
    page.get_by_role("option", name=option, exact=True).click()
