"""Real Chromium for the browser tests: Debian's /usr/bin/chromium (CHROMIUM_PATH to change it), driven by
Playwright, launched once per module; and the demo, loaded for each test."""

import os
import shutil

import pytest

from demo.loader import load_demo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are still sync.
    # Set for this module only: it must not leak into tests that start other processes.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--disable-quic",
                ],
            )
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def demo(db, quick_letters):
    return load_demo()
