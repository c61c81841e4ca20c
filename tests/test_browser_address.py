"""The postal address and contact preference in a real browser: every page and state it can be
in, in Dutch and English, with zero axe-core violations."""

import re

import pytest

from profiles.models import PostalAddress, Profile
from tests.support.browser_login import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "nl": {
        "change_address": "Wijzigen Postadres",
        "change_preference": "Wijzigen Hoe wij contact met u opnemen",
        "in_nl": "In Nederland",
        "abroad": "In het buitenland",
        "continue": "Doorgaan",
        "find": "Adres zoeken",
        "save": "Opslaan",
        "save_mine": "Mijn wijziging opslaan",
        "summary": "Er ging iets mis",
        "postcode_invalid": "Vul een postcode in met 4 cijfers en 2 letters",
        "not_found": "We hebben geen adres gevonden",
        "choose_address": "Kies uw adres uit de lijst",
        "check_address": "Controleer uw nieuwe postadres",
        "check_preference": "Controleer hoe wij contact met u opnemen",
        "address_saved": "We hebben uw nieuwe postadres opgeslagen.",
        "digital": "Digitaal",
        "post": "Per post",
        "email_needed": "U heeft nog geen bevestigd e-mailadres.",
        "preference_saved": "We hebben opgeslagen hoe u berichten wilt krijgen.",
        "lines_too_few": "Schrijf het adres op minstens 2 regels.",
        "address": "Adres",
        "country": "Land",
        "belgium": "België",
        "conflict": "Uw postadres is intussen gewijzigd",
    },
    "en": {
        "change_address": "Change Postal address",
        "change_preference": "Change How we contact you",
        "in_nl": "In the Netherlands",
        "abroad": "Abroad",
        "continue": "Continue",
        "find": "Find the address",
        "save": "Save",
        "save_mine": "Save my change",
        "summary": "There is a problem",
        "postcode_invalid": "Enter a postcode with 4 digits and 2 letters",
        "not_found": "We found no address",
        "choose_address": "Choose your address from the list",
        "check_address": "Check your new postal address",
        "check_preference": "Check your new contact preference",
        "address_saved": "We saved your new postal address.",
        "digital": "Digital",
        "post": "By post",
        "email_needed": "You do not have a confirmed e-mail address yet.",
        "preference_saved": "We saved how you want to receive messages.",
        "lines_too_few": "Write the address on at least 2 lines.",
        "address": "Address",
        "country": "Country",
        "belgium": "Belgium",
        "conflict": "Your postal address changed in the meantime",
    },
}


def logged_in(page, live_server, language: str) -> dict:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    browser_login(page)
    return TEXT[language]


def heading(page) -> str:
    return page.locator("h1").inner_text()


def assert_accessible(page, axe, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe(page) == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_change_to_a_dutch_address_found_in_bag(page, live_server, broker, axe, language):
    t = logged_in(page, live_server, language)

    page.get_by_role("link", name=t["change_address"]).click()
    assert_accessible(page, axe, language)  # where: empty
    page.get_by_role("button", name=t["continue"]).click()
    assert t["summary"] in page.locator(".error-summary").inner_text()
    assert_accessible(page, axe, language)  # where: error
    page.get_by_label(t["in_nl"]).check()
    page.get_by_role("button", name=t["continue"]).click()
    page.wait_for_url(re.compile(r"/postadres/nederland\?"))
    assert_accessible(page, axe, language)  # postcode and number: empty

    page.locator("#id_postcode").fill("12")
    page.locator("#id_huisnummer").fill("1")
    page.get_by_role("button", name=t["find"]).click()
    assert t["postcode_invalid"] in page.locator(".error-summary").inner_text()
    assert page.locator("#id_postcode").input_value() == "12"
    assert_accessible(page, axe, language)  # postcode and number: error
    page.locator("#id_postcode").fill("9999 AA")
    page.get_by_role("button", name=t["find"]).click()
    assert t["not_found"] in page.locator(".error-summary").inner_text()
    assert_accessible(page, axe, language)  # postcode and number: not found

    page.locator("#id_postcode").fill("1234 ab")
    page.get_by_role("button", name=t["find"]).click()
    page.wait_for_url(re.compile(r"/postadres/kies\?"))
    assert_accessible(page, axe, language)  # choice
    page.get_by_role("button", name=t["continue"]).click()
    assert t["choose_address"] in page.locator(".error-summary").inner_text()
    assert_accessible(page, axe, language)  # choice: error
    page.get_by_label("Hoofdstraat 1A, 1234 AB Voorbeeldstad").check()
    page.get_by_role("button", name=t["continue"]).click()

    page.wait_for_url(re.compile(r"/postadres/controleren\?"))
    assert heading(page) == t["check_address"]
    assert "Hoofdstraat 1A\n1234 AB Voorbeeldstad" in page.locator("main").inner_text()
    assert_accessible(page, axe, language)  # check
    page.get_by_role("button", name=t["save"]).click()

    page.wait_for_url(re.compile(r"/mijn-gegevens$"))
    assert t["address_saved"] in page.get_by_role("status").first.inner_text()
    assert "Hoofdstraat 1A" in page.locator(".summary-list").first.inner_text()
    assert_accessible(page, axe, language)  # success
    assert PostalAddress.objects.get().bag_id == "0999010000000002"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_change_the_contact_preference(page, live_server, broker, axe, language):
    t = logged_in(page, live_server, language)

    page.get_by_role("link", name=t["change_preference"]).click()
    page.wait_for_url(re.compile(r"/contactvoorkeur$"))
    assert_accessible(page, axe, language)  # empty, with the e-mail explanation
    page.get_by_label(t["digital"]).check()
    page.get_by_role("button", name=t["continue"]).click()
    assert t["email_needed"] in page.locator(".error-summary").inner_text()
    assert page.get_by_label(t["digital"]).is_checked()
    assert_accessible(page, axe, language)  # error: no confirmed e-mail address

    page.get_by_label(t["post"]).check()
    page.get_by_role("button", name=t["continue"]).click()
    page.wait_for_url(re.compile(r"/contactvoorkeur/controleren$"))
    assert heading(page) == t["check_preference"]
    assert_accessible(page, axe, language)  # check
    page.get_by_role("button", name=t["save"]).click()

    page.wait_for_url(re.compile(r"/mijn-gegevens$"))
    assert t["preference_saved"] in page.get_by_role("status").first.inner_text()
    assert_accessible(page, axe, language)  # success
    assert Profile.objects.get().contact_preference == "post"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_foreign_address_and_a_change_made_meanwhile(page, live_server, broker, axe, language):
    t = logged_in(page, live_server, language)
    page.get_by_role("link", name=t["change_address"]).click()
    page.get_by_label(t["abroad"]).check()
    page.get_by_role("button", name=t["continue"]).click()
    page.wait_for_url(re.compile(r"/postadres/buitenland\?"))
    assert_accessible(page, axe, language)  # foreign: empty

    page.get_by_label(t["address"], exact=True).fill("Rue de la Loi 16")
    page.get_by_label(t["country"]).select_option(label=t["belgium"])
    page.get_by_role("button", name=t["continue"]).click()
    assert t["lines_too_few"] in page.locator(".error-summary").inner_text()
    assert_accessible(page, axe, language)  # foreign: error
    page.get_by_label(t["address"], exact=True).fill("Rue de la Loi 16\n1000 Bruxelles")
    page.get_by_role("button", name=t["continue"]).click()
    page.wait_for_url(re.compile(r"/postadres/controleren\?"))
    assert t["belgium"] in page.locator("main").inner_text()

    # Meanwhile, another tab saves a Dutch address.
    other = page.context.new_page()
    other.goto("/mijn-gegevens/postadres")
    other.get_by_label(t["in_nl"]).check()
    other.get_by_role("button", name=t["continue"]).click()
    other.locator("#id_postcode").fill("3511 AB")
    other.locator("#id_huisnummer").fill("100")
    other.get_by_role("button", name=t["find"]).click()
    other.get_by_role("button", name=t["save"]).click()
    other.wait_for_url(re.compile(r"/mijn-gegevens$"))
    other.close()

    page.get_by_role("button", name=t["save"]).click()
    assert heading(page) == t["conflict"]
    main = page.locator("main").inner_text()
    assert "Oudegracht 100" in main
    assert "Rue de la Loi 16" in main
    assert_accessible(page, axe, language)  # conflict
    page.get_by_role("button", name=t["save_mine"]).click()
    page.wait_for_url(re.compile(r"/mijn-gegevens$"))
    assert t["address_saved"] in page.get_by_role("status").first.inner_text()
    assert PostalAddress.objects.get().country == "BE"
