"""Every page of the portal in its states, as a person reaches them, in Dutch and in English.

One walk per language through the public pages, the three logins and every flow (errors,
checks, codes, confirmations), with the checks of tests/support/crawl.py on each state: zero
axe-core violations, no sideways scrolling at 320 px, organisation text marked Dutch on English
pages, the B1 word list on Dutch pages; and at the end no page title shared by two pages.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from consent.choices import DataField, LegalBasis, Reason
from consent.gate import Decision
from consent.ldv import Trace, processing_record_write, pseudonym_for
from consent.services import consent_give
from core import sms
from notifications.inbox_services import inbox_message_create
from profiles.models import Profile
from tests.factories import approved_version_save, make_doelbinding, make_organisation
from tests.support.browser_login import browser_login
from tests.support.crawl import Crawl

pytestmark = [
    pytest.mark.usefixtures("empty_processing_log"),
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PUBLIC = ["/", "/inloggen", "/hulp", "/privacy", "/toegankelijkheid", "/bestaat-niet"]
API_DOCS = "/api/profielen/v1/docs"
# Organisation text of the test data: Dutch whatever the page's language.
PERMIT = "Berichten over uw vergunning"
PERMIT_TEXT = "Wij sturen u berichten over uw aanvraag voor een vergunning."
LAW = "Algemene wet bestuursrecht, artikel 2:14"
NEWSLETTER = "Nieuwsbrief voor ondernemers"
NEWSLETTER_TEXT = "Wij sturen u elke maand nieuws voor ondernemers."
SUBJECT = "Uw aanvraag voor een vergunning"
BODY = "Wij behandelen uw aanvraag."
ORGANISATION_TEXTS = [
    PERMIT,
    PERMIT_TEXT,
    LAW,
    NEWSLETTER,
    NEWSLETTER_TEXT,
    "Tot 2 jaar na het besluit",
    SUBJECT,
    BODY,
    "U hoort snel meer.",
]


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.MemorySmsGateway.clear()
    yield
    sms.MemorySmsGateway.clear()


def organisation_data(profile):
    """Two organisations, a legal task, a consent given and one not, messages, reads."""
    gemeente = make_organisation("Gemeente Voorbeeldstad")
    permit = make_doelbinding(gemeente, name=PERMIT, legal_basis=LegalBasis.LEGAL_TASK)
    approved_version_save(
        doelbinding=permit,
        fields={DataField.EMAIL, DataField.POSTAL_ADDRESS},
        name=PERMIT,
        description=PERMIT_TEXT,
        legal_basis=LegalBasis.LEGAL_TASK,
        law=LAW,
        law_url="https://wetten.overheid.nl/BWBR0005537",
        retention="Tot 2 jaar na het besluit",
    )
    newsletter = make_doelbinding(gemeente, name=NEWSLETTER)
    approved_version_save(
        doelbinding=newsletter,
        fields={DataField.EMAIL},
        name=NEWSLETTER,
        description=NEWSLETTER_TEXT,
        legal_basis=LegalBasis.CONSENT,
        retention="Tot 2 jaar na het besluit",
    )
    waterschap = make_organisation("Waterschap De Polder")
    reminder = make_doelbinding(waterschap, name="Herinnering waterschapsbelasting")
    consent_give(profile=profile, doelbinding=reminder, version_id=reminder.current_version.pk)
    for number in range(26):
        inbox_message_create(
            profile=profile,
            organisation=gemeente,
            kind="statuswijziging",
            subject=f"{SUBJECT} {number:02d}",
            body=f"{BODY}\nU hoort snel meer.",
            link="https://www.voorbeeldstad.nl/aanvraag",
        )
    asked = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)
    for doelbinding, reason, at in (
        (permit, Reason.ALLOWED, asked),
        (newsletter, Reason.NO_CONSENT, asked + timedelta(days=1)),
    ):
        allowed = reason == Reason.ALLOWED
        processing_record_write(
            trace=Trace.from_header(""),
            organisation=gemeente,
            doelbinding=doelbinding,
            api_client=None,
            subject_type=profile.identity.type,
            pseudonym=pseudonym_for(profile.identity),
            decision=Decision(
                allowed,
                reason,
                frozenset({DataField.EMAIL}) if allowed else frozenset(),
                doelbinding.current_version.pk,
            ),
            started_at=at,
        )
    return newsletter, reminder


def log_out(page) -> None:
    page.locator("header form.logout-form button").click()
    page.wait_for_url(re.compile(r"/uitgelogd$"))


def press(page, selector: str = "main form button[type=submit]") -> None:
    """Press a button that sends a form, and wait for the answer."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def contact_flow(crawl, page, slug: str, value: str, code) -> None:
    page.goto(f"/mijn-gegevens/{slug}")
    crawl.check(f"{slug}: new value")
    press(page)
    crawl.check(f"{slug}: new value, error")
    page.locator("main form input:not([type=hidden])").first.fill(value)
    press(page)
    crawl.check(f"{slug}: check")
    press(page)
    crawl.check(f"{slug}: code")
    page.locator("#id_code").fill("000000" if code() != "000000" else "111111")
    press(page)
    crawl.check(f"{slug}: code, wrong")
    page.locator("#id_code").fill(code())
    press(page)
    crawl.check(f"{slug}: confirmation on My details")


def address_flow(crawl, page) -> None:
    page.goto("/mijn-gegevens/postadres")
    crawl.check("address: where")
    press(page)
    crawl.check("address: where, error")
    page.locator("input[value=buitenland]").check()
    press(page)
    crawl.check("address: abroad")
    press(page)
    crawl.check("address: abroad, error")
    # Back to the first step: pages with personal data are not kept (no-store), so the browser's
    # back button would have to send a form again; start the change anew instead.
    page.goto("/mijn-gegevens/postadres")
    page.locator("input[value=nederland]").check()
    press(page)
    crawl.check("address: in the Netherlands")
    press(page)
    crawl.check("address: in the Netherlands, error")
    page.locator("#id_postcode").fill("1234 AB")
    page.locator("#id_huisnummer").fill("1")
    press(page)
    crawl.check("address: choose")
    press(page)
    crawl.check("address: choose, error")
    page.locator("main input[type=radio]").first.check()
    press(page)
    crawl.check("address: check")
    press(page)
    crawl.check("address: confirmation on My details")


def preference_flow(crawl, page) -> None:
    page.goto("/mijn-gegevens/contactvoorkeur")
    crawl.check("preference: choose")
    page.locator("input[value=post]").check()
    press(page)
    crawl.check("preference: check")
    press(page)
    crawl.check("preference: confirmation on My details")


def consent_pages(crawl, page, newsletter, reminder) -> None:
    page.goto("/toestemmingen")
    crawl.check("consent overview")
    page.goto(f"/toestemmingen/{newsletter.pk}/geven")
    crawl.check("give consent")
    press(page)
    crawl.check("consent given")
    page.goto(f"/toestemmingen/{reminder.pk}/intrekken")
    crawl.check("withdraw consent")
    page.goto("/toestemmingen/geschiedenis")
    crawl.check("consent history")
    page.goto("/wie-gebruikte-mijn-gegevens")
    crawl.check("usage")
    page.locator("#id_organisatie").select_option(index=1)
    press(page)
    crawl.check("usage, filtered")
    page.goto("/wie-gebruikte-mijn-gegevens?organisatie=999999")
    crawl.check("usage, a choice not in the list")


def message_pages(crawl, page) -> None:
    page.goto("/berichten")
    crawl.check("inbox")
    page.locator("main a[rel=next]").click()
    crawl.check("inbox, page 2")
    page.locator("main tbody a").first.click()
    crawl.check("a message")
    press(page)
    crawl.check("inbox after marking a message unread")
    page.goto("/berichten/voorkeuren")
    crawl.check("message preferences")
    form = page.locator("main form.preference-form").first
    for box in form.locator("input[type=checkbox]:not([disabled])").all():
        box.uncheck()
    press(page, "main form.preference-form button[type=submit]")
    crawl.check("message preferences, error")
    page.locator("main form.preference-form input[type=checkbox]:not([disabled])").first.check()
    press(page, "main form.preference-form button[type=submit]")
    crawl.check("message preferences, saved")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_state_passes_what_axe_cannot_check(page, live_server, broker, axe, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    crawl = Crawl(page, language, axe, organisation_texts=ORGANISATION_TEXTS)

    for path in [*PUBLIC, API_DOCS]:
        page.goto(path)
        crawl.check(f"public page {path}")

    browser_login(page, method="eherkenning", identity="eh-branch")
    profile = Profile.objects.get()
    newsletter, reminder = organisation_data(profile)
    page.goto("/mijn-gegevens")
    crawl.check("My details, eHerkenning")
    page.goto("/mijn-gegevens/klopt-dit-niet?register=kvk&item=rechtsvorm")
    crawl.check("report wrong details")
    press(page)
    crawl.check("report wrong details, error")

    email_code = lambda: re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # noqa: E731
    sms_code = lambda: re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)  # noqa: E731
    contact_flow(crawl, page, "e-mailadres", "naam@voorbeeld.nl", email_code)
    contact_flow(crawl, page, "telefoonnummer", "0612345678", sms_code)
    page.goto("/mijn-gegevens/telefoonnummer/verwijderen")
    crawl.check("remove phone number")
    address_flow(crawl, page)
    preference_flow(crawl, page)
    page.goto("/mijn-gegevens/wijzigingen")
    crawl.check("changes")

    consent_pages(crawl, page, newsletter, reminder)
    message_pages(crawl, page)

    log_out(page)
    crawl.check("logged out")
    browser_login(page, method="digid", identity="digid-burger")
    crawl.check("My details, DigiD")
    page.goto("/mijn-gegevens/klopt-dit-niet?register=brp&item=naam")
    crawl.check("report wrong details, BRP")
    log_out(page)
    browser_login(page, method="eidas", identity="eidas-person")
    crawl.check("My details, eIDAS")
    page.goto("/sessie-verlopen")
    crawl.check("logged out after the time ran out")

    assert crawl.states >= 55
    assert crawl.problems == [], "\n".join(crawl.problems)
    assert crawl.titles_shared_between_pages() == {}
