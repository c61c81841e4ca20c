"""Test API keys: the quickstart of the API docs, run through the real API, reaches nobody real.

And the rules around them: the token's prefix, no four eyes for a test key (a live one still
needs them), unknown numbers, and the fixed consent of the test persons.
"""

import json
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from consent.choices import LegalBasis
from consent.clients.services import api_client_create, api_client_for_token
from consent.models import Consent, Doelbinding, ProcessingRecord
from notifications.callbacks.services import callbacks_dispatch
from notifications.choices import DeliveryStatus
from notifications.models import Delivery, InboxMessage, Notification
from profiles.models import ContactDetail, Identity, Profile
from profiles.test_persons import TEST_PERSONS
from profiles.validators import is_kvk_number, passes_elfproef
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ZOEK, ApiCaller, confirmed, identificatie
from tests.test_callbacks import Receiver
from tests.test_consent_admin import make_staff, url

pytestmark = pytest.mark.django_db

API = "/api/profielen/v1"
ANNA = {"type": "bsn", "nummer": "999990123"}  # consents to every consent purpose
BRAM = {"type": "bsn", "nummer": "999990135"}  # consents to none
CEES = {"type": "kvk", "nummer": "90000013"}
DEMO_REAL_BSN = "999993653"  # a demo "real" person of load_demo_data


def _real_rows() -> dict:
    """Everything about real (not test) people that test traffic must leave alone."""
    return {
        "profiles": Profile.objects.filter(is_test=False).count(),
        "identities": Identity.objects.exclude(profile__is_test=True).count(),
        "details": ContactDetail.objects.filter(profile__is_test=False).count(),
        "notifications": Notification.objects.filter(recipient__is_test=False).count(),
        "deliveries": Delivery.objects.filter(notification__recipient__is_test=False).count(),
        "inbox": InboxMessage.objects.filter(profile__is_test=False).count(),
        "consents": Consent.objects.filter(profile__is_test=False).count(),
        "processing_records": ProcessingRecord.objects.count(),
    }


def _message(doelbinding_id: int, ontvanger: dict, key: str) -> dict:
    return {
        "ontvanger": ontvanger,
        "doelbinding": doelbinding_id,
        "soort": "besluit",
        "onderwerp": "Besluit over uw vergunning",
        "tekst": "Wij hebben een besluit genomen. Dit is een testbericht.",
        "zaakkenmerk": "TEST-1",
        "idempotentieSleutel": key,
    }


def test_the_quickstart_reaches_no_real_person(client, settings):
    settings.DEBUG = True  # as under `make run`, which also allows a local callback receiver
    settings.CALLBACKS_ALLOW_LOCAL = True
    settings.CALLBACK_RETRY_BASE_SECONDS = 0
    call_command("load_demo_data", stdout=StringIO())
    before = _real_rows()

    # 1. A test key.
    out = StringIO()
    call_command("api_test_key", stdout=out)
    token = out.getvalue().split("TOKEN=")[1].strip()
    assert token.startswith("test_")
    auth = {"Authorization": f"Bearer {token}"}

    def post(path, body):
        return client.post(API + path, body, content_type="application/json", headers=auth)

    purposes = client.get(f"{API}/doelbindingen", headers=auth).json()
    by_name = {p["naam"]: p for p in purposes}
    permit = by_name["Berichten over uw vergunning"]["id"]
    newsletter = by_name["Nieuwsbrief voor ondernemers"]["id"]

    # 2. Read a test person; a real person's number is unknown to a test key.
    response = post("/contactgegevens/_zoek", {"identificatie": ANNA, "doelbinding": permit})
    assert response.status_code == 200, response.content
    assert response.json()["emailadres"]["waarde"] == "anna@test.example"
    assert response.json()["postadres"]["regels"]
    real = {"type": "bsn", "nummer": DEMO_REAL_BSN}
    response = post("/contactgegevens/_zoek", {"identificatie": real, "doelbinding": permit})
    assert response.status_code == 404
    response = post("/contactgegevens/_zoek", {"identificatie": BRAM, "doelbinding": newsletter})
    assert response.status_code == 403 and response.json()["code"] == "no_consent"

    # 3. A callback address, then a test message: every state, to the sink, callbacks sent.
    receiver = Receiver().start()
    try:
        response = post("/callbacks", {"url": receiver.url})
        assert response.status_code == 201, response.content
        response = post("/meldingen", _message(permit, ANNA, "quickstart-1"))
        assert response.status_code == 201, response.content
        melding = response.json()
        assert {d["kanaal"]: d["status"] for d in melding["bezorgingen"]} == {
            "inbox": "sent",
            "email": "sent",
        }
        assert mail.outbox == []  # the sink, not the mail server
        assert post("/meldingen", _message(permit, ANNA, "quickstart-1")).status_code == 200
        again = post("/meldingen", _message(permit, ANNA, "quickstart-2")).json()
        assert again["ontvangen"] == "duplicate"
        response = post("/meldingen", _message(permit, real, "quickstart-3"))
        assert response.status_code == 404
        callbacks_dispatch()
    finally:
        receiver.stop()
    events = receiver.events()
    assert {e["subject"] for e in events} == {str(melding["id"])}
    assert {e["data"]["status"] for e in events} >= {"sending", "sent"}

    # Also many at once: only the test persons are found.
    bulk = {**_message(permit, ANNA, "quickstart-bulk"), "ontvangers": [ANNA, CEES, real]}
    del bulk["ontvanger"]
    bulk["zaakkenmerk"] = "TEST-2"
    response = post("/bulkmeldingen", bulk)
    assert response.status_code == 201, response.content
    results = [(r["resultaat"], r["reden"]) for r in response.json()["resultaten"]]
    assert results == [("accepted", None), ("accepted", None), ("refused", "not_found")]

    assert _real_rows() == before
    assert mail.outbox == []
    test_deliveries = Delivery.objects.filter(notification__recipient__is_test=True)
    assert set(test_deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_test_persons_pass_the_checks_of_real_numbers():
    for person in TEST_PERSONS:
        assert passes_elfproef(person.number) or is_kvk_number(person.number)
        assert person.type == "kvk" or person.number.startswith("99999")


@pytest.fixture
def organisation():
    organisation = make_organisation("Gemeente Proefstad")
    make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={"email", "phone"})
    make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT, fields={"email"})
    return organisation


def _purposes(organisation):
    return list(Doelbinding.objects.filter(organisation=organisation).order_by("pk"))


def test_a_test_token_is_visibly_different_and_a_live_token_does_not_pass_for_one(organisation):
    test_client, test_token = api_client_create(
        organisation=organisation, name="Proef", is_test=True
    )
    live_client, live_token = api_client_create(organisation=organisation, name="Echt")
    assert test_token.startswith("test_") and live_token.startswith("moz_")
    assert api_client_for_token(test_token).pk == test_client.pk
    assert api_client_for_token(live_token).pk == live_client.pk
    assert api_client_for_token("moz_" + test_token.removeprefix("test_")) is None
    assert api_client_for_token("test_" + live_token.removeprefix("moz_")) is None


def test_a_test_key_works_at_once_and_a_live_key_still_needs_a_second_person(client, organisation):
    legal, _consent = _purposes(organisation)
    _test, test_token = api_client_create(
        organisation=organisation, name="Proef", purposes=[legal], is_test=True
    )
    _live, live_token = api_client_create(organisation=organisation, name="Echt", purposes=[legal])
    body = {"identificatie": ANNA, "doelbinding": legal.pk}

    answer = client.post(
        ZOEK,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {test_token}"},
    )
    assert answer.status_code == 200, answer.content
    answer = client.post(
        ZOEK,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {live_token}"},
    )
    assert answer.status_code == 403 and answer.json()["code"] == "client_not_confirmed"


def test_a_test_key_still_needs_the_purpose_tied_to_it(client, organisation):
    legal, consent_purpose = _purposes(organisation)
    _test, token = api_client_create(
        organisation=organisation, name="Proef", purposes=[legal], is_test=True
    )
    body = {"identificatie": ANNA, "doelbinding": consent_purpose.pk}
    answer = client.post(
        ZOEK, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 403 and answer.json()["code"] == "purpose_not_for_client"


def test_test_reads_answer_unknown_numbers_and_fixed_consent_and_write_no_record(
    client, organisation
):
    legal, consent_purpose = _purposes(organisation)
    real = make_profile()
    confirmed(real, "email", "echt@voorbeeld.nl")
    _test, token = api_client_create(
        organisation=organisation, name="Proef", purposes=[legal, consent_purpose], is_test=True
    )
    api = ApiCaller(client, _test, token)

    answer = api.bulk([ANNA, BRAM, CEES, identificatie(real)], legal)
    assert answer.status_code == 200, answer.content
    statuses = [(r["status"], r["code"]) for r in answer.json()["resultaten"]]
    assert statuses == [(200, None), (200, None), (200, None), (404, "not_found")]
    assert answer.json()["resultaten"][2]["gegevens"]["emailadres"]["waarde"] == (
        "cees@test.example"
    )

    answer = api.bulk([ANNA, BRAM, identificatie(real)], consent_purpose)
    statuses = [(r["status"], r["code"]) for r in answer.json()["resultaten"]]
    # Without consent as for a real person without consent; a real number as one without it.
    assert statuses == [(200, None), (403, "no_consent"), (403, "no_consent")]
    assert ProcessingRecord.objects.count() == 0
    assert not Profile.objects.filter(is_test=True).exists()  # reads make no rows


def test_a_live_key_does_not_find_a_test_person(client, organisation):
    legal, _consent = _purposes(organisation)
    _test, test_token = api_client_create(
        organisation=organisation, name="Proef", purposes=[legal], is_test=True
    )
    message = _message(legal.pk, ANNA, "proef-1")
    answer = client.post(
        f"{API}/meldingen",
        json.dumps(message),
        content_type="application/json",
        headers={"Authorization": f"Bearer {test_token}"},
    )
    assert answer.status_code == 201, answer.content
    assert Profile.objects.filter(is_test=True).count() == 1
    live = ApiCaller.for_organisation(client, organisation, name="Echt")

    assert live.zoek(ANNA, legal).status_code == 404
    answer = live.post(f"{API}/meldingen", _message(legal.pk, ANNA, "echt-1"))
    assert answer.status_code == 404
    assert Notification.objects.count() == 1


def test_staff_make_a_test_client_in_the_admin_and_see_it_labelled(client):
    organisation = make_organisation("Gemeente Proefdorp")
    client.force_login(make_staff(organisation))

    response = client.post(
        url("apiclient", "add"), {"organisation": organisation.pk, "name": "Proef", "is_test": "on"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    token = re.search(r"test_[0-9a-f]{12}_[A-Za-z0-9_-]+", page).group()
    made = api_client_for_token(token)
    assert made.is_test and made.confirmed_at is not None  # usable at once
    assert "De testkoppeling is gemaakt en werkt nu." in page
    listed = client.get(url("apiclient") + "?is_test__exact=1").content.decode()
    assert "Proef" in listed and ">test<" in listed


def test_a_test_read_of_many_costs_a_small_constant_number_of_queries(
    client, organisation, django_assert_max_num_queries
):
    legal, _consent = _purposes(organisation)
    test_client, token = api_client_create(
        organisation=organisation, name="Proef", purposes=[legal], is_test=True
    )
    api = ApiCaller(client, test_client, token)
    many = [ANNA, BRAM, CEES] + [{"type": "bsn", "nummer": "999999904"}] * 20

    with django_assert_max_num_queries(8):
        answer = api.bulk(many, legal)

    assert answer.status_code == 200, answer.content
