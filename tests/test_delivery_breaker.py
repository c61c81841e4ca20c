"""The circuit breaker of each transport (notifications.delivery.breaker): it pauses sending for
all when the mail server fails, counts one outage once, lets one worker probe after a pause that
doubles up to its maximum, and when the relay answers it closes and the waiting rows go.
Staff see the pause in the admin. The worker-process version: tests/test_delivery_outage.py."""

import asyncio
import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.choices import Channel, DeliveryStatus, MessageKind
from notifications.delivery.breaker import (
    CLOSED,
    PAUSED,
    PROBE,
    transport_permits,
    transport_resume,
    transport_trip,
)
from notifications.delivery.policy import transport_pause
from notifications.delivery.sending import close_mail_connection
from notifications.delivery.services import SENDING
from notifications.intake.bulk import notification_submit_bulk
from notifications.models import Delivery, TransportPause
from profiles.models import Profile
from tests.factories import make_organisation, make_profile
from tests.support.notifications import DB_TASKS, confirmed, legal_task, submit
from tests.support.smtp import smtp_server, use_smtp_server
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db
# As in tests/test_delivery.py: on PostgreSQL the worker's commits are real.
worker_db = pytest.mark.django_db(transaction=connection.vendor == "postgresql")


@pytest.fixture(autouse=True)
def pauses(settings):
    settings.DELIVERY_PAUSE_BASE_SECONDS = 10
    settings.DELIVERY_PAUSE_MAX_SECONDS = 60
    close_mail_connection()
    yield
    close_mail_connection()


def send_to(gemeente, people):
    """One message to each of `people`, in one batch (their e-mails in pk order)."""
    notification_submit_bulk(
        organisation=gemeente,
        doelbinding=legal_task(gemeente),
        recipients=Profile.objects.filter(pk__in=[p.pk for p in people]),
        kind=MessageKind.STATUS,
        subject="De nieuwe afvalkalender staat online",
        body="Vanaf 1 januari halen wij het afval op andere dagen op.",
        idempotency_key="afvalkalender",
    )


def due_now(transport="smtp"):
    """Time passes: the pause is over."""
    TransportPause.objects.filter(transport=transport).update(retry_at=timezone.now())


def wait_of(transport="smtp") -> float:
    pause = TransportPause.objects.get(transport=transport)
    return round((pause.retry_at - timezone.now()).total_seconds())


def test_one_outage_seen_by_many_workers_counts_once_and_logs_once(caplog):
    with caplog.at_level(logging.WARNING, logger="notifications.delivery.breaker"):
        first = transport_trip(
            transport="smtp", reason="smtp_ConnectionRefusedError", probing=False
        )
        again = transport_trip(
            transport="smtp", reason="smtp_SMTPServerDisconnected", probing=False
        )

    pause = TransportPause.objects.get()
    assert first == again == pause.retry_at
    assert (pause.failures, pause.reason, wait_of()) == (1, "smtp_ConnectionRefusedError", 10)
    assert [r.getMessage() for r in caplog.records] == [
        "sending paused on smtp: the transport does not answer (smtp_ConnectionRefusedError); "
        "next try in 10.0 s"
    ]
    permits = transport_permits({"smtp", "sms"})
    assert (permits["smtp"].state, permits["smtp"].retry_at) == (PAUSED, pause.retry_at)
    assert permits["sms"].state == CLOSED  # each transport on its own


def test_after_the_pause_one_worker_probes_and_each_failed_probe_doubles_the_pause_to_its_maximum():
    transport_trip(transport="smtp", reason="smtp_421", probing=False)
    waits = []
    for _ in range(4):
        due_now()
        assert transport_permits({"smtp"})["smtp"].state == PROBE
        assert transport_permits({"smtp"})["smtp"].state == PAUSED  # one prober at a time
        transport_trip(transport="smtp", reason="smtp_421", probing=True)
        waits.append(wait_of())
    assert waits == [20, 40, 60, 60]
    assert TransportPause.objects.get().failures == 5


def test_a_prober_that_dies_leaves_the_probe_to_the_next_worker_after_the_next_pause():
    transport_trip(transport="smtp", reason="smtp_421", probing=False)
    due_now()
    assert transport_permits({"smtp"})["smtp"].state == PROBE  # and then it is killed
    assert wait_of() == 20
    due_now()
    assert transport_permits({"smtp"})["smtp"].state == PROBE


@worker_db
def test_a_relay_that_is_down_costs_no_try_and_when_it_answers_every_row_goes_once(settings):
    settings.TASKS = DB_TASKS
    gemeente = make_organisation("Gemeente Testdorp")
    people = [make_profile() for _ in range(4)]
    for n, person in enumerate(people):
        confirmed(person, value=f"persoon{n}@voorbeeld.nl")
    with smtp_server() as server:
        use_smtp_server(settings, server)
        server.stop()
        for n, person in enumerate(people[:3]):
            submit(gemeente, legal_task(gemeente), person, idempotency_key=f"k{n}")
        run_worker()

        emails = Delivery.objects.filter(channel=Channel.EMAIL)
        assert set(emails.values_list("status", "attempts", "last_error")) == {
            (DeliveryStatus.RETRYING, 0, "paused_smtp")
        }
        # Another batch meanwhile: its rows wait untried, before the gate and the log.
        submit(gemeente, legal_task(gemeente), people[3], idempotency_key="later")
        run_worker()
        assert not emails.filter(status=DeliveryStatus.SENT).exists()

        server.start()
        due_now()
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()

        assert TransportPause.objects.get().paused_since is None
        assert set(emails.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
        recipients = sorted(r.envelope_to[0] for r in server.received)
    assert recipients == [f"persoon{n}@voorbeeld.nl" for n in range(4)]


@worker_db
def test_an_email_cut_off_after_the_relay_had_all_of_it_is_left_for_staff_not_resent(settings):
    settings.TASKS = DB_TASKS
    settings.EMAIL_TIMEOUT = 0.5
    gemeente = make_organisation("Gemeente Testdorp")
    people = [make_profile() for _ in range(3)]
    for n, person in enumerate(people):
        confirmed(person, value=f"persoon{n}@voorbeeld.nl")
    with smtp_server() as server:
        use_smtp_server(settings, server)
        accept = server.handle_DATA

        async def takes_it_and_hangs(smtp, session, envelope):
            await accept(smtp, session, envelope)
            await asyncio.sleep(2)  # the relay goes quiet before its "250"
            return "250 OK"

        server.handle_DATA = takes_it_and_hangs
        send_to(gemeente, people)
        run_worker()

    first, *rest = (
        Delivery.objects.get(channel=Channel.EMAIL, notification__recipient=p) for p in people
    )
    assert (first.status, first.attempts) == (SENDING, 1)  # uncertain: staff decide
    assert {(d.status, d.attempts, d.last_error) for d in rest} == {
        (DeliveryStatus.RETRYING, 0, "paused_smtp")
    }
    assert len(server.received) == 1
    assert TransportPause.objects.get().reason == "smtp_no_answer_to_message"


def test_when_the_relay_answers_again_the_waiting_rows_are_enqueued_at_once(settings, caplog):
    gemeente, person = make_organisation("Gemeente Testdorp"), make_profile()
    confirmed(person)
    with smtp_server() as server:
        use_smtp_server(settings, server)
        server.stop()
        submit(gemeente, legal_task(gemeente), person)  # this queue runs tasks at once
        email = Delivery.objects.get(channel=Channel.EMAIL)
        assert (email.status, email.last_error) == (DeliveryStatus.RETRYING, "paused_smtp")
        server.start()
        with caplog.at_level(logging.WARNING, logger="notifications.delivery.breaker"):
            transport_resume(transport="smtp")
        assert len(server.received) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.SENT, 1)
    assert "sending resumed on smtp after a pause of 0 s" in caplog.text


def test_staff_see_that_email_is_paused_and_why_on_the_admin_pages(client, settings):
    staff = User.objects.create_user(username="beheerder", is_staff=True, is_superuser=True)
    client.force_login(staff)
    home = reverse("admin:index")
    notice = "E-mail versturen staat stil sinds"
    assert notice not in client.get(home).content.decode()

    gemeente, person = make_organisation("Gemeente Testdorp"), make_profile()
    confirmed(person)
    with smtp_server() as server:
        use_smtp_server(settings, server)
        server.stop()
        submit(gemeente, legal_task(gemeente), person)  # the relay is gone: paused
        pages = [
            client.get(page).content.decode()
            for page in (
                home,
                reverse("admin:notifications_notification_changelist"),
                reverse("admin:notifications_delivery_changelist"),
            )
        ]
        server.start()
        transport_resume(transport="smtp")
        after = client.get(home).content.decode()

    for page in pages:
        assert notice in page and "omdat de mailserver niet antwoordt" in page
        assert "Het portaal probeert het zelf opnieuw" in page
        assert "Sms'jes versturen" not in page
    assert "wacht: de mailserver antwoordt niet" in pages[2]  # the delivery's last error
    assert notice not in after


def test_the_pause_doubles_from_the_settings_and_stops_at_the_maximum(settings):
    settings.DELIVERY_PAUSE_BASE_SECONDS = 0.5
    settings.DELIVERY_PAUSE_MAX_SECONDS = 3
    assert [transport_pause(n) for n in range(1, 6)] == [
        timedelta(seconds=s) for s in (0.5, 1, 2, 3, 3)
    ]
