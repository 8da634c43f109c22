"""Issue 5's "Done means", in real Chromium (Debian's /usr/bin/chromium driven by Playwright) on a 375px
phone against the live server with the demo loaded:

the Calderdale LA officer starts a categorisation run and watches it progress (the page's script polls
the progress JSON and reloads itself when the run is done), opens a school and reads exactly why it is
AMBER, moderates a disagreement with the headteacher's self-assessment, confirms, downloads a letter,
then changes a threshold in the form editor and sees the what-if before publishing. No page scrolls
sideways.

The run's Celery task is held back when the run starts so that the page shows it waiting; the test then
runs the task's service itself while the browser polls, as a worker would.
"""

import pytest

from categorisation.wording import label_words

from .pages import main_text, no_sideways_scroll, phone

BASE = "/p/calderdale/categorisation"
YEAR = "2018-19"  # the demo's data years are 2016-17 to 2018-19

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_runs_moderates_confirms_downloads_and_edits_a_threshold(browser, live_server, demo, monkeypatch):
    from categorisation import confirmation, runs, tasks
    from categorisation.models import Result, Run

    queued = []
    monkeypatch.setattr(tasks.run_execute, "delay", lambda run_id: queued.append(run_id))
    monkeypatch.setattr(tasks.run_confirm, "delay", lambda run_id: None)  # the test does the worker's part
    base = live_server.url
    officer_context, page = phone(browser, base, "officer.calderdale")
    head_context = None
    try:
        # ---- start a run and watch it progress ----
        page.goto(f"{base}{BASE}/")
        assert page.url == f"{base}{BASE}/runs/"
        page.get_by_label("Academic year").fill(YEAR)
        page.get_by_role("button", name="Start categorisation").click()
        page.wait_for_load_state()
        assert "Categorisation of 2018-19 started." in main_text(page)
        progress = page.locator("[data-run-progress]")
        assert progress.is_visible() and page.locator("#run-progress-text").inner_text() == "Waiting to start."
        assert page.locator("#run-progress-text").get_attribute("aria-live") == "polite"
        assert not page.get_by_text("This page refreshes itself").is_visible()  # the no-JS fallback is hidden
        no_sideways_scroll(page, "the run page while it waits")
        run = Run.objects.get(pk=queued[0])
        runs.run_execute(run_id=run.pk)  # what the worker does; the page is polling meanwhile
        page.locator("#by-category").wait_for(timeout=30_000)  # the script reloaded the page by itself
        text = main_text(page)
        total = Result.objects.filter(run=run).count()
        assert f"{total} of {total} categorised" in text and "Done" in text
        assert not page.locator("[data-run-progress]").count()
        no_sideways_scroll(page, "the finished run page")

        # ---- read exactly why a school is AMBER ----
        page.get_by_text("Filter the results").click()  # the filters fold away until one is applied
        page.get_by_label("Category", exact=True).select_option("AMBER")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_load_state()
        amber = Result.objects.filter(run=run, computed_category="AMBER").order_by("school__name").first()
        page.get_by_role("link", name=amber.school.name, exact=True).click()
        page.wait_for_load_state()
        text = main_text(page)
        assert "AMBER" in text and "Of concern" in text
        assert "Why" in text and any(reason in text for reason in amber.reasons if reason.startswith("best fit"))
        for met in amber.criteria_met:
            if met["category"] == "AMBER":
                assert label_words(met["label"]) in text  # the criterion, abbreviations spelt out
        no_sideways_scroll(page, "an AMBER school's result")

        # ---- the headteacher self-assesses differently ----
        head_context, head = phone(browser, base, "head.calderdale")
        head.goto(f"{base}{BASE}/")
        head.get_by_role("link", name=YEAR).first.click()
        head.wait_for_load_state()
        assert "shown once the school has submitted its self-assessment" in main_text(head)
        head.get_by_label("The school's own category").select_option("AMBER")
        head.locator("textarea").first.fill("Our own data shows a dip in reading this year.")
        head.get_by_role("button", name="Submit the self-assessment").click()
        head.wait_for_load_state()
        assert "differs from the computed category" in main_text(head)
        no_sideways_scroll(head, "the head's result page")
        own = Result.objects.get(run=run, school__urn=head.url.rstrip("/").rsplit("/", 1)[-1])
        assert own.status == Result.Status.FLAGGED

        # ---- the officer moderates the disagreement and the school with no category ----
        def moderate(result, agreed, note, why=""):
            page.goto(f"{base}{BASE}/runs/{run.uuid}/schools/{result.school.urn}/")
            page.get_by_label("Agreed category", exact=True).select_option(agreed)
            page.get_by_label("What was discussed with the school").fill(note)
            if why:
                page.get_by_label("Why the agreed category differs from the computed one").fill(why)
            page.get_by_role("button", name="Record the discussion and agreed category").click()
            page.wait_for_load_state()
            assert f"Moderation of {result.school.name} recorded." in main_text(page)

        moderate(own, own.computed_category, "Met the head: the dip is one cohort; the band stays as computed.")
        for undecided in Result.objects.filter(run=run, computed_category__isnull=True):
            moderate(undecided, "AMBER", "Missing judgements completed in the meeting.", "Officer's judgement.")
        no_sideways_scroll(page, "the moderated result")

        # ---- confirm, then download a letter ----
        page.goto(f"{base}{BASE}/runs/{run.uuid}/")
        page.get_by_role("link", name="Check what confirming will do").click()
        page.wait_for_load_state()
        text = main_text(page)
        assert "What confirming will do" in text and "Who the letters go to" in text
        no_sideways_scroll(page, "the confirmation preview")
        page.get_by_role("button", name=f"Confirm {total} categories and send letters").click()
        page.wait_for_load_state()
        assert "Tick the box to say you have checked what confirming does." in main_text(page)
        page.get_by_label("I have checked the schools that have not self-assessed", exact=False).check()
        page.get_by_role("button", name=f"Confirm {total} categories and send letters").click()
        page.wait_for_load_state()
        assert f"Confirming {total} categories." in main_text(page)
        confirmation.results_confirm_execute(run_id=run.pk)  # the worker's part; the page polls meanwhile
        page.get_by_text("Download all as a zip").wait_for(timeout=60_000)  # reloaded by itself once letters are done
        run.refresh_from_db()
        assert run.confirmed_at and Result.objects.filter(run=run, status=Result.Status.CONFIRMED).count() == total
        page.goto(f"{base}{BASE}/runs/{run.uuid}/schools/{amber.school.urn}/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the letter (PDF)").click()
        letter = download.value
        assert letter.suggested_filename.endswith(".pdf") and amber.school.urn in letter.suggested_filename
        with open(letter.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"

        # ---- change a threshold in the form editor, see the what-if, publish ----
        page.goto(f"{base}{BASE}/runs/")
        page.get_by_role("link", name="Edit Calderdale risk assessment").click()
        page.wait_for_load_state()
        no_sideways_scroll(page, "the framework overview")
        page.get_by_role("link", name="Change the thresholds").click()
        page.wait_for_load_state()
        band = page.get_by_label("Primary: in line with national within ±")
        assert band.input_value() == "2.0"
        band.fill("10")
        page.get_by_label("Why you are making this change").fill("Wider band agreed with heads.")
        no_sideways_scroll(page, "the thresholds page")
        page.get_by_role("button", name="Save the thresholds").click()
        page.wait_for_load_state()
        assert "Draft saved" in main_text(page)
        page.get_by_role("link", name="See what the draft would change, then publish").click()
        page.wait_for_load_state()
        page.get_by_label("Data of the year").fill(YEAR)
        page.get_by_role("button", name="Show").click()
        page.wait_for_load_state()
        text = main_text(page)
        assert "parameters.attainment.primary_in_line_band" in text
        assert "would change category from version 1" in text and "AMBER\n→\nGREEN" in text.replace(" → ", "\n→\n")
        no_sideways_scroll(page, "the what-if page")
        page.get_by_label("Why this version is published").fill("Wider band agreed with heads.")
        page.get_by_role("button", name="Publish").click()
        page.wait_for_load_state()
        assert "version 2 is published" in main_text(page)
        no_sideways_scroll(page, "the run list")
    finally:
        officer_context.close()
        if head_context is not None:
            head_context.close()
