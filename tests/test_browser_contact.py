"""Changing the e-mail address in a real browser, in Dutch and English, checked with axe-core."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from profiles.choices import ContactPreference
from profiles.models import ContactDetail, Profile
from tests.support.browser_login import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "nl": {
        "change": "Wijzig uw e-mailadres",
        "required": "Vul een e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
        "check": "Controleer uw nieuwe e-mailadres",
        "code": "Vul de code voor uw e-mailadres in",
        "wrong": "Deze code klopt niet.",
        "done": "Uw e-mailadres is gewijzigd.",
        "too_many": "Vaker kan niet.",
        "blocked": "U kunt uw e-mailadres nu niet verwijderen",
        "remove": "Uw telefoonnummer verwijderen",
        "conflict": "Uw e-mailadres is intussen gewijzigd",
    },
    "en": {
        "change": "Change your e-mail address",
        "required": "Fill in an e-mail address, for example name@example.nl.",
        "check": "Check your new e-mail address",
        "code": "Fill in the code for your e-mail address",
        "wrong": "This code is not correct.",
        "done": "Your e-mail address has been changed.",
        "too_many": "That is the most we allow.",
        "blocked": "You cannot remove your e-mail address now",
        "remove": "Remove your phone number",
        "conflict": "Your e-mail address was changed in the meantime",
    },
}


def log_in(page, live_server, language: str) -> Profile:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    browser_login(page)
    return Profile.objects.get()


def heading(page) -> str:
    return page.locator("h1").inner_text()


def submit(page, form: int = 0) -> None:
    """Press the first button of the n-th form in the main content, and wait for the answer."""
    with page.expect_navigation():
        page.locator("main form").nth(form).locator("button[type=submit]").first.click()


def latest_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_change_the_email_address_from_start_to_end(page, live_server, broker, axe, language):
    text = TEXT[language]
    log_in(page, live_server, language)

    page.goto("/mijn-gegevens/e-mailadres")
    assert heading(page) == text["change"]
    assert page.locator("html").get_attribute("lang") == language
    assert axe(page) == [], "empty form"

    # Nothing filled in: the summary gets focus and its link leads to the field.
    submit(page)
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert text["required"] in summary.inner_text()
    assert axe(page) == [], "form with an error"
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_email"

    page.locator("#id_email").fill("naam@voorbeeld.nl")
    assert axe(page) == [], "filled form"
    submit(page)
    page.wait_for_url(re.compile(r"/controleren$"))
    assert heading(page) == text["check"]
    assert "naam@voorbeeld.nl" in page.locator("main").inner_text()
    assert axe(page) == [], "check page"

    submit(page)
    page.wait_for_url(re.compile(r"/code$"))
    assert heading(page) == text["code"]
    assert mail.outbox[-1].to == ["naam@voorbeeld.nl"]
    code = latest_code()
    assert axe(page) == [], "code page"

    page.locator("#id_code").fill(f"{(int(code) + 1) % 10**6:06d}")
    submit(page)
    page.locator("[data-error-summary]").wait_for()
    assert text["wrong"] in page.locator("[data-error-summary]").inner_text()
    assert axe(page) == [], "code page with an error"

    page.locator("#id_code").fill(f"{code[:3]} {code[3:]}")  # pasted with a space
    submit(page)
    # No jump to a fragment: the confirmation at the top has focus (tests/test_browser_confirmation)
    page.wait_for_url(re.compile(r"/mijn-gegevens$"))
    assert text["done"] in page.get_by_role("status").first.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-notification-focus')")
    assert "naam@voorbeeld.nl" in page.locator("main").inner_text()
    assert axe(page) == [], "overview after the change"
    assert ContactDetail.objects.get().value == "naam@voorbeeld.nl"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_other_states_of_the_contact_pages_are_accessible(
    page, live_server, broker, axe, language
):
    text = TEXT[language]
    profile = log_in(page, live_server, language)
    now = timezone.now()
    ContactDetail.objects.create(
        profile=profile, kind="phone", value="+31612345678", verified_at=now
    )
    ContactDetail.objects.create(
        profile=profile, kind="email", value="oud@voorbeeld.nl", verified_at=now
    )
    Profile.objects.filter(pk=profile.pk).update(contact_preference=ContactPreference.DIGITAL)

    # Removing: the confirmation for the phone, the explanation for the e-mail address.
    page.goto("/mijn-gegevens/telefoonnummer/verwijderen")
    assert heading(page) == text["remove"]
    assert axe(page) == [], "remove phone"
    page.goto("/mijn-gegevens/e-mailadres/verwijderen")
    assert text["blocked"] in page.locator("main").inner_text()
    assert axe(page) == [], "e-mail cannot be removed"

    # Another tab changes the address while this one is on the check page.
    page.goto("/mijn-gegevens/e-mailadres")
    page.locator("#id_email").fill("nieuw@voorbeeld.nl")
    submit(page)
    page.wait_for_url(re.compile(r"/controleren$"))
    ContactDetail.objects.filter(kind="email").update(value="ander@voorbeeld.nl", version=2)
    submit(page)
    page.locator("h1").wait_for()
    assert heading(page) == text["conflict"]
    assert "ander@voorbeeld.nl" in page.locator("main").inner_text()
    assert axe(page) == [], "conflict page"

    # "Use my change", then too many codes.
    submit(page)
    page.wait_for_url(re.compile(r"/code$"))
    for _ in range(3):
        submit(page, form=1)
    assert text["too_many"] in page.get_by_role("alert").first.inner_text()
    assert axe(page) == [], "too many codes"
