"""The LA officer's judgements page in real Chromium on a 375px phone, with the demo loaded: reached from
the school page, nothing scrolls sideways, a changed judgement is saved and read back as the fact
categorisation uses."""

import pytest

from .pages import main_text, no_sideways_scroll, phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_records_a_judgement_from_the_school_page_on_a_phone(browser, live_server, demo):
    from categorisation.facts import school_facts
    from partnership.models import Partnership
    from schools.models import School

    partnership = Partnership.objects.get(slug="oldham")
    school = School.objects.for_partnership(partnership).order_by("name").first()
    year = partnership.current_academic_year
    base = live_server.url
    context, page = phone(browser, base, "officer.oldham")
    try:
        page.goto(f"{base}/p/oldham/schools/{school.urn}/")
        page.get_by_role("link", name=f"Record judgements for {year}").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == f"The LA's judgements for {year}"
        no_sideways_scroll(page, "the judgements page")

        teaching = page.get_by_role("group", name="Quality of teaching over time")
        teaching.get_by_label("Insufficient good teaching").check()
        page.get_by_role("button", name="Save the judgements").click()
        page.wait_for_load_state()
        assert f"judgements for {year} are" in main_text(page)
        assert school_facts(partnership, school, year)["teaching_quality"] == "insufficient_good"
    finally:
        context.close()
