"""Submitting a notification through the API and reading back how it was delivered."""

import pytest
from django.core import mail

from consent.choices import LegalBasis
from notifications.models import Delivery, InboxMessage, Notification
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ApiCaller, assert_problem, confirmed, identificatie

pytestmark = pytest.mark.django_db

MELDINGEN = "/api/profielen/v1/meldingen"


def melding(profile, doelbinding, **overrides) -> dict:
    body = {
        "ontvanger": identificatie(profile),
        "doelbinding": doelbinding.pk,
        "soort": "besluit",
        "onderwerp": "Besluit over uw vergunning",
        "tekst": "Wij hebben een besluit genomen over uw aanvraag. U leest het in de bijlage.",
        "zaakkenmerk": "Z-2026-0042",
        "idempotentieSleutel": "zaak-42-besluit",
    }
    return body | overrides


@pytest.fixture
def sender(client):
    organisation = make_organisation("Gemeente Voorbeeldstad")
    doelbinding = make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={"email", "postal_address"}
    )
    return ApiCaller.for_organisation(client, organisation), organisation, doelbinding


def test_a_message_is_accepted_delivered_and_its_status_can_be_read(sender):
    api, _organisation, doelbinding = sender
    profile = make_profile()
    confirmed(profile, "email", "ondernemer@example.nl")

    response = api.post(MELDINGEN, melding(profile, doelbinding))

    assert response.status_code == 201, response.content
    assert response["API-Version"]
    answer = response.json()
    assert answer["ontvangen"] == "accepted"
    channels = {d["kanaal"]: d["status"] for d in answer["bezorgingen"]}
    assert channels.keys() >= {"inbox", "email"}
    assert [m.to for m in mail.outbox] == [["ondernemer@example.nl"]]
    assert InboxMessage.objects.filter(profile=profile).count() == 1
    status = api.get(f"{MELDINGEN}/{answer['id']}").json()
    assert {d["kanaal"]: d["status"] for d in status["bezorgingen"]}["email"] == "sent"


def test_the_same_idempotency_key_is_accepted_once(sender):
    api, _organisation, doelbinding = sender
    profile = make_profile()
    confirmed(profile, "email", "ondernemer@example.nl")

    first = api.post(MELDINGEN, melding(profile, doelbinding))
    again = api.post(MELDINGEN, melding(profile, doelbinding))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["ontvangen"] == "replayed"
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_same_case_from_two_systems_is_delivered_once(sender, client):
    api, _organisation, doelbinding = sender
    profile = make_profile()
    confirmed(profile, "email", "ondernemer@example.nl")
    other = make_organisation("Omgevingsdienst")
    other_purpose = make_doelbinding(
        other, legal_basis=LegalBasis.LEGAL_TASK, fields={"email", "postal_address"}
    )
    other_api = ApiCaller.for_organisation(client, other)

    api.post(MELDINGEN, melding(profile, doelbinding))
    second = other_api.post(MELDINGEN, melding(profile, other_purpose, idempotentieSleutel="ods-7"))

    assert second.status_code == 201
    assert second.json()["ontvangen"] == "duplicate"
    assert second.json()["duplicaatVan"] is not None
    assert second.json()["bezorgingen"] == []
    assert len(mail.outbox) == 1


def test_invalid_input_is_a_problem_with_invalid_params(sender):
    api, _organisation, doelbinding = sender
    response = api.post(
        MELDINGEN, melding(make_profile(), doelbinding, soort="reclame", onderwerp="")
    )
    problem = assert_problem(response, 400)
    names = {p["name"] for p in problem["invalidParams"]}
    assert {"soort", "onderwerp"} <= names


def test_another_organisations_purpose_or_message_is_refused(sender, client):
    api, _organisation, _doelbinding = sender
    other = make_organisation("Provincie")
    theirs = make_doelbinding(other, legal_basis=LegalBasis.LEGAL_TASK)
    assert_problem(
        api.post(MELDINGEN, melding(make_profile(), theirs)), 403, code="wrong_organisation"
    )
    other_api = ApiCaller.for_organisation(client, other)
    profile = make_profile()
    confirmed(profile, "email", "x@example.nl")
    sent = other_api.post(MELDINGEN, melding(profile, theirs)).json()
    assert_problem(api.get(f"{MELDINGEN}/{sent['id']}"), 404)


def test_an_unknown_recipient_of_a_consent_purpose_looks_like_no_consent(sender, client):
    api, organisation, _doelbinding = sender
    consent_purpose = make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT)
    unknown = {"type": "bsn", "nummer": "111222333"}
    response = api.post(MELDINGEN, melding(make_profile(), consent_purpose, ontvanger=unknown))
    assert_problem(response, 403, code="no_consent")
    assert not Delivery.objects.exists()


def test_a_problem_names_an_odd_path_as_a_valid_uri(sender):
    # Found by schemathesis: "]" and non-ASCII must be percent-encoded in "instance".
    api, _organisation, _doelbinding = sender
    problem = assert_problem(api.get(f"{MELDINGEN}/%F4%81%94%92%C3%82%5D'"), 400)
    assert problem["instance"] == f"{MELDINGEN}/%F4%81%94%92%C3%82%5D'"
    assert problem["invalidParams"][0]["name"] == "melding_id"
