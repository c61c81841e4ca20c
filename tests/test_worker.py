"""A real worker process (`manage.py run_worker`) killed with SIGKILL while it sends a batch, and
started again. What holds, and what this test asserts:

- no e-mail arrives twice (counted by Message-ID at a real SMTP server);
- no e-mail is lost unseen: every e-mail delivery ends SENT, or SENDING when the worker died
  after claiming its batch and before recording it: at most one batch. Whether such a message
  arrived cannot be known from our side, so it is not sent again by itself; staff decide with
  the Message-ID in the mail server's log (here: the test server's list);
- after that decision every notification arrived exactly once, and every row is SENT;
- the inbox copies, written in the database's own transaction, are exactly once regardless.

PostgreSQL only: SQLite in a second process on a test database in memory is not the same
database, and the worker's row locks need a real server.
"""

import collections
import signal
from datetime import timedelta

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from consent.choices import DataField
from notifications.choices import Channel, DeliveryStatus, MessageKind
from notifications.delivery.render import message_id_for
from notifications.delivery.services import (
    SENDING,
    WAITING,
    deliveries_recover,
    delivery_mark_sent,
    delivery_send_again,
)
from notifications.intake.bulk import notification_submit_bulk
from notifications.models import Delivery, InboxMessage
from profiles.models import Profile
from tests.factories import make_organisation, make_profile
from tests.support.notifications import DB_TASKS, confirmed, legal_task
from tests.support.smtp import smtp_server
from tests.support.worker import start_worker, stop, wait_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a second process needs the same real database: PostgreSQL (CI sets DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

MESSAGES = 200
KILL_AFTER = 50
BATCH = 40  # deliveries per task: 20 people, an inbox copy and an e-mail each


def nothing_waiting() -> bool:
    # Autocommit: every query sees what the worker committed so far.
    return not Delivery.objects.filter(status__in=WAITING).exclude(channel=Channel.POST).exists()


def test_a_killed_worker_sends_no_email_twice_and_loses_none(settings, tmp_path):
    settings.TASKS = DB_TASKS
    settings.NOTIFICATION_DELIVERY_BATCH_SIZE = BATCH
    gemeente = make_organisation("Gemeente Testdorp")
    doelbinding = legal_task(gemeente, {DataField.EMAIL})
    for n in range(MESSAGES):
        person = make_profile()
        confirmed(person, value=f"persoon{n}@voorbeeld.nl")
    notification_submit_bulk(
        organisation=gemeente,
        doelbinding=doelbinding,
        recipients=Profile.objects.all(),
        kind=MessageKind.STATUS,
        subject="De nieuwe afvalkalender staat online",
        body="Vanaf 1 januari halen wij het afval op andere dagen op.",
        idempotency_key="afvalkalender",
    )
    assert DBTaskResult.objects.count() == 2 * MESSAGES // BATCH
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert emails.filter(status=DeliveryStatus.QUEUED).count() == MESSAGES
    log = tmp_path / "worker.log"

    with smtp_server() as server:
        worker = start_worker(server, log)
        try:
            wait_for(
                lambda: len(server.received) >= KILL_AFTER,
                seconds=60,
                what=f"{KILL_AFTER} messages",
                log=log,
                every=0.001,
            )
            stop(worker, signal.SIGKILL)
            at_kill = len(server.received)
            # What the start script does before a worker starts: find rows whose task died.
            deliveries_recover(older_than=timedelta(0))
            worker = start_worker(server, log)
            wait_for(nothing_waiting, seconds=120, what="all deliveries", log=log)
        finally:
            stop(worker)

        arrived = collections.Counter(m["Message-ID"] for m in server.messages)
        uncertain = list(emails.filter(status=SENDING))
        assert KILL_AFTER <= at_kill < MESSAGES  # killed in the middle, not after
        assert max(arrived.values()) == 1  # at most once
        assert set(emails.values_list("status", flat=True)) <= {DeliveryStatus.SENT, SENDING}
        # One worker, one batch in flight when it died: its e-mails, some of them out.
        assert len(uncertain) <= BATCH // 2
        for delivery in emails.filter(status=DeliveryStatus.SENT):
            assert arrived[message_id_for(delivery)] == 1  # none lost

        # Staff look each uncertain one up in the mail server's log and decide.
        for delivery in uncertain:
            if arrived[message_id_for(delivery)]:
                assert delivery_mark_sent(delivery=delivery)
            else:
                assert delivery_send_again(delivery=delivery)
        worker = start_worker(server, log)
        try:
            wait_for(nothing_waiting, seconds=60, what="the uncertain ones", log=log)
        finally:
            stop(worker)

        arrived = collections.Counter(m["Message-ID"] for m in server.messages)
        recipients = collections.Counter(r.envelope_to[0] for r in server.received)

    assert len(arrived) == MESSAGES and set(arrived.values()) == {1}
    assert len(recipients) == MESSAGES and set(recipients.values()) == {1}
    assert set(emails.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert InboxMessage.objects.count() == MESSAGES
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
