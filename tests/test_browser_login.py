"""Logging in and out in a real browser, with the keyboard only, against the real broker."""

import re

import pytest

from profiles.login import session as session_module
from profiles.models import Profile
from tests.support.browser_login import browser_login
from tests.support.clock import Clock
from tests.support.keyboard import press_on, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARNING = "U wordt bijna uitgelogd"
LOGIN_BUTTON = {
    "digid": "Inloggen met DigiD",
    "eherkenning": "Inloggen met eHerkenning",
    "eidas": "Inloggen met eIDAS",
}


def keyboard_login(page, *, method: str, identity: str, level_steps: int = 0):
    """From the home page to 'Mijn gegevens', with Tab, arrow keys and Enter only."""
    page.goto("/")
    press_on(page, page.get_by_role("link", name=LOGIN_BUTTON[method]))
    page.wait_for_url(re.compile(r"/interaction/"))
    identity_select = page.locator(f"#{method}-identity")
    tab_to(page, identity_select)
    options = identity_select.locator("option").evaluate_all("os => os.map(o => o.value)")
    for _ in range(options.index(identity)):
        page.keyboard.press("ArrowDown")
    assert identity_select.input_value() == identity
    tab_to(page, page.locator(f"#{method}-level"))
    for _ in range(level_steps):
        page.keyboard.press("ArrowDown")
    press_on(page, page.locator(f"#{method}-submit"))


@pytest.mark.parametrize(
    ("method", "identity", "number"),
    [
        ("digid", "digid-burger", "999993653"),
        ("eherkenning", "eh-branch", "000038509490"),
        ("eidas", "eidas-person", "NL/DE/0123456789abcdef"),
    ],
)
def test_log_in_and_out_with_the_keyboard(page, broker, axe, method, identity, number):
    keyboard_login(page, method=method, identity=identity, level_steps=1)

    page.wait_for_url(re.compile(r"/mijn-gegevens$"))
    assert number in page.locator("main").inner_text()
    assert Profile.objects.count() == 1
    assert axe(page) == []

    press_on(page, page.get_by_role("button", name="Uitloggen"))
    page.wait_for_url(re.compile(r"/uitgelogd$"))
    assert page.locator("h1").inner_text() == "U bent uitgelogd"
    assert axe(page) == []
    # Both sessions are gone: the portal sends us to log in, and the broker asks again.
    page.goto("/mijn-gegevens")
    assert "/inloggen" in page.url
    page.goto(f"/inloggen/{method}")
    page.wait_for_url(re.compile(r"/interaction/"))
    assert page.locator(f"#{method}-identity").is_visible()


def test_the_login_page_and_error_pages_have_no_accessibility_violations(page, broker, axe):
    page.goto("/inloggen")
    assert axe(page) == []

    # Cancelled at the broker.
    page.goto("/inloggen/digid")
    page.wait_for_url(re.compile(r"/interaction/"))
    press_on(page, page.locator("#digid-cancel"))
    page.wait_for_url(re.compile(r"/oidc/callback"))
    assert page.locator("h1").inner_text() == "U bent gestopt met inloggen"
    assert axe(page) == []

    # An identity without a KvK number.
    page.goto("/inloggen/eherkenning")
    page.locator("#eherkenning-identity").select_option("eh-rsin-only")
    page.locator("#eherkenning-submit").click()
    page.wait_for_url(re.compile(r"/oidc/callback"))
    assert "DigiD" in page.locator("main").inner_text()
    assert axe(page) == []

    # A forged or stale state.
    page.goto("/oidc/callback?code=abc&state=forged")
    assert axe(page) == []


def test_the_timeout_warning_lets_you_continue_and_expiry_logs_you_out(
    page, broker, axe, monkeypatch
):
    server_clock = Clock()
    monkeypatch.setattr(session_module, "clock", server_clock)
    page.clock.install()
    keyboard_login(page, method="digid", identity="digid-burger", level_steps=1)
    page.wait_for_url(re.compile(r"/mijn-gegevens$"))
    dialog = page.get_by_role("dialog", name=WARNING)
    assert not dialog.is_visible()

    # 13 minutes later the warning opens, takes focus, and is announced as a dialog.
    server_clock.forward(13 * 60)
    page.clock.fast_forward("13:01")
    dialog.wait_for(state="visible")
    assert page.evaluate(
        "document.getElementById('session-dialog').contains(document.activeElement)"
    )
    assert axe(page) == []

    # "Doorgaan" with the keyboard: the dialog closes and the session lives on.
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    server_clock.forward(10 * 60)
    page.clock.fast_forward("10:00")
    assert not dialog.is_visible()
    page.reload()
    assert page.url.endswith("/mijn-gegevens")

    # Nobody answers the next warning: at the end the session is over.
    server_clock.forward(15 * 60 + 1)
    page.clock.fast_forward("15:01")
    page.wait_for_url(re.compile(r"/sessie-verlopen$"))
    assert page.locator("h1").inner_text() == "U bent automatisch uitgelogd"
    assert axe(page) == []
    page.goto("/mijn-gegevens")
    assert "/inloggen" in page.url


def test_escape_continues_and_the_warning_counts_down_without_talking_every_second(
    page, broker, axe, monkeypatch
):
    server_clock = Clock()
    monkeypatch.setattr(session_module, "clock", server_clock)
    page.clock.install()

    def later(seconds: int) -> None:
        server_clock.forward(seconds)
        page.clock.fast_forward(seconds * 1000)

    browser_login(page)
    dialog = page.get_by_role("dialog", name=WARNING)
    countdown = dialog.locator("[data-session-countdown]")
    spoken = dialog.locator("[aria-live=polite]")

    def seconds_shown() -> int:
        minutes, seconds = countdown.inner_text().split(":")
        return int(minutes) * 60 + int(seconds)

    # The page's clock also runs on by itself (a slow machine adds seconds): ranges, not points.
    later(13 * 60 + 1)
    dialog.wait_for(state="visible")
    first = seconds_shown()
    assert 110 <= first <= 119
    assert spoken.inner_text() == "Over 2 minuten loggen we u uit."
    assert axe(page) == []

    # Every second the visible countdown moves; the live region stays as it is.
    before = seconds_shown()
    page.clock.run_for(1000)
    assert seconds_shown() < before
    assert spoken.inner_text() == "Over 2 minuten loggen we u uit."
    later(30)
    assert 60 < seconds_shown() <= 89
    assert spoken.inner_text() == "Over 2 minuten loggen we u uit."
    # Once a minute, and at 30 seconds, it says how long is left.
    later(30)
    assert 30 < seconds_shown() <= 59
    assert spoken.inner_text() == "Over 1 minuut loggen we u uit."
    later(30)
    assert seconds_shown() <= 30
    assert spoken.inner_text() == "Over 30 seconden loggen we u uit."

    # Escape means "Doorgaan": the session is extended, not only the warning closed.
    with page.expect_response("**/sessie-verlengen") as extended:
        page.keyboard.press("Escape")
    assert extended.value.ok
    dialog.wait_for(state="hidden")
    later(10 * 60)  # well past the end the first warning announced
    assert page.url.endswith("/mijn-gegevens")
    assert not dialog.is_visible()
    # The next warning comes at its time, with the time left counted from the extension.
    later(3 * 60 + 1)
    dialog.wait_for(state="visible")
    assert 110 <= seconds_shown() <= 119


@pytest.mark.urls("tests.support.problem_urls")
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_login_error_page_is_accessible_and_explains_itself(page, live_server, axe, language):
    from profiles.login.errors import PROBLEMS

    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    titles = set()
    for reason in PROBLEMS:
        page.goto(f"/login-problem/{reason}")
        titles.add(page.locator("h1").inner_text())
        assert reason in page.locator("main").inner_text()
        assert axe(page) == [], reason
    assert len(titles) == len(PROBLEMS)
