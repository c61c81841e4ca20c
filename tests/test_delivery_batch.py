"""Delivery in batches: one task claims and sends many rows, and each row still ends on its own
(sent, retried, failed), with the gate asked again and a fixed number of queries per batch."""

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from consent.choices import LegalBasis, Reason
from consent.models import ProcessingRecord
from consent.services import consent_give, consent_withdraw
from notifications.choices import Channel, DeliveryStatus, MessageKind
from notifications.delivery.batch import deliveries_attempt
from notifications.delivery.sending import close_mail_connection
from notifications.intake.bulk import notification_submit_bulk
from notifications.models import Delivery, InboxMessage, TransportPause
from profiles.models import Profile
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.notifications import DB_TASKS, confirmed, legal_task
from tests.support.smtp import smtp_server, use_smtp_server
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db
# As in tests/test_delivery.py: on PostgreSQL the worker's commits are real.
worker_db = pytest.mark.django_db(transaction=connection.vendor == "postgresql")


@pytest.fixture(autouse=True)
def fresh_connection():
    close_mail_connection()  # a connection of an earlier test's server must not be reused
    yield
    close_mail_connection()


@pytest.fixture
def gemeente():
    return make_organisation("Gemeente Testdorp")


@pytest.fixture
def server(settings):
    with smtp_server() as running:
        use_smtp_server(settings, running)
        yield running


def people(count: int) -> list[Profile]:
    made = []
    for n in range(count):
        profile = make_profile()
        confirmed(profile, value=f"persoon{n}@voorbeeld.nl")
        made.append(profile)
    return made


def send_to_all(gemeente, doelbinding, recipients, key="afvalkalender"):
    return notification_submit_bulk(
        organisation=gemeente,
        doelbinding=doelbinding,
        recipients=Profile.objects.filter(pk__in=[p.pk for p in recipients]),
        kind=MessageKind.STATUS,
        subject="De nieuwe afvalkalender staat online",
        body="Vanaf 1 januari halen wij het afval op andere dagen op.",
        idempotency_key=key,
    )


def email_of(profile) -> Delivery:
    return Delivery.objects.get(notification__recipient=profile, channel=Channel.EMAIL)


def refuse_recipient(server, address: str, answer: str) -> None:
    """The SMTP server answers RCPT TO for `address` with `answer`, and accepts the others."""

    async def handle_RCPT(smtp, session, envelope, rcpt, options):
        if rcpt == address:
            return answer
        envelope.rcpt_tos.append(rcpt)
        return "250 OK"

    server.handle_RCPT = handle_RCPT


def test_a_refused_address_fails_alone_and_the_rest_of_the_batch_is_sent(gemeente, server):
    everyone = people(4)
    refuse_recipient(server, "persoon2@voorbeeld.nl", "550 5.1.1 No such user")

    send_to_all(gemeente, legal_task(gemeente), everyone)

    refused = email_of(everyone[2])
    assert (refused.status, refused.last_error) == (
        DeliveryStatus.FAILED,
        "smtp_recipient_refused_550",
    )
    for profile in everyone[:2] + everyone[3:]:
        assert (email_of(profile).status, email_of(profile).attempts) == (DeliveryStatus.SENT, 1)
    assert sorted(r.envelope_to[0] for r in server.received) == [
        "persoon0@voorbeeld.nl",
        "persoon1@voorbeeld.nl",
        "persoon3@voorbeeld.nl",
    ]
    assert InboxMessage.objects.count() == 4  # the inbox copy does not depend on the e-mail


@worker_db
def test_a_passing_refusal_retries_only_that_row_in_a_task_of_its_own(gemeente, server, settings):
    settings.TASKS = DB_TASKS
    everyone = people(3)
    send_to_all(gemeente, legal_task(gemeente), everyone)
    refuse_recipient(server, "persoon1@voorbeeld.nl", "450 4.2.1 Mailbox busy")

    run_worker()

    waiting = email_of(everyone[1])
    assert (waiting.status, waiting.attempts, waiting.last_error) == (
        DeliveryStatus.RETRYING,
        1,
        "smtp_recipient_refused_450",
    )
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.args_kwargs["kwargs"]["delivery_ids"] == [waiting.pk]
    assert {email_of(p).status for p in (everyone[0], everyone[2])} == {DeliveryStatus.SENT}


@worker_db
def test_a_relay_refusing_the_sender_pauses_the_batch_and_the_rest_waits_with_no_try_spent(
    gemeente, server, settings
):
    settings.TASKS = DB_TASKS
    everyone = people(4)
    send_to_all(gemeente, legal_task(gemeente), everyone)
    taken = []

    async def handle_MAIL(smtp, session, envelope, address, options):
        if taken:
            return "451 4.3.0 Too busy, try again later"
        taken.append(address)
        envelope.mail_from = address
        return "250 OK"

    server.handle_MAIL = handle_MAIL

    run_worker()

    assert len(server.received) == 1
    first, *rest = (email_of(p) for p in everyone)
    assert first.status == DeliveryStatus.SENT
    # The relay's trouble, not the recipients': no try spent, and they wait for the relay.
    assert {(d.status, d.last_error, d.attempts) for d in rest} == {
        (DeliveryStatus.RETRYING, "paused_smtp", 0)
    }
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert sorted(retry.args_kwargs["kwargs"]["delivery_ids"]) == sorted(d.pk for d in rest)
    pause = TransportPause.objects.get()
    assert (pause.transport, pause.reason, pause.failures) == ("smtp", "smtp_451", 1)
    assert retry.run_after == pause.retry_at


@worker_db
def test_consent_withdrawn_after_intake_stops_only_that_persons_messages(
    gemeente, server, settings
):
    settings.TASKS = DB_TASKS
    doelbinding = make_doelbinding(gemeente, legal_basis=LegalBasis.CONSENT)
    everyone = people(3)
    for profile in everyone:
        consent_give(
            profile=profile, doelbinding=doelbinding, version_id=doelbinding.current_version.pk
        )
    send_to_all(gemeente, doelbinding, everyone)
    consent_withdraw(profile=everyone[1], doelbinding=doelbinding)

    run_worker()

    withdrawn = Delivery.objects.filter(notification__recipient=everyone[1])
    assert {(d.channel, d.status, d.last_error) for d in withdrawn} == {
        ("inbox", DeliveryStatus.FAILED, Reason.NO_CONSENT),
        ("email", DeliveryStatus.FAILED, Reason.NO_CONSENT),
    }
    assert sorted(r.envelope_to[0] for r in server.received) == [
        "persoon0@voorbeeld.nl",
        "persoon2@voorbeeld.nl",
    ]
    assert not InboxMessage.objects.filter(profile=everyone[1]).exists()
    # One processing record per e-mail that left, none for the refused one.
    assert ProcessingRecord.objects.filter(outcome="allowed", fields="email").count() == 2


@pytest.mark.parametrize("size", [2, 40])
def test_a_batch_costs_the_same_number_of_queries_whatever_its_size(
    gemeente, settings, size, django_assert_max_num_queries
):
    settings.TASKS = DB_TASKS  # queued at intake, run below
    send_to_all(gemeente, legal_task(gemeente), people(size))
    ids = list(Delivery.objects.values_list("pk", flat=True))

    # Claim (rows, whether the mail server is paused, notifications, purposes, versions,
    # organisations, addresses), inbox copies, processing records, SENDING, then SENT, with the
    # test's savepoints: 4 rows or 80 alike.
    with django_assert_max_num_queries(16):
        outcome = deliveries_attempt(delivery_ids=ids)

    assert outcome == {"sent": 2 * size}


def test_a_second_run_of_the_same_batch_sends_nothing(gemeente, server, settings):
    settings.TASKS = DB_TASKS
    send_to_all(gemeente, legal_task(gemeente), people(3))
    ids = list(Delivery.objects.values_list("pk", flat=True))

    first = deliveries_attempt(delivery_ids=ids)
    again = deliveries_attempt(delivery_ids=ids)

    assert (first, again) == ({"sent": 6}, {"not_waiting": 6})
    assert len(server.received) == 3 and InboxMessage.objects.count() == 3
