"""Submitting a notification through the API and reading back how it was delivered."""

import re

import pytest
from django.core import mail

from consent.choices import DoelbindingStatus, LegalBasis, Outcome
from consent.ldv import subject_pseudonym
from consent.models import ProcessingRecord
from notifications.choices import DeliveryStatus
from notifications.models import Delivery, InboxMessage, Notification
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import (
    ApiCaller,
    assert_problem,
    confirmed,
    identificatie,
    log_refuses_writes,
)

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
    api, organisation, doelbinding = sender
    profile = make_profile()
    confirmed(profile, "email", "ondernemer@example.nl")
    second_system = ApiCaller.for_organisation(client, organisation)

    api.post(MELDINGEN, melding(profile, doelbinding))
    second = second_system.post(MELDINGEN, melding(profile, doelbinding, idempotentieSleutel="s-7"))

    assert second.status_code == 201
    assert second.json()["ontvangen"] == "duplicate"
    assert second.json()["duplicaatVan"] is not None
    assert second.json()["bezorgingen"] == []
    assert len(mail.outbox) == 1


def test_another_organisation_with_the_same_case_reference_sees_nothing_of_the_first(
    sender, client
):
    api, _organisation, doelbinding = sender
    profile = make_profile()
    confirmed(profile, "email", "ondernemer@example.nl")
    other = make_organisation("Omgevingsdienst")
    other_purpose = make_doelbinding(
        other, legal_basis=LegalBasis.LEGAL_TASK, fields={"email", "postal_address"}
    )
    other_api = ApiCaller.for_organisation(client, other)

    first = api.post(MELDINGEN, melding(profile, doelbinding))
    second = other_api.post(MELDINGEN, melding(profile, other_purpose, idempotentieSleutel="ods-7"))

    assert second.status_code == 201
    assert second.json()["ontvangen"] == "accepted"
    assert second.json()["duplicaatVan"] is None
    assert second.json()["id"] != first.json()["id"]
    assert len(mail.outbox) == 2


def test_invalid_input_is_a_problem_with_invalid_params(sender):
    api, _organisation, doelbinding = sender
    response = api.post(
        MELDINGEN, melding(make_profile(), doelbinding, soort="reclame", onderwerp="")
    )
    problem = assert_problem(response, 400)
    names = {p["name"] for p in problem["invalidParams"]}
    assert {"soort", "onderwerp"} <= names


@pytest.mark.parametrize("subject", ["\r", " \t ", "\u2003", "\x1c\x1f", "Besluit\x00"])
def test_a_subject_of_only_white_space_is_refused_as_the_document_says(sender, subject):
    # The document's pattern and the intake (which makes the subject one line) agree: a
    # subject that would be empty is refused by the schema, never accepted by one and refused
    # by the other.
    api, _organisation, doelbinding = sender
    response = api.post(MELDINGEN, melding(make_profile(), doelbinding, onderwerp=subject))
    problem = assert_problem(response, 400)
    assert "onderwerp" in {p["name"] for p in problem["invalidParams"]}

    schema = api.client.get("/api/profielen/v1/openapi.json").json()["components"]["schemas"]
    pattern = schema["MeldingIn"]["properties"]["onderwerp"]["pattern"]
    assert re.search(pattern, subject) is None
    assert re.search(pattern, f"{subject.strip(chr(0))} Besluit") is not None


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


# --- a refused message is logged for the person, as a refused read is ----------------------------

UNKNOWN = {"type": "bsn", "nummer": "111222333"}  # passes the elfproef, nobody has it


def _theirs(organisation):
    return make_doelbinding(make_organisation("Provincie"), legal_basis=LegalBasis.LEGAL_TASK)


def _withdrawn(organisation):
    return make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, status=DoelbindingStatus.WITHDRAWN
    )


def _consent(organisation):
    return make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT)


def _legal(organisation):
    return make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)


REFUSED = {
    # case: (purpose, known person?, status, reason)
    "another organisation's purpose": (_theirs, True, 403, "wrong_organisation"),
    "a withdrawn purpose": (_withdrawn, True, 403, "doelbinding_not_active"),
    "nobody with that number": (_legal, False, 404, "not_found"),
    "nobody, under a consent purpose": (_consent, False, 403, "no_consent"),
    # The same answer and the same record: the sender cannot tell who uses the portal.
    "someone without consent, under a consent purpose": (_consent, True, 403, "no_consent"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_message_is_logged_as_refused_for_that_number(sender, case):
    api, organisation, _doelbinding = sender
    make_purpose, known, status, reason = REFUSED[case]
    purpose = make_purpose(organisation)
    profile = make_profile()
    ontvanger = identificatie(profile) if known else UNKNOWN

    response = api.post(
        MELDINGEN,
        melding(profile, purpose, ontvanger=ontvanger),
        traceparent=f"00-{'ab' * 16}-{'cd' * 8}-01",
    )

    assert_problem(response, status, code=reason)
    [record] = ProcessingRecord.objects.all()
    assert (record.outcome, record.reason, record.fields) == (Outcome.REFUSED, reason, "")
    assert record.subject_pseudonym == subject_pseudonym("bsn", ontvanger["nummer"])
    assert (record.organisation, record.api_client.organisation) == (organisation, organisation)
    assert (record.trace_id, record.parent_span_id) == ("ab" * 16, "cd" * 8)
    own = purpose.organisation == organisation
    assert record.doelbinding_version == (purpose.current_version if own else None)
    assert not Notification.objects.exists() and not Delivery.objects.exists()


def test_a_message_with_an_invalid_number_gets_the_same_answer_as_a_read(sender):
    """400 invalid_identifier, as a read of that number answers: the number is the caller's
    mistake, not a person the portal could not find."""
    api, _organisation, doelbinding = sender
    wrong = {"type": "bsn", "nummer": "123456789"}  # fails the elfproef

    response = api.post(MELDINGEN, melding(make_profile(), doelbinding, ontvanger=wrong))
    read = api.zoek(wrong, doelbinding)

    problem = assert_problem(response, 400, code="invalid_identifier")
    assert problem["invalidParams"][0]["name"] == "ontvanger"
    assert_problem(read, 400, code="invalid_identifier")
    assert problem["detail"] == read.json()["detail"]
    assert not ProcessingRecord.objects.exists()


def test_without_a_log_a_refusal_is_not_answered_as_a_refusal(sender):
    api, organisation, _doelbinding = sender

    with log_refuses_writes():
        response = api.post(MELDINGEN, melding(make_profile(), _withdrawn(organisation)))

    assert_problem(response, 503, code="log_unavailable")
    assert not ProcessingRecord.objects.exists()


# --- every state a delivery can be in is in the answer ------------------------------------------


@pytest.mark.parametrize("status", [s.value for s in DeliveryStatus])
def test_a_message_can_be_read_back_in_every_delivery_state(sender, status):
    """Also while being sent, or left uncertain by a stopped worker (status "sending")."""
    api, _organisation, doelbinding = sender
    profile = make_profile()
    confirmed(profile, "email", "ondernemer@example.nl")
    sent = api.post(MELDINGEN, melding(profile, doelbinding)).json()
    Delivery.objects.filter(notification_id=sent["id"]).update(status=status)

    response = api.get(f"{MELDINGEN}/{sent['id']}")

    assert response.status_code == 200, response.content
    assert {d["status"] for d in response.json()["bezorgingen"]} == {status}
