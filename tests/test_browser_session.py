"""'Doorgaan' in the session warning, in a real browser, after the session ended elsewhere (the
time ran out and another tab of the same browser was used): with JavaScript the warning script
asks for JSON and goes to the session-expired page; a plain form post gets that page itself."""

import re

import pytest
from playwright.sync_api import expect

from profiles.login import session as session_module
from tests.support.browser_login import browser_login
from tests.support.clock import Clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPIRED = "U bent automatisch uitgelogd"
EXTEND = re.compile(r"/sessie-verlengen$")


@pytest.fixture
def clock(monkeypatch):
    """The server's session clock; the live server runs in this process, so it follows."""
    moved = Clock()
    monkeypatch.setattr(session_module, "clock", moved)
    return moved


def the_warning_opens(page):
    """Let the browser's clock run to the warning (13 minutes), without waiting for it."""
    page.clock.install()
    page.reload()  # a page load is activity: the server starts counting 15 minutes again
    page.clock.fast_forward("13:01")
    dialog = page.locator("#session-dialog")
    expect(dialog).to_be_visible()
    return dialog


def passed_through(page) -> list[tuple[int, str, dict]]:
    """Each answer to 'sessie-verlengen' as the script received it: status, type and JSON."""
    answers = []

    def keep(route):
        response = route.fetch()
        answers.append((response.status, response.headers["content-type"], response.json()))
        route.fulfill(response=response)

    page.route(EXTEND, keep)
    return answers


def end_the_session_in_another_tab(context, clock, settings):
    clock.forward(settings.SESSION_IDLE_TIMEOUT + 1)
    other = context.new_page()
    other.goto("/mijn-gegevens")
    assert other.locator("h1").inner_text() == EXPIRED
    other.close()


def test_the_warning_script_asks_for_json_and_the_person_stays_on_the_page(page, broker, clock):
    browser_login(page)
    dialog = the_warning_opens(page)

    with page.expect_response(EXTEND) as answer:
        dialog.get_by_role("button", name="Doorgaan").click()

    assert answer.value.request.headers["accept"] == "application/json"
    assert answer.value.json() == {"seconds_left": 15 * 60}
    expect(dialog).to_be_hidden()
    assert page.url.endswith("/mijn-gegevens")


def test_the_warning_script_gets_json_after_the_end_and_shows_the_expired_page(
    page, broker, clock, settings
):
    browser_login(page)
    dialog = the_warning_opens(page)
    end_the_session_in_another_tab(page.context, clock, settings)
    answers = passed_through(page)

    dialog.get_by_role("button", name="Doorgaan").click()

    page.wait_for_url(re.compile(r"/sessie-verlopen$"))
    assert answers == [(401, "application/json", {"seconds_left": 0})]
    assert page.locator("h1").inner_text() == EXPIRED


def test_doorgaan_without_javascript_after_the_end_shows_the_expired_page_not_json(
    chromium, live_server, broker, clock, settings
):
    context = chromium.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    try:
        browser_login(page)
        end_the_session_in_another_tab(context, clock, settings)
        # Without JavaScript nothing opens the warning; open it by hand, as when the script
        # failed after opening it. Pressing the button then posts the form as the browser does.
        dialog = page.locator("#session-dialog")
        dialog.evaluate("dialog => dialog.setAttribute('open', '')")

        with page.expect_navigation():
            dialog.get_by_role("button", name="Doorgaan").click()

        assert page.url.endswith("/sessie-verlopen"), page.content()[:300]
        assert page.locator("h1").inner_text() == EXPIRED
        assert "Log opnieuw in" in page.locator("main").inner_text()
    finally:
        context.close()
