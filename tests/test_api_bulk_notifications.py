"""One message to many people through the API: POST /bulkmeldingen, and reading the batch back."""

import pytest
from django.core import mail

from consent.choices import DoelbindingStatus, LegalBasis, Outcome, Reason
from consent.ldv import subject_pseudonym
from consent.models import ProcessingRecord
from notifications.models import Delivery, Notification, NotificationBatch
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import (
    API,
    ApiCaller,
    assert_problem,
    bsn,
    confirmed,
    identificatie,
    log_refuses_writes,
)

pytestmark = pytest.mark.django_db

BULKMELDINGEN = f"{API}/bulkmeldingen"
UNKNOWN = bsn("111222333")  # passes the elfproef, nobody has it
WRONG = bsn("123456789")  # fails the elfproef


def bulkmelding(ontvangers: list[dict], doelbinding, **overrides) -> dict:
    body = {
        "ontvangers": ontvangers,
        "doelbinding": doelbinding.pk,
        "soort": "statuswijziging",
        "onderwerp": "Nieuwe regels voor terrassen",
        "tekst": "Vanaf 1 juni gelden nieuwe regels voor terrassen. Lees wat er verandert.",
        "idempotentieSleutel": "terrassen-2026",
    }
    return body | overrides


@pytest.fixture
def sender(client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000
    organisation = make_organisation("Gemeente Voorbeeldstad")
    doelbinding = make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={"email", "postal_address"}
    )
    return ApiCaller.for_organisation(client, organisation), organisation, doelbinding


def people_with_email(count: int):
    people = [make_profile() for _ in range(count)]
    for n, person in enumerate(people):
        confirmed(person, "email", f"ondernemer{n}@example.nl")
    return people


def test_one_message_reaches_many_people_with_a_result_for_each(sender):
    api, _organisation, doelbinding = sender
    people = people_with_email(3)
    asked = [identificatie(p) for p in people] + [UNKNOWN, WRONG]

    response = api.post(BULKMELDINGEN, bulkmelding(asked, doelbinding))

    assert response.status_code == 201, response.content
    assert response["API-Version"]
    answer = response.json()
    assert (answer["status"], answer["ontvangen"]) == ("done", "accepted")
    assert (answer["aantalOntvangers"], answer["aantalVerwerkt"]) == (5, 5)
    assert (answer["geaccepteerd"], answer["duplicaat"]) == (3, 0)
    assert answer["geweigerd"] == [
        {"reden": "invalid_identifier", "aantal": 1},
        {"reden": "not_found", "aantal": 1},
    ]
    results = answer["resultaten"]
    assert [r["ontvanger"]["nummer"] for r in results] == [a["nummer"] for a in asked]
    assert [r["resultaat"] for r in results] == ["accepted"] * 3 + ["refused"] * 2
    assert [r["reden"] for r in results[3:]] == ["not_found", "invalid_identifier"]
    mine = Notification.objects.get(pk=results[0]["melding"])
    assert mine.recipient == people[0] and mine.batch_id == answer["id"]
    assert sorted(m.to[0] for m in mail.outbox) == [f"ondernemer{n}@example.nl" for n in range(3)]
    by_channel = {(d["kanaal"], d["status"]): d["aantal"] for d in answer["bezorgingen"]}
    assert by_channel == {("email", "sent"): 3, ("inbox", "sent"): 3}


def test_the_batch_can_be_read_back_with_its_deliveries_per_channel(sender):
    api, _organisation, doelbinding = sender
    people = people_with_email(2)
    sent = api.post(BULKMELDINGEN, bulkmelding([identificatie(p) for p in people], doelbinding))
    Delivery.objects.filter(channel="email", notification__recipient=people[0]).update(
        status="sending"
    )

    answer = api.get(f"{BULKMELDINGEN}/{sent.json()['id']}").json()

    assert answer["resultaten"] is None
    assert (answer["geaccepteerd"], answer["geweigerd"]) == (2, [])
    by_channel = {(d["kanaal"], d["status"]): d["aantal"] for d in answer["bezorgingen"]}
    assert by_channel == {("email", "sending"): 1, ("email", "sent"): 1, ("inbox", "sent"): 2}


def test_the_same_key_again_sends_only_to_who_was_missing(sender):
    api, _organisation, doelbinding = sender
    people = people_with_email(3)
    first = api.post(
        BULKMELDINGEN, bulkmelding([identificatie(p) for p in people[:2]], doelbinding)
    )

    again = api.post(BULKMELDINGEN, bulkmelding([identificatie(p) for p in people], doelbinding))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["ontvangen"] == "replayed"
    assert [r["resultaat"] for r in again.json()["resultaten"]] == [
        "replayed",
        "replayed",
        "accepted",
    ]
    assert Notification.objects.count() == 3 and len(mail.outbox) == 3
    assert NotificationBatch.objects.count() == 1


def test_the_same_key_for_another_text_is_a_conflict(sender):
    api, _organisation, doelbinding = sender
    people = people_with_email(1)
    api.post(BULKMELDINGEN, bulkmelding([identificatie(people[0])], doelbinding))

    other = api.post(
        BULKMELDINGEN, bulkmelding([identificatie(people[0])], doelbinding, tekst="Iets anders.")
    )

    assert_problem(other, 409, code="idempotency_key_reused")


def test_the_same_case_within_the_window_is_a_duplicate_not_sent_again(sender):
    api, _organisation, doelbinding = sender
    people = people_with_email(2)
    asked = [identificatie(p) for p in people]
    api.post(BULKMELDINGEN, bulkmelding(asked, doelbinding, zaakkenmerk="Z-1"))

    second = api.post(
        BULKMELDINGEN, bulkmelding(asked, doelbinding, zaakkenmerk="Z-1", idempotentieSleutel="b")
    )

    assert second.status_code == 201
    assert (second.json()["geaccepteerd"], second.json()["duplicaat"]) == (0, 2)
    assert {r["resultaat"] for r in second.json()["resultaten"]} == {"duplicate"}
    assert len(mail.outbox) == 2


def test_people_without_consent_are_refused_and_logged_like_a_single_message(sender):
    api, organisation, _doelbinding = sender
    purpose = make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT)
    person = make_profile()

    response = api.post(BULKMELDINGEN, bulkmelding([identificatie(person), UNKNOWN], purpose))

    assert response.status_code == 201
    # Nobody and someone without consent look the same to the sender.
    assert [r["reden"] for r in response.json()["resultaten"]] == ["no_consent", "no_consent"]
    records = ProcessingRecord.objects.order_by("subject_pseudonym")
    assert {(r.outcome, r.reason) for r in records} == {(Outcome.REFUSED, Reason.NO_CONSENT)}
    assert {r.subject_pseudonym for r in records} == {
        subject_pseudonym("bsn", person.identity.value),
        subject_pseudonym("bsn", UNKNOWN["nummer"]),
    }
    assert not Notification.objects.exists()


@pytest.mark.parametrize("purpose", ["withdrawn", "another organisation's"])
def test_a_purpose_that_may_not_be_used_refuses_the_whole_batch_and_logs_it(sender, purpose):
    api, organisation, _doelbinding = sender
    owner = organisation if purpose == "withdrawn" else make_organisation("Provincie")
    doelbinding = make_doelbinding(
        owner, legal_basis=LegalBasis.LEGAL_TASK, status=DoelbindingStatus.WITHDRAWN
    )
    people = people_with_email(2)

    response = api.post(BULKMELDINGEN, bulkmelding([identificatie(p) for p in people], doelbinding))

    code = "doelbinding_not_active" if purpose == "withdrawn" else "wrong_organisation"
    assert_problem(response, 403, code=code)
    assert ProcessingRecord.objects.filter(outcome=Outcome.REFUSED, reason=code).count() == 2
    assert not Notification.objects.exists() and not NotificationBatch.objects.exists()


def test_without_a_log_nothing_of_the_batch_is_kept(sender):
    api, _organisation, doelbinding = sender
    people = people_with_email(1)

    with log_refuses_writes():
        response = api.post(
            BULKMELDINGEN, bulkmelding([identificatie(people[0]), UNKNOWN], doelbinding)
        )

    assert_problem(response, 503, code="log_unavailable")
    assert not Notification.objects.exists() and not NotificationBatch.objects.exists()
    assert mail.outbox == []


def test_more_recipients_than_the_documented_maximum_are_refused(sender, settings):
    api, _organisation, doelbinding = sender
    too_many = [UNKNOWN] * (settings.NOTIFICATION_BULK_MAX_RECIPIENTS + 1)

    response = api.post(BULKMELDINGEN, bulkmelding(too_many, doelbinding))

    problem = assert_problem(response, 400, code="invalid")
    assert problem["invalidParams"][0]["name"] == "ontvangers"


def test_another_organisations_batch_is_not_found(sender, client):
    api, _organisation, doelbinding = sender
    sent = api.post(BULKMELDINGEN, bulkmelding([identificatie(make_profile())], doelbinding))
    stranger = ApiCaller.for_organisation(client, make_organisation("Waterschap"))

    assert_problem(stranger.get(f"{BULKMELDINGEN}/{sent.json()['id']}"), 404)


def test_a_batch_takes_a_fixed_number_of_queries_however_many_people(
    sender, django_assert_max_num_queries
):
    api, _organisation, doelbinding = sender
    few = [identificatie(p) for p in people_with_email(2)]
    many = [identificatie(p) for p in people_with_email(40)]
    api.post(BULKMELDINGEN, bulkmelding(few, doelbinding, idempotentieSleutel="warm"))

    with django_assert_max_num_queries(60) as few_queries:
        api.post(BULKMELDINGEN, bulkmelding(few, doelbinding, idempotentieSleutel="few"))
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        api.post(BULKMELDINGEN, bulkmelding(many, doelbinding, idempotentieSleutel="many"))
