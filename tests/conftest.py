import os

import pytest

from tests.support import browser as browser_support

# Playwright's sync API runs an event loop in this thread; Django would take that for async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_instance):
    browser = browser_support.launch(playwright_instance)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab (own cookies) with the live server as its base URL."""
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    return browser_support.axe_violations
