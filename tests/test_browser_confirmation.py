"""After a change the confirmation is the first thing the person meets (WCAG 4.1.3).

The portal redirects to 'Mijn gegevens' without a fragment, so the message at the top of the
content is in view; with JavaScript focus moves to it, so a screen reader says it and the next
Tab goes on from there. Without JavaScript it is still at the top and in view.
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.support.browser_login import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = "We hebben opgeslagen hoe u berichten wilt krijgen."
SCREENS = [{"width": 320, "height": 640}, {"width": 1280, "height": 800}]


def change_the_contact_preference(page) -> None:
    page.goto("/mijn-gegevens/contactvoorkeur")
    page.locator("input[value=post]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/contactvoorkeur/controleren$"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mijn-gegevens$"))


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("screen", SCREENS, ids=["320px", "1280px"])
def test_the_confirmation_has_focus_is_in_view_and_the_next_tab_goes_on_from_it(
    page, broker, axe, screen
):
    page.set_viewport_size(screen)
    browser_login(page)

    change_the_contact_preference(page)

    assert urlsplit(page.url).fragment == ""
    message = page.get_by_role("status", name=re.compile(re.escape(SAVED)))
    assert message.count() == 1
    assert message.evaluate("el => el === document.activeElement")
    assert "Gelukt:" in message.inner_text()
    assert in_view(page, message)
    assert axe(page) == []

    page.keyboard.press("Tab")
    assert message.evaluate(
        "el => !!(el.compareDocumentPosition(document.activeElement)"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    ), "the first Tab should land after the message, not before it"


def test_without_javascript_the_confirmation_is_at_the_top_and_in_view(
    chromium, live_server, broker
):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        java_script_enabled=False,
        viewport=SCREENS[0],
    )
    page = context.new_page()
    try:
        browser_login(page)
        change_the_contact_preference(page)

        assert urlsplit(page.url).fragment == ""
        first = page.locator("main .container > *").first
        assert SAVED in first.inner_text()
        assert in_view(page, page.locator(".page-messages .notification"))
    finally:
        context.close()
