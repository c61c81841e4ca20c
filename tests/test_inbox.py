"""'Berichten': the list, the filter, pages of 25, a message, read and unread, and the count.

Also the security notices: a change of the e-mail address or phone number lands in the inbox.
"""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.inbox_services import inbox_message_create
from notifications.models import InboxMessage
from profiles.models import ContactDetail
from profiles.signals import contact_detail_changed
from tests.factories import make_organisation, make_profile

pytestmark = pytest.mark.django_db

INBOX = "/berichten"


def text(response) -> str:
    return html.unescape(response.content.decode())


def message(profile, subject="Uw aanvraag is ontvangen", *, organisation=None, days_ago=0, **kw):
    item = inbox_message_create(
        profile=profile,
        organisation=organisation,
        kind=kw.pop("kind", "ontvangstbevestiging"),
        subject=subject,
        body=kw.pop("body", "Wij hebben uw aanvraag ontvangen."),
        **kw,
    )
    InboxMessage.objects.filter(pk=item.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return item


def rows(response) -> list[str]:
    """The table's rows as plain text, one string per message."""
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    if not body:
        return []
    found = re.findall(r"<tr>(.*?)</tr>", body[1], re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", r)).split()) for r in found]


# --- the list ----------------------------------------------------------------------------------


def test_the_inbox_lists_messages_newest_first_with_sender_and_unread_in_words(client, login):
    profile = login()
    testdorp = make_organisation("Gemeente Testdorp")
    old = message(profile, "Oud besluit", organisation=testdorp, kind="besluit", days_ago=3)
    message(profile, "Nieuw bericht", organisation=testdorp, days_ago=1)
    message(profile, "Uw e-mailadres is gewijzigd", kind="beveiliging")
    InboxMessage.objects.filter(pk=old.pk).update(read_at=timezone.now())

    response = client.get(INBOX)

    assert "<h1>Berichten</h1>" in text(response)
    listed = rows(response)
    assert len(listed) == 3
    assert listed[0].startswith("Uw e-mailadres is gewijzigd Mijn Omgeving Zakelijk")
    assert listed[0].endswith("Ongelezen")
    assert listed[1].startswith("Nieuw bericht Gemeente Testdorp")
    assert listed[2].startswith("Oud besluit Gemeente Testdorp")
    assert listed[2].endswith("Gelezen")


def test_an_empty_inbox_says_so(client, login):
    login()

    body = text(client.get(INBOX))

    assert "U heeft nog geen berichten." in body
    assert "<table" not in body
    assert '<a href="/berichten/voorkeuren">Kies hoe u berichten wilt krijgen</a>' in body


def test_the_filter_shows_one_organisation_and_keeps_the_choice(client, login):
    profile = login()
    testdorp, nat = make_organisation("Gemeente Testdorp"), make_organisation("Waterschap Nat")
    message(profile, "Van Testdorp", organisation=testdorp)
    message(profile, "Van het waterschap", organisation=nat)
    message(profile, "Van het portaal", kind="beveiliging")

    response = client.get(INBOX, {"organisatie": nat.pk})

    assert [r.split(" Waterschap")[0] for r in rows(response)] == ["Van het waterschap"]
    body = text(response)
    assert re.search(rf'<option value="{nat.pk}" selected>Waterschap Nat</option>', body)
    assert '<caption id="inbox-caption">\n          Uw berichten van Waterschap Nat' in body
    assert '<option value="portaal">Mijn Omgeving Zakelijk</option>' in body
    assert '<label class="form-label" for="id_organisatie">Organisatie' in body
    portal = client.get(INBOX, {"organisatie": "portaal"})
    assert [r.split(" Mijn")[0] for r in rows(portal)] == ["Van het portaal"]


def test_a_filter_on_a_sender_not_in_the_list_shows_everything(client, login):
    profile = login()
    message(profile, "Een bericht", organisation=make_organisation())

    response = client.get(INBOX, {"organisatie": "999999"})

    assert response.status_code == 200
    assert len(rows(response)) == 1


def test_twenty_five_messages_per_page_and_the_filter_stays_on_the_next_page(client, login):
    profile = login()
    testdorp = make_organisation()
    for number in range(30):
        message(profile, f"Bericht {number:02d}", organisation=testdorp, days_ago=number)
    message(profile, "Van het portaal", kind="beveiliging", days_ago=100)

    first = client.get(INBOX, {"organisatie": testdorp.pk})

    assert len(rows(first)) == 25
    assert rows(first)[0].startswith("Bericht 00")
    body = text(first)
    assert "Pagina 1 van 2" in body
    assert f'<a href="?organisatie={testdorp.pk}&pagina=2" rel="next">Volgende pagina</a>' in body
    second = client.get(INBOX, {"organisatie": testdorp.pk, "pagina": 2})
    assert [r.split(" ")[1] for r in rows(second)] == ["25", "26", "27", "28", "29"]
    assert "Vorige pagina" in text(second)
    assert len(rows(client.get(INBOX, {"pagina": "veel"}))) == 25  # nonsense: the first page


# --- one message -------------------------------------------------------------------------------


def test_opening_a_message_shows_it_and_marks_it_read(client, login):
    profile = login()
    item = message(
        profile,
        "Besluit over uw vergunning",
        organisation=make_organisation("Gemeente Testdorp"),
        kind="besluit",
        body="Beste ondernemer,\n\nU krijgt de vergunning. <b>Gefeliciteerd</b>",
    )

    response = client.get(f"{INBOX}/{item.pk}")

    body = text(response)
    assert '<h1 lang="nl">Besluit over uw vergunning</h1>' in body  # the organisation's Dutch
    assert "Gemeente Testdorp" in body
    assert "Besluit" in body
    raw = response.content.decode()
    assert "<p>Beste ondernemer,</p>" in raw  # line breaks kept
    assert "&lt;b&gt;Gefeliciteerd&lt;/b&gt;" in raw  # and the text escaped
    item.refresh_from_db()
    assert item.read_at is not None
    assert rows(client.get(INBOX))[0].endswith("Gelezen")


def test_a_link_to_another_website_says_so(client, login):
    profile = login()
    item = message(profile, "Met link", link="https://www.testdorp.nl/vergunning")

    body = text(client.get(f"{INBOX}/{item.pk}"))

    assert (
        '<a href="https://www.testdorp.nl/vergunning" rel="noopener noreferrer">'
        "Meer informatie over dit bericht (andere website: www.testdorp.nl)</a>"
    ) in body


def test_a_link_that_is_no_web_address_is_not_shown(client, login):
    profile = login()
    item = message(profile, "Gevaarlijk", link="javascript:alert(1)")

    body = text(client.get(f"{INBOX}/{item.pk}"))

    assert "javascript:" not in body
    assert "Meer informatie over dit bericht" not in body


def test_mark_as_unread_goes_back_to_the_list(client, login):
    profile = login()
    item = message(profile, "Nog eens lezen")
    client.get(f"{INBOX}/{item.pk}")

    response = client.post(f"{INBOX}/{item.pk}")

    assert response["Location"] == INBOX
    listing = client.get(INBOX)
    assert "Het bericht “Nog eens lezen” staat nu op ongelezen." in text(listing)
    assert rows(listing)[0].endswith("Ongelezen")


def test_another_persons_message_is_not_found_and_stays_unread(client, login):
    login()
    someone_else = message(make_profile(), "Niet van u")

    assert client.get(f"{INBOX}/{someone_else.pk}").status_code == 404
    assert client.post(f"{INBOX}/{someone_else.pk}").status_code == 404
    someone_else.refresh_from_db()
    assert someone_else.read_at is None
    assert "Niet van u" not in text(client.get(INBOX))


@pytest.mark.parametrize("path", [INBOX, f"{INBOX}/1"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)

    assert response["Location"].startswith("/inloggen?next=")


# --- the unread count in the menu --------------------------------------------------------------


def test_the_menu_says_how_many_messages_are_unread(client, login):
    profile = login()
    first = message(profile, "Een")
    message(profile, "Twee")
    message(make_profile(), "Van iemand anders")

    overview = client.get("/mijn-gegevens")
    assert overview.context["UNREAD_MESSAGES"] == 2
    assert re.search(
        r'<a class="primary-nav__link" href="/berichten">Berichten \(2 ongelezen\)</a>',
        text(overview),
    )

    opened = client.get(f"{INBOX}/{first.pk}")
    assert opened.context["UNREAD_MESSAGES"] == 1  # counted after it was marked read
    assert "Berichten (1 ongelezen)" in text(opened)


def test_without_unread_messages_the_menu_just_says_messages(client, login):
    login()

    body = text(client.get(INBOX))

    assert re.search(r'href="/berichten" aria-current="page">Berichten</a>', body)


def test_the_inbox_makes_as_many_queries_for_ten_messages_as_for_one(
    client, login, django_assert_max_num_queries
):
    profile = login()
    message(profile, "Eerste", organisation=make_organisation())
    with CaptureQueriesContext(connection) as one:
        assert client.get(INBOX).status_code == 200
    queries_for_one = len(one)  # now: each request clears Django's query log

    for number in range(9):
        message(profile, f"Bericht {number}", organisation=make_organisation(f"Org {number}"))
    message(profile, "Van het portaal", kind="beveiliging")

    with django_assert_max_num_queries(queries_for_one):
        assert client.get(INBOX).status_code == 200
    with django_assert_max_num_queries(queries_for_one):
        assert client.get(INBOX, {"organisatie": "portaal"}).status_code == 200
    item = InboxMessage.objects.filter(profile=profile).first()
    with django_assert_max_num_queries(queries_for_one):
        assert client.get(f"{INBOX}/{item.pk}").status_code == 200
    # Session, user with the unread count, senders, page count and rows.
    assert queries_for_one <= 5


# --- security notices --------------------------------------------------------------------------


def test_a_changed_email_address_puts_a_security_notice_in_the_inbox(login):
    profile = login()
    ContactDetail.objects.create(
        profile=profile, kind="email", value="nieuw@voorbeeld.nl", verified_at=timezone.now()
    )

    contact_detail_changed.send(
        sender=ContactDetail, profile=profile, kind="email", old_value="oud@voorbeeld.nl"
    )

    notice = InboxMessage.objects.get(profile=profile)
    assert notice.kind == "beveiliging"
    assert notice.organisation is None
    assert notice.subject == "Uw e-mailadres is gewijzigd"
    assert "uw e-mailadres gewijzigd in nieuw@voorbeeld.nl." in notice.body
    assert "Heeft u dit zelf gedaan? Dan hoeft u niets te doen." in notice.body
    assert "Was u dit niet? Kijk dan meteen of uw gegevens kloppen." in notice.body


@pytest.mark.parametrize(
    ("kind", "old_value", "subject", "sentence"),
    [
        ("email", "oud@voorbeeld.nl", "Uw e-mailadres is verwijderd", "oud@voorbeeld.nl"),
        ("phone", "", "Er is een telefoonnummer toegevoegd", "06 12345678"),
        ("phone", "+31687654321", "Uw telefoonnummer is gewijzigd", "06 12345678"),
        ("phone", "+31612345678", "Uw telefoonnummer is verwijderd", "06 12345678"),
    ],
)
def test_each_change_of_a_contact_detail_has_its_own_notice(
    login, kind, old_value, subject, sentence
):
    profile = login()
    if "verwijderd" not in subject:
        ContactDetail.objects.create(
            profile=profile, kind=kind, value="+31612345678", verified_at=timezone.now()
        )

    contact_detail_changed.send(
        sender=ContactDetail, profile=profile, kind=kind, old_value=old_value
    )

    notice = InboxMessage.objects.get(profile=profile)
    assert notice.subject == subject
    assert sentence in notice.body


def test_changing_the_email_address_on_the_pages_leaves_a_notice_in_the_inbox(client, login):
    profile = login()
    ContactDetail.objects.create(
        profile=profile, kind="email", value="oud@voorbeeld.nl", verified_at=timezone.now()
    )
    change = "/mijn-gegevens/e-mailadres"
    version = re.search(r'name="version" value="(\d+)"', text(client.get(change)))[1]
    client.post(change, {"email": "nieuw@voorbeeld.nl", "version": version})
    check = text(client.get(f"{change}/controleren"))
    client.post(
        f"{change}/controleren",
        {
            "email": re.search(r'name="email" value="([^"]+)"', check)[1],
            "version": re.search(r'name="version" value="(\d+)"', check)[1],
        },
    )
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)[1]

    client.post(f"{change}/code", {"code": code})

    listing = client.get(INBOX)
    assert rows(listing)[0].startswith("Uw e-mailadres is gewijzigd Mijn Omgeving Zakelijk")
    assert "Berichten (1 ongelezen)" in text(listing)
    notice = InboxMessage.objects.get(profile=profile)
    assert "nieuw@voorbeeld.nl" in text(client.get(f"{INBOX}/{notice.pk}"))
