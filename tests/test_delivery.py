"""Delivery in the background: e-mail over a real SMTP server, SMS through the gateway, the inbox,
retries with backoff, post when nothing else works, and never twice."""

import contextlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from consent.choices import DataField, LegalBasis, Reason
from consent.models import ProcessingRecord
from consent.services import consent_give, consent_withdraw
from core import sms
from notifications.choices import Channel, DeliveryStatus, MessageKind
from notifications.delivery.enqueue import enqueue_deliveries
from notifications.delivery.render import message_id_for
from notifications.delivery.sending import close_mail_connection
from notifications.delivery.services import (
    SENDING,
    deliveries_recover,
    delivery_send_again,
    delivery_status_for,
)
from notifications.models import ChannelPreference, Delivery, InboxMessage
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.http_peer import http_peer
from tests.support.notifications import DB_TASKS, confirmed, legal_task, submit, with_address
from tests.support.smtp import smtp_server, use_smtp_server
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db
# The worker closes a connection it finds inside a transaction: on PostgreSQL, tests that run it
# commit for real. SQLite in memory ignores the close, and there a flush after a committing test
# would hit the processing log's delete guard, so those tests keep their rollback.
worker_db = pytest.mark.django_db(transaction=connection.vendor == "postgresql")


@pytest.fixture(autouse=True)
def fresh_gateways():
    close_mail_connection()  # a connection of an earlier test's server must not be reused
    sms.MemorySmsGateway.clear()
    yield
    close_mail_connection()


@pytest.fixture
def gemeente():
    return make_organisation("Gemeente Testdorp")


@pytest.fixture
def person():
    profile = make_profile()
    confirmed(profile, value="j.jansen@voorbeeld.nl")
    return profile


@pytest.fixture
def server(settings):
    with smtp_server() as running:
        use_smtp_server(settings, running)
        yield running


@contextlib.contextmanager
def refusing(server, times: int):
    """The SMTP server answers "450 4.2.1 mailbox busy" for the recipient of the next `times`
    messages: the recipient's passing failure (a 4xx of the relay for everything is the
    transport's, tests/test_delivery_outage.py)."""
    left = [times]

    async def handle_RCPT(smtp, session, envelope, address, options):
        if left[0]:
            left[0] -= 1
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    server.handle_RCPT = handle_RCPT
    yield server
    del server.handle_RCPT


def email_of(notification) -> Delivery:
    return notification.deliveries.get(channel=Channel.EMAIL)


# --- e-mail, SMS and the inbox ------------------------------------------------------------------


def test_an_email_arrives_as_dutch_text_and_html_with_the_message_id_of_its_delivery(
    gemeente, person, server
):
    notification = submit(gemeente, legal_task(gemeente), person, link="https://testdorp.nl/z/1")
    notification = notification.notification

    [received] = server.received
    message = received.message
    assert received.envelope_to == ["j.jansen@voorbeeld.nl"]
    assert message["Subject"] == "Uw aanvraag is in behandeling (Gemeente Testdorp)"
    assert message["Message-ID"] == message_id_for(email_of(notification))
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Gemeente Testdorp heeft u een bericht gestuurd." in text
    assert "U hoort binnen 8 weken van ons." in text
    assert "Zaaknummer: Z-2026-001" in text
    assert "Meer informatie: https://testdorp.nl/z/1" in text
    assert "Stuur geen antwoord op deze e-mail." in text
    assert '<html lang="nl">' in html
    assert "<h1" in html and "Uw aanvraag is in behandeling</h1>" in html
    assert "Wij hebben uw aanvraag ontvangen.<br>U hoort binnen 8 weken van ons." in html
    assert email_of(notification).status == DeliveryStatus.SENT


def test_an_email_follows_the_language_and_escapes_what_the_organisation_wrote(
    gemeente, person, server
):
    person.language = "en"  # the language the person uses the portal in
    person.save(update_fields=["language"])
    submit(gemeente, legal_task(gemeente), person, body="Zie <b>bijlage</b> & formulier")

    message = server.messages[0]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Gemeente Testdorp sent you a message." in text
    assert "Zie <b>bijlage</b> & formulier" in text  # plain text stays as written
    assert "Zie &lt;b&gt;bijlage&lt;/b&gt; &amp; formulier" in html
    assert '<html lang="en">' in html


def test_a_text_message_goes_to_the_confirmed_number(gemeente, person):
    confirmed(person, "phone", "+31687654321")
    ChannelPreference.objects.create(
        profile=person, organisation=gemeente, kind=MessageKind.STATUS, sms=True
    )

    result = submit(gemeente, legal_task(gemeente), person)

    [text] = sms.outbox
    assert text.to == "+31687654321"
    assert text.text.startswith(
        "Gemeente Testdorp heeft u een bericht gestuurd: Uw aanvraag is in behandeling."
    )
    assert "Wij hebben" not in text.text  # the message itself stays in the portal
    assert result.notification.deliveries.get(channel="sms").status == DeliveryStatus.SENT


def test_the_inbox_gets_one_copy(gemeente, person):
    result = submit(gemeente, legal_task(gemeente), person)
    enqueue_deliveries([result.notification.deliveries.get(channel="inbox").pk])

    message = InboxMessage.objects.get()
    assert (message.profile, message.organisation) == (person, gemeente)
    assert message.subject == "Uw aanvraag is in behandeling"


def test_sending_logs_the_processing_of_the_address_first(gemeente, person, server):
    submit(gemeente, legal_task(gemeente), person)

    record = ProcessingRecord.objects.get()
    assert (record.organisation, record.fields, record.outcome) == (gemeente, "email", "allowed")
    assert record.subject_pseudonym and person.identity.value not in record.subject_pseudonym


# --- retries, backoff and fallback -------------------------------------------------------------


def test_a_passing_smtp_failure_is_tried_again_and_then_sent_once(gemeente, person, server):
    with refusing(server, 1):
        result = submit(gemeente, legal_task(gemeente), person)

    delivery = email_of(result.notification)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(server.received) == 1


def test_after_the_last_try_the_letter_takes_over(gemeente, person, server, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    with_address(person)
    with refusing(server, 99):
        result = submit(gemeente, legal_task(gemeente), person)

    delivery = email_of(result.notification)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.last_error == "smtp_recipient_refused_450"
    letter = result.notification.deliveries.get(channel=Channel.POST)
    assert (letter.status, letter.fallback_for) == (DeliveryStatus.QUEUED, delivery)
    assert server.received == []


def test_without_a_postal_address_or_cover_no_letter_follows(gemeente, person, server, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    with refusing(server, 99):
        no_address = submit(gemeente, legal_task(gemeente), person)
    with_address(person)
    with refusing(server, 99):
        not_covered = submit(
            gemeente,
            legal_task(gemeente, {DataField.EMAIL}),
            person,
            case_reference="Z-2",
            idempotency_key="k2",
        )

    for result in (no_address, not_covered):
        assert set(result.notification.deliveries.values_list("channel", flat=True)) == {
            "inbox",
            "email",
        }
        assert email_of(result.notification).status == DeliveryStatus.FAILED


@worker_db
def test_a_retry_waits_longer_each_time_in_the_task_queue(gemeente, person, server, settings):
    settings.TASKS = DB_TASKS
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    result = submit(gemeente, legal_task(gemeente), person)
    waits = []
    with refusing(server, 2):
        for _ in range(2):
            run_worker()
            delivery = email_of(result.notification)
            waits.append(delivery.next_attempt_at - timezone.now())
            # Nothing is due until then: make the waiting task due, as time would.
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()

    assert [round(w.total_seconds() / 60) for w in waits] == [1, 2]
    delivery = email_of(result.notification)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 3)
    assert len(server.received) == 1


@pytest.mark.parametrize(
    ("answers", "status", "attempts", "error"),
    [
        # The gateway's trouble: it waits for the gateway, no try spent (and, in these tests'
        # queue that cannot defer, no new task: tests/test_delivery_outage.py has the rest).
        ([503], DeliveryStatus.RETRYING, 0, "paused_sms"),
        ([400], DeliveryStatus.FAILED, 1, "sms_rejected"),
    ],
)
def test_the_sms_gateway_failing_now_waits_for_it_but_a_rejection_is_final(
    gemeente, person, settings, answers, status, attempts, error
):
    confirmed(person, "phone")
    ChannelPreference.objects.create(
        profile=person, organisation=gemeente, kind=MessageKind.STATUS, sms=True
    )
    queue = list(answers)
    with http_peer(lambda request: (queue.pop(0), {"id": "sms-1"}, 0)) as provider:
        settings.SMS_BACKEND = "http"
        settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{provider.server_address[1]}/sms"
        settings.SMS_GATEWAY_API_KEY = "test-key"
        result = submit(gemeente, legal_task(gemeente), person)

    delivery = result.notification.deliveries.get(channel=Channel.SMS)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (status, attempts, error)
    assert len(provider.seen) == len(answers)


# --- never twice, and nothing lost --------------------------------------------------------------


@worker_db
def test_consent_withdrawn_before_the_worker_runs_stops_the_message(
    gemeente, person, server, settings
):
    settings.TASKS = DB_TASKS
    doelbinding = make_doelbinding(gemeente, legal_basis=LegalBasis.CONSENT)
    consent_give(profile=person, doelbinding=doelbinding, version_id=doelbinding.current_version.pk)
    result = submit(gemeente, doelbinding, person)
    consent_withdraw(profile=person, doelbinding=doelbinding)

    run_worker()

    assert {(d.channel, d.status, d.last_error) for d in result.notification.deliveries.all()} == {
        ("inbox", DeliveryStatus.FAILED, Reason.NO_CONSENT),
        ("email", DeliveryStatus.FAILED, Reason.NO_CONSENT),
    }
    assert server.received == [] and not InboxMessage.objects.exists()


@worker_db
def test_a_second_task_for_one_delivery_sends_nothing(gemeente, person, server, settings):
    settings.TASKS = DB_TASKS
    result = submit(gemeente, legal_task(gemeente), person)
    for delivery in result.notification.deliveries.all():
        enqueue_deliveries([delivery.pk])

    run_worker()

    assert len(server.received) == 1 and InboxMessage.objects.count() == 1
    outcomes = sorted(map(str, DBTaskResult.objects.values_list("return_value", flat=True)))
    assert outcomes == ["{'not_waiting': 1}", "{'not_waiting': 1}", "{'sent': 2}"]


@worker_db
def test_recovery_enqueues_a_delivery_whose_task_died_with_its_worker(
    gemeente, person, server, settings
):
    settings.TASKS = DB_TASKS
    result = submit(gemeente, legal_task(gemeente), person)
    # A worker took the tasks and was killed before it claimed the rows.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    assert deliveries_recover() == 0  # not stalled yet: maybe a slow worker

    recovered = deliveries_recover(older_than=timedelta(0))
    run_worker()

    assert recovered == 2
    assert len(server.received) == 1 and InboxMessage.objects.count() == 1
    assert set(result.notification.deliveries.values_list("status", flat=True)) == {"sent"}


@worker_db
def test_an_uncertain_email_is_left_for_staff_and_sent_again_with_the_same_message_id(
    gemeente, person, server, settings
):
    settings.TASKS = DB_TASKS
    result = submit(gemeente, legal_task(gemeente), person)
    delivery = email_of(result.notification)
    # The worker was killed between the server's "accepted" and recording it.
    Delivery.objects.filter(pk=delivery.pk).update(status=SENDING, attempts=1)
    DBTaskResult.objects.all().delete()

    recovered = deliveries_recover(older_than=timedelta(0))
    run_worker()
    assert server.received == []  # not sent again by itself (the inbox copy was recovered)

    assert delivery_send_again(delivery=delivery)
    run_worker()

    assert recovered == 1
    assert [m["Message-ID"] for m in server.messages] == [message_id_for(delivery)]
    assert email_of(result.notification).status == DeliveryStatus.SENT


def test_the_status_of_each_channel_is_there_for_the_sender(gemeente, person, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    with_address(person)
    doelbinding = legal_task(gemeente)
    result = submit(gemeente, doelbinding, person)  # locmem e-mail: sent
    duplicate = submit(gemeente, doelbinding, person, idempotency_key="k2")

    status = delivery_status_for(result.notification)

    assert [(d.channel, d.status) for d in status.deliveries] == [
        ("inbox", "sent"),
        ("email", "sent"),
    ]
    assert status.duplicate_of_id is None
    repeat = delivery_status_for(duplicate.notification)
    assert (repeat.duplicate_of_id, repeat.deliveries) == (result.notification.pk, [])
