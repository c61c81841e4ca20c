"""At most five queries for every logged-in page, however much the person has (issue 17).

The session and the user (with profile, identity and the menu's unread count) take two; each
page's own reads the rest. The person gets more of everything between the two measurements:
contact details, a postal address, consents to several organisations' purposes, and messages
from several organisations and from the portal, some read and some not.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consent.choices import LegalBasis
from consent.services import consent_give
from notifications.inbox_services import inbox_message_create
from notifications.models import InboxMessage
from profiles.address.services import postal_address_update
from profiles.models import ContactDetail
from tests.factories import make_doelbinding, make_organisation

pytestmark = pytest.mark.django_db

MAX_QUERIES = 5
PAGES = [
    "/mijn-gegevens",
    "/mijn-gegevens/wijzigingen",
    "/toestemmingen",
    "/toestemmingen/geschiedenis",
    "/wie-gebruikte-mijn-gegevens",
    "/berichten",
    "/berichten?organisatie=portaal",
    "/berichten/voorkeuren",
]


def a_little(profile):
    postal_address_update(
        profile=profile, seen_version=0, street="Plein", house_number="2", postcode="1234AB"
    )
    organisation = make_organisation("Gemeente Eerstedorp")
    doelbinding = make_doelbinding(organisation)
    consent_give(
        profile=profile, doelbinding=doelbinding, version_id=doelbinding.current_version.pk
    )
    return _message(profile, organisation, 0)


def a_lot_more(profile):
    now = timezone.now()
    ContactDetail.objects.create(
        profile=profile, kind="email", value="a@voorbeeld.nl", verified_at=now
    )
    ContactDetail.objects.create(
        profile=profile, kind="phone", value="+31612345678", verified_at=now
    )
    postal_address_update(
        profile=profile, seen_version=1, street="Markt", house_number="1", postcode="1234AB"
    )
    read = []
    for number in range(4):
        organisation = make_organisation(f"Gemeente {number}")
        make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)
        for name in ("Nieuwsbrief", "Enquête"):
            doelbinding = make_doelbinding(organisation, name=name)
            version = doelbinding.current_version.pk
            consent_give(profile=profile, doelbinding=doelbinding, version_id=version)
        read += [_message(profile, organisation, n).pk for n in range(6)][3::3]
    inbox_message_create(
        profile=profile,
        organisation=None,
        kind="beveiliging",
        subject="Let op",
        body="Nieuw e-mailadres.",
    )
    # Some read, some not (subjects are encrypted: chosen by id).
    InboxMessage.objects.filter(profile=profile, pk__in=read).update(read_at=now)


def _message(profile, organisation, number):
    return inbox_message_create(
        profile=profile,
        organisation=organisation,
        kind="ontvangstbevestiging",
        subject=f"Uw aanvraag {number}",
        body="Wij hebben uw aanvraag ontvangen.",
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_every_logged_in_page_makes_at_most_five_queries_whatever_the_person_has(
    client, login, django_assert_max_num_queries
):
    profile = login()
    first = a_little(profile)
    client.get(f"/berichten/{first.pk}")  # read now: opening it again writes nothing
    before = {url: queries(client, url) for url in [*PAGES, f"/berichten/{first.pk}"]}

    a_lot_more(profile)

    for url, count in before.items():
        with django_assert_max_num_queries(min(count, MAX_QUERIES)):
            assert client.get(url).status_code == 200


def test_opening_an_unread_message_shows_the_count_after_it(client, login):
    profile = login()
    organisation = make_organisation()
    first, _second = _message(profile, organisation, 1), _message(profile, organisation, 2)

    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/berichten/{first.pk}").content.decode()

    assert "Berichten (1 ongelezen)" in page
    assert len(captured) <= MAX_QUERIES  # the write, and counting again after it
    assert "Berichten (1 ongelezen)" in client.get("/mijn-gegevens").content.decode()
