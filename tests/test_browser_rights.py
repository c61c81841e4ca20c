"""The rights pages in a real browser: no axe-core violations in nl and en, the download page
prints as it should (Chromium's print emulation), and erasing works with the keyboard alone."""

import re

import pytest

from consent.models import Consent
from profiles.models import Profile
from profiles.rights.models import DataExport
from tests.support.browser_login import browser_login
from tests.support.keyboard import press_on, tab_to
from tests.support.rights import Person, full_use

pytestmark = [
    pytest.mark.usefixtures("empty_processing_log"),
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ME = Person(
    email="browser@voorbeeld.nl",
    phone="+31677778888",
    street="Schermweg",
    note="Mijn naam klopt niet",
    subject="Besluit over uw aanvraag",
    pending_email="wacht@voorbeeld.nl",
)


def _in(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def _check(page, axe, language: str, state: str) -> None:
    assert page.locator("html").get_attribute("lang") == language, state
    assert page.locator("h1").count() == 1, state
    assert axe(page) == [], state


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_rights_page_has_no_accessibility_violations(
    page, live_server, broker, axe, client, language
):
    _in(page, live_server, language)
    browser_login(page)
    profile = Profile.objects.get()
    full_use(client, profile, ME, tag="Scherm")

    page.goto("/mijn-gegevens/downloaden")
    _check(page, axe, language, "download, no file yet")
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"/mijn-gegevens/downloaden$"))
    _check(page, axe, language, "download, file ready")
    export = DataExport.objects.get()
    page.goto(f"/mijn-gegevens/downloaden/{export.pk}/overzicht")
    assert ME.street in page.inner_text("main")
    _check(page, axe, language, "the download as a page")

    consent = Consent.objects.filter(profile=profile, withdrawn_at__isnull=False).get()
    page.goto("/toestemmingen/geschiedenis")
    _check(page, axe, language, "history with receipt links")
    for event in ("given", "withdrawn"):
        page.goto(f"/toestemmingen/bewijs/{consent.pk}/{event}")
        _check(page, axe, language, f"receipt {event}")

    page.goto("/privacy")
    _check(page, axe, language, "privacy")
    page.goto("/mijn-gegevens/verwijderen")
    _check(page, axe, language, "erase")
    page.goto("/mijn-gegevens/verwijderen/bevestigen")
    _check(page, axe, language, "erase, confirm")
    page.locator("main form button").click()
    _check(page, axe, language, "erase, confirm without the tick")
    page.locator("#id_confirm").check()
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"/gegevens-verwijderd$"))
    _check(page, axe, language, "erased")


def test_the_download_page_prints_without_navigation_and_with_its_note(
    page, live_server, broker, client
):
    browser_login(page)
    full_use(client, Profile.objects.get(), ME, tag="Papier")
    page.goto("/mijn-gegevens/downloaden")
    page.locator("main form button").click()
    page.goto(f"/mijn-gegevens/downloaden/{DataExport.objects.get().pk}/overzicht")

    def display(selector: str) -> str:
        return page.locator(selector).first.evaluate("el => getComputedStyle(el).display")

    assert display(".document-print-note") == "none"
    assert display(".page-header__bar") != "none"
    assert display(".no-print") != "none"

    page.emulate_media(media="print")

    assert display(".document-print-note") == "block"
    for hidden in (".page-header__bar", ".page-footer", ".no-print", ".skip-link"):
        assert display(hidden) == "none", hidden
    assert "Bewaar dit papier op een veilige plek" in page.inner_text("main")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_erasing_with_the_keyboard_alone(page, live_server, broker, client):
    browser_login(page)
    full_use(client, Profile.objects.get(), ME, tag="Toetsenbord")
    page.goto("/mijn-gegevens")

    press_on(page, page.get_by_role("link", name="Mijn gegevens verwijderen"))
    page.wait_for_url(re.compile(r"/mijn-gegevens/verwijderen$"))
    press_on(page, page.get_by_role("link", name="Verder met mijn gegevens verwijderen"))
    page.wait_for_url(re.compile(r"/bevestigen$"))
    press_on(page, page.get_by_role("button", name="Verwijder al mijn gegevens"))
    page.wait_for_selector(".error-summary")
    assert Profile.objects.count() == 1
    tab_to(page, page.get_by_label("Ja, ik wil al mijn gegevens verwijderen", exact=False))
    page.keyboard.press("Space")
    press_on(page, page.get_by_role("button", name="Verwijder al mijn gegevens"))

    page.wait_for_url(re.compile(r"/gegevens-verwijderd$"))
    assert "Uw gegevens zijn verwijderd" in page.inner_text("h1")
    assert Profile.objects.count() == 0
