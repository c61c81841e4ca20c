"""The consent pages in a real browser: keyboard only, and no axe-core violations in nl and en."""

import re

import pytest

from consent.choices import DataField, LegalBasis, Reason
from consent.gate import may_process
from consent.services import consent_give
from profiles.models import Profile
from tests.factories import approved_version_save, make_doelbinding, make_organisation
from tests.support.browser_login import browser_login
from tests.support.keyboard import press_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWSLETTER = "Nieuwsbrief voor ondernemers"
REMINDER = "Herinnering waterschapsbelasting"


def make_purposes():
    """A legal task and a consent purpose at one organisation, a consent purpose at another."""
    gemeente = make_organisation("Gemeente Voorbeeldstad")
    permit = make_doelbinding(
        gemeente,
        name="Berichten over uw vergunning",
        legal_basis=LegalBasis.LEGAL_TASK,
        fields={DataField.EMAIL, DataField.POSTAL_ADDRESS},
    )
    approved_version_save(
        doelbinding=permit,
        fields={DataField.EMAIL, DataField.POSTAL_ADDRESS},
        name="Berichten over uw vergunning",
        description="Wij sturen u berichten over uw aanvraag voor een vergunning.",
        legal_basis=LegalBasis.LEGAL_TASK,
        law="Algemene wet bestuursrecht, artikel 2:14",
        law_url="https://wetten.overheid.nl/BWBR0005537",
        retention="Tot 2 jaar na het besluit",
    )
    newsletter = make_doelbinding(gemeente, name=NEWSLETTER)
    reminder = make_doelbinding(
        make_organisation("Waterschap De Polder"), name=REMINDER, fields={DataField.PHONE}
    )
    return gemeente, newsletter, reminder


def new_text(doelbinding, name: str, fields: set[str]):
    return approved_version_save(
        doelbinding=doelbinding,
        fields=fields,
        name=name,
        description="Wij hebben deze tekst aangepast. Lees hem goed.",
        legal_basis=LegalBasis.CONSENT,
        retention="Tot 1 jaar na het laatste bericht",
    )


def submit(page):
    """Press the page's one button and return the answer to the last request (after redirects)."""
    with page.expect_navigation() as navigation:
        page.locator("main button[type=submit]").click()
    return navigation.value


def banner(page) -> str:
    return page.locator(".notification--success").inner_text()


def test_give_and_withdraw_consent_with_the_keyboard(page, broker, axe):
    gemeente, newsletter, _ = make_purposes()
    browser_login(page)
    profile = Profile.objects.get()
    page.goto("/toestemmingen")

    press_on(page, page.get_by_role("link", name=f"Toestemming geven - {NEWSLETTER}"))
    page.wait_for_url(re.compile(r"/geven$"))
    assert page.locator("h2").first.inner_text() == NEWSLETTER
    press_on(page, page.get_by_role("button", name="Ik geef toestemming"))

    page.wait_for_url(re.compile(r"/toestemmingen$"))
    assert "U heeft toestemming gegeven." in banner(page)
    assert may_process(gemeente, newsletter, profile, {DataField.EMAIL}).allowed

    press_on(page, page.get_by_role("link", name=f"Toestemming intrekken - {NEWSLETTER}"))
    page.wait_for_url(re.compile(r"/intrekken$"))
    assert "Vanaf nu mag Gemeente Voorbeeldstad uw gegevens niet meer" in page.inner_text("main")
    press_on(page, page.get_by_role("button", name="Toestemming intrekken"))

    page.wait_for_url(re.compile(r"/toestemmingen$"))
    assert "U heeft uw toestemming ingetrokken." in banner(page)
    decision = may_process(gemeente, newsletter, profile, {DataField.EMAIL})
    assert (decision.allowed, decision.reason) == (False, Reason.NO_CONSENT)
    assert axe(page) == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_state_of_the_consent_pages_has_no_accessibility_violations(
    page, live_server, broker, axe, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    browser_login(page)
    profile = Profile.objects.get()

    def check(state: str, status: int = 200):
        assert response.status == status, state
        assert page.locator("html").get_attribute("lang") == language, state
        assert page.locator("h1").count() == 1, state
        assert axe(page) == [], state

    response = page.goto("/toestemmingen")
    check("overview without any purposes")
    response = page.goto("/toestemmingen/geschiedenis")
    check("empty history")

    _, newsletter, reminder = make_purposes()
    response = page.goto("/toestemmingen")
    check("overview without consents")
    response = page.goto(f"/toestemmingen/{newsletter.pk}/geven")
    check("give consent")

    # The organisation changes the text while the page is open.
    new_text(newsletter, NEWSLETTER, {DataField.EMAIL, DataField.PHONE})
    response = submit(page)
    check("give consent after the text changed", status=409)
    assert page.locator(".notification--warning").count() == 1

    response = submit(page)
    assert page.url.endswith("/toestemmingen")
    check("overview with the banner after giving consent")
    assert page.locator(".notification--success").count() == 1

    # Consent to an older text of the reminder.
    consent_give(profile=profile, doelbinding=reminder, version_id=reminder.current_version.pk)
    new_text(reminder, REMINDER, {DataField.PHONE})
    response = page.goto("/toestemmingen")
    check("overview with a consent and a consent to an older text")
    response = page.goto(f"/toestemmingen/{reminder.pk}/geven")
    check("give consent again for a new text")
    assert page.locator("main .notification--info").count() == 1
    submit(page)

    response = page.goto(f"/toestemmingen/{newsletter.pk}/intrekken")
    check("withdraw")
    response = submit(page)
    assert page.url.endswith("/toestemmingen")
    check("overview with the banner after withdrawing")
    assert page.locator(".notification--success").count() == 1

    response = page.goto("/toestemmingen/geschiedenis")
    check("history with given, replaced and withdrawn consents")
    assert page.locator("tbody tr").count() == 3
