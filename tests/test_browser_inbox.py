"""'Berichten' and 'Hoe wilt u berichten krijgen?' in a real browser: every state of each page,
in Dutch and English, with zero axe-core violations, and usable with the keyboard."""

import re

import pytest
from django.utils import timezone

from notifications.inbox_services import inbox_message_create
from notifications.preferences.selectors import channel_preference_overview
from notifications.preferences.services import channel_preferences_save
from profiles.models import ContactDetail, Profile
from tests.factories import make_organisation
from tests.support.browser_login import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "nl": {
        "empty": "U heeft nog geen berichten.",
        "from": "Organisatie",
        "show": "Tonen",
        "next": "Volgende pagina",
        "page_2": "Pagina 2 van 2",
        "unread": "Ongelezen",
        "mark_unread": "Markeer als ongelezen",
        "marked": "staat nu op ongelezen",
        "external": "andere website: www.testdorp.nl",
        "only_inbox": "Daarom krijgt u berichten nu alleen in uw berichtenbox.",
        "email_action": "E-mail voor actie nodig (Gemeente Testdorp)",
        "sms_decision": "Sms voor besluit (Gemeente Testdorp)",
        "save": "Keuzes opslaan voor Gemeente Testdorp",
        "summary": "Er ging iets mis",
        "action_needed": "Kies voor “actie nodig” van Gemeente Testdorp minstens één manier",
        "saved": "We hebben opgeslagen hoe u berichten van Gemeente Testdorp wilt krijgen.",
        "conflict": "Uw keuzes zijn intussen gewijzigd",
        "save_mine": "Mijn wijziging opslaan",
    },
    "en": {
        "empty": "You have no messages yet.",
        "from": "Organisation",
        "show": "Show",
        "next": "Next page",
        "page_2": "Page 2 of 2",
        "unread": "Unread",
        "mark_unread": "Mark as unread",
        "marked": "as unread",
        "external": "another website: www.testdorp.nl",
        "only_inbox": "So for now you get messages only in your message box.",
        "email_action": "E-mail for action needed (Gemeente Testdorp)",
        "sms_decision": "Text message for decision (Gemeente Testdorp)",
        "save": "Save choices for Gemeente Testdorp",
        "summary": "There is a problem",
        "action_needed": "Choose at least one way for “action needed” from Gemeente Testdorp",
        "saved": "We saved how you want to receive messages from Gemeente Testdorp.",
        "conflict": "Your choices changed in the meantime",
        "save_mine": "Save my change",
    },
}


def logged_in(page, live_server, language: str) -> dict:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    browser_login(page)
    return TEXT[language]


def assert_accessible(page, axe, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe(page) == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_inbox_a_message_and_mark_as_unread(page, live_server, broker, axe, language):
    t = logged_in(page, live_server, language)

    page.goto("/berichten")
    assert t["empty"] in page.locator("main").inner_text()
    assert_accessible(page, axe, language)  # empty

    profile = Profile.objects.get()
    testdorp = make_organisation("Gemeente Testdorp")
    for number in range(30):
        inbox_message_create(
            profile=profile,
            organisation=testdorp,
            kind="statuswijziging",
            subject=f"Bericht {number:02d}",
            body="Wij behandelen uw aanvraag.\nU hoort snel meer.",
            link="https://www.testdorp.nl/aanvraag",
        )
    inbox_message_create(
        profile=profile, kind="beveiliging", subject="Uw e-mailadres is gewijzigd", body="Tekst"
    )
    page.reload()
    assert page.locator("tbody tr").count() == 25
    assert_accessible(page, axe, language)  # filled

    page.get_by_label(t["from"]).select_option(label="Gemeente Testdorp")
    page.get_by_role("button", name=t["show"]).click()
    page.wait_for_url(re.compile(r"organisatie="))
    page.get_by_role("link", name=t["next"]).click()
    assert t["page_2"] in page.locator("main").inner_text()
    assert page.locator("tbody tr").count() == 5
    assert_accessible(page, axe, language)  # filtered, second page

    page.get_by_role("link", name="Bericht 00").click()
    assert page.locator("h1").inner_text() == "Bericht 00"
    assert t["external"] in page.locator("main").inner_text()
    assert_accessible(page, axe, language)  # a message

    page.get_by_role("button", name=t["mark_unread"]).click()
    page.wait_for_url(re.compile(r"/berichten$"))
    assert t["marked"] in page.locator(".notification").inner_text()
    assert_accessible(page, axe, language)  # success


@pytest.mark.parametrize("language", ["nl", "en"])
def test_choosing_channels_with_an_error_a_save_and_a_conflict(
    page, live_server, broker, axe, language
):
    t = logged_in(page, live_server, language)
    profile = Profile.objects.get()
    make_organisation("Gemeente Testdorp")
    make_organisation("Waterschap Nat")

    page.goto("/berichten/voorkeuren")
    assert t["only_inbox"] in page.locator("main").inner_text()
    assert_accessible(page, axe, language)  # nothing to choose yet

    for kind, value in (("email", "ik@voorbeeld.nl"), ("phone", "+31612345678")):
        ContactDetail.objects.create(
            profile=profile, kind=kind, value=value, verified_at=timezone.now()
        )
    page.reload()
    action_email = page.get_by_label(t["email_action"])
    assert action_email.is_checked()  # the default of the general preference
    assert_accessible(page, axe, language)  # filled

    action_email.uncheck()
    page.get_by_label(t["sms_decision"]).check()
    page.get_by_role("button", name=t["save"]).click()
    summary = page.locator(".error-summary")
    assert t["summary"] in summary.inner_text()
    assert t["action_needed"] in summary.inner_text()
    assert page.get_by_label(t["sms_decision"]).is_checked()  # the input is kept
    assert_accessible(page, axe, language)  # error
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id").endswith("actie_nodig_0")
    page.keyboard.press("Space")
    assert page.get_by_label(t["email_action"]).is_checked()
    page.get_by_role("button", name=t["save"]).click()
    assert t["saved"] in page.locator(".notification").inner_text()
    assert_accessible(page, axe, language)  # success

    # Another window saves meanwhile; this one still shows the choices from before.
    testdorp = channel_preference_overview(profile).organisations[0]
    channel_preferences_save(
        profile=profile,
        organisation=testdorp.organisation,
        choices={"besluit": {"sms"}},
        seen_version=testdorp.version,
    )
    page.get_by_label(t["sms_decision"]).uncheck()
    page.get_by_role("button", name=t["save"]).click()
    assert page.locator("h1").inner_text() == t["conflict"]
    assert_accessible(page, axe, language)  # conflict
    page.get_by_role("button", name=t["save_mine"]).click()
    assert t["saved"] in page.locator(".notification").inner_text()
