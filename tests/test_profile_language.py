"""The profile remembers the language the person uses the portal in, and the e-mails and text
messages of notifications come in that language (issue #7)."""

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from core import sms
from notifications.models import ChannelPreference
from profiles.models import Profile
from tests.factories import make_organisation, make_profile
from tests.support.browser_login import browser_login
from tests.support.notifications import DB_TASKS, confirmed, legal_task, submit

pytestmark = pytest.mark.django_db

PREFERENCES = "/berichten/voorkeuren"
LINE = {
    "nl": "Wij sturen u e-mails en sms-berichten in het Nederlands.",
    "en": "We send you e-mails and text messages in English.",
}


def text(response) -> str:
    return html.unescape(response.content.decode())


def profile_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "profiles_profile"')]


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.MemorySmsGateway.clear()
    yield
    sms.MemorySmsGateway.clear()


# --- how the language is set ----------------------------------------------------------------------


def test_switching_the_language_while_logged_in_stores_it(client, login):
    profile = login()
    assert profile.language == "nl"

    response = client.post("/taal", {"language": "en", "next": PREFERENCES})

    assert response.status_code == 302 and response["Location"] == PREFERENCES
    profile.refresh_from_db()
    assert profile.language == "en"
    assert LINE["en"] in text(client.get(PREFERENCES))

    client.post("/taal", {"language": "nl", "next": PREFERENCES})
    profile.refresh_from_db()
    assert profile.language == "nl"
    assert LINE["nl"] in text(client.get(PREFERENCES))


def test_a_language_the_portal_does_not_offer_changes_nothing(client, login):
    profile = login()

    client.post("/taal", {"language": "de", "next": PREFERENCES})

    profile.refresh_from_db()
    assert profile.language == "nl"
    assert LINE["nl"] in text(client.get(PREFERENCES))


def test_switching_while_logged_out_only_sets_the_cookie(client):
    profile = make_profile()

    response = client.post("/taal", {"language": "en", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    profile.refresh_from_db()
    assert profile.language == "nl"


def test_login_stores_the_language_of_the_visit(client, login):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    profile = login()

    profile.refresh_from_db()
    assert profile.language == "en"


def test_on_a_device_without_a_choice_the_portal_speaks_the_language_chosen_before(client, login):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login()
    client.logout()
    client.cookies.clear()  # another device: nothing chosen there

    profile = login()

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert LINE["en"] in text(client.get(PREFERENCES))
    profile.refresh_from_db()
    assert profile.language == "en"


def test_the_language_is_written_only_when_it_changes(client, login):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login()

    with CaptureQueriesContext(connection) as queries:
        login()  # again, in the same language
        client.post("/taal", {"language": "en", "next": "/"})
        client.get(PREFERENCES)
        client.get("/mijn-gegevens")

    assert profile_writes(queries) == []
    assert Profile.objects.get().language == "en"


# --- what the person sees -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_preferences_page_says_which_language_messages_come_in(client, login, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login()

    page = text(client.get(PREFERENCES))

    assert LINE[language] in page
    assert {
        "nl": "Die tekst kan in een andere taal zijn.",
        "en": "That text may be in another language.",
    }[language] in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_my_details_says_which_language_messages_come_in(client, login, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login()

    page = text(client.get("/mijn-gegevens"))

    key, value = {
        "nl": ("Taal van berichten", "Nederlands"),
        "en": ("Language of messages", "English"),
    }[language]
    assert re.search(rf"<dt[^>]*>{key}</dt>\s*<dd[^>]*>\s*{value}", page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_language_button_changes_the_language_of_messages_in_a_browser(
    page, live_server, broker, axe
):
    browser_login(page)
    page.goto(PREFERENCES)
    assert LINE["nl"] in page.locator("main").inner_text()

    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"**{PREFERENCES}")

    assert LINE["en"] in page.locator("main").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe(page) == []
    assert Profile.objects.get().language == "en"


# --- notifications in the recipient's language ----------------------------------------------------

EMAIL = {
    "nl": ("Gemeente Testdorp heeft u een bericht gestuurd.", "Met vriendelijke groet,"),
    "en": ("Gemeente Testdorp sent you a message.", "Kind regards,"),
}
SMS = {
    "nl": "Gemeente Testdorp heeft u een bericht gestuurd: Uw aanvraag is in behandeling.",
    "en": "Gemeente Testdorp sent you a message: Uw aanvraag is in behandeling.",
}


def person_speaking(language: str) -> Profile:
    profile = make_profile()
    profile.language = language
    profile.save()
    confirmed(profile, value=f"{language}@voorbeeld.nl")
    confirmed(profile, "phone", "+31612345678")
    return profile


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_email_and_a_text_message_come_in_the_recipients_language(language):
    gemeente = make_organisation("Gemeente Testdorp")
    person = person_speaking(language)
    ChannelPreference.objects.create(
        profile=person, organisation=gemeente, kind="statuswijziging", email=True, sms=True
    )

    submit(gemeente, legal_task(gemeente), person)

    [message] = mail.outbox
    assert message.to == [f"{language}@voorbeeld.nl"]
    # The subject is what the organisation wrote; the words around it are ours.
    assert message.subject == "Uw aanvraag is in behandeling (Gemeente Testdorp)"
    [(html_body, _type)] = message.alternatives
    for expected in EMAIL[language]:
        assert expected in message.body
        assert expected in html.unescape(html_body)
    assert f'<html lang="{language}">' in html_body
    [text_message] = sms.outbox
    assert text_message.text.startswith(SMS[language])


def run_queued_tasks() -> None:
    """Run what the intake queued, as the worker would (without its polling and locking)."""
    for queued in DBTaskResult.objects.ready():
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        queued.delete()


def test_the_language_costs_no_query_per_message(settings):
    settings.TASKS = DB_TASKS  # queue the deliveries; this test runs them itself
    gemeente = make_organisation("Gemeente Testdorp")
    doelbinding = legal_task(gemeente)
    counts = []
    for language in ("nl", "en"):
        person = person_speaking(language)
        submit(gemeente, doelbinding, person, idempotency_key=language)
        with CaptureQueriesContext(connection) as queries:
            run_queued_tasks()
        counts.append(len(queries))
        # The recipient comes with the delivery; reading it on its own would be one more query.
        assert [q for q in queries if 'FROM "profiles_profile" WHERE' in q["sql"]] == []

    assert counts[0] == counts[1]
    assert [m.to for m in mail.outbox] == [["nl@voorbeeld.nl"], ["en@voorbeeld.nl"]]
    assert EMAIL["nl"][0] in mail.outbox[0].body
    assert EMAIL["en"][0] in mail.outbox[1].body
