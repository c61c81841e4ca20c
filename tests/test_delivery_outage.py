"""The mail server or the SMS gateway goes down while a real worker process delivers, and comes
back. An outage of the transport is no fault of the recipients (notifications.delivery.breaker):

- sending pauses for all (a database row the admin shows), nothing fails and no try is spent;
- when the transport answers again, sending resumes by itself;
- afterwards every message arrived exactly once (counted by Message-ID at a real aiosmtpd
  server; by number at a real HTTP gateway). One e-mail may have been cut off after it was
  handed over and before the server answered: that one is left for staff (never resent by
  itself), who look its Message-ID up in the server's log and decide, as for a killed worker
  (tests/test_worker.py).

PostgreSQL only: a second process needs the same real database.
"""

import collections
import re
import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from consent.choices import DataField
from notifications.choices import Channel, DeliveryStatus, MessageKind
from notifications.delivery.breaker import paused_code
from notifications.delivery.render import message_id_for
from notifications.delivery.services import (
    SENDING,
    WAITING,
    delivery_mark_sent,
    delivery_send_again,
)
from notifications.intake.bulk import notification_submit_bulk
from notifications.models import ChannelPreference, Delivery, TransportPause
from profiles.models import Profile
from tests.factories import make_organisation, make_profile
from tests.support.http_peer import http_peer, unused_port
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

BATCH = 40  # deliveries per task: 20 people, an inbox copy and a message each
OUTAGE_SECONDS = 4


@pytest.fixture
def quick_pauses(monkeypatch, settings):
    """Short pauses for the worker process (through its environment) and this process."""
    for name, value in {
        "DELIVERY_PAUSE_BASE_SECONDS": "0.2",
        "DELIVERY_PAUSE_MAX_SECONDS": "1",
        "EMAIL_TIMEOUT": "2",  # a session cut off mid-way ends after this long
        "NOTIFICATION_DELIVERY_BATCH_SIZE": str(BATCH),
    }.items():
        monkeypatch.setenv(name, value)
    settings.TASKS = DB_TASKS
    settings.NOTIFICATION_DELIVERY_BATCH_SIZE = BATCH


def send_to_everyone(gemeente, doelbinding):
    notification_submit_bulk(
        organisation=gemeente,
        doelbinding=doelbinding,
        recipients=Profile.objects.all(),
        kind=MessageKind.STATUS,
        subject="De nieuwe afvalkalender staat online",
        body="Vanaf 1 januari halen wij het afval op andere dagen op.",
        idempotency_key="afvalkalender",
    )


def settled(channel: str):
    # Autocommit: every query sees what the worker committed so far.
    def check() -> bool:
        waiting = Delivery.objects.filter(channel=channel, status__in=WAITING).exists()
        # A task still running is still sending its batch: those rows are SENDING, not
        # uncertain, until it records them.
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
        paused_now = TransportPause.objects.filter(paused_since__isnull=False).exists()
        return not waiting and not running and not paused_now

    return check


def paused(transport: str):
    return lambda: TransportPause.objects.filter(
        transport=transport, paused_since__isnull=False
    ).exists()


def assert_paused_and_nothing_spent(channel: str, transport: str) -> None:
    rows = Delivery.objects.filter(channel=channel)
    assert not rows.filter(status=DeliveryStatus.FAILED).exists()
    waiting = rows.filter(status=DeliveryStatus.RETRYING)
    assert waiting.exists()
    assert set(waiting.values_list("last_error", "attempts")) == {(paused_code(transport), 0)}
    pause = TransportPause.objects.get(transport=transport)
    assert pause.failures >= 2  # probes failed meanwhile, with a growing pause between them


def test_a_mail_server_outage_costs_no_try_and_every_email_arrives_once(quick_pauses, tmp_path):
    messages = 500
    gemeente = make_organisation("Gemeente Testdorp")
    for n in range(messages):
        confirmed(make_profile(), value=f"persoon{n}@voorbeeld.nl")
    send_to_everyone(gemeente, legal_task(gemeente, {DataField.EMAIL}))
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    log = logs[0]  # what wait_for shows when it times out

    with smtp_server() as server:
        # Two workers: they share the pause, and one of them probes at a time.
        workers = [start_worker(server, path) for path in logs]
        try:
            wait_for(lambda: len(server.received) >= 100, seconds=90, what="100 e-mails", log=log)
            server.stop()
            down_at = len(server.received)
            wait_for(paused("smtp"), seconds=20, what="the pause", log=log)
            time.sleep(OUTAGE_SECONDS)
            assert_paused_and_nothing_spent(Channel.EMAIL, "smtp")
            assert len(server.received) == down_at
            server.start()
            wait_for(settled(Channel.EMAIL), seconds=90, what="all e-mails", log=log)

            # At most the e-mail each worker had in flight when the server went: staff decide.
            uncertain = list(emails.filter(status=SENDING))
            assert len(uncertain) <= len(workers)
            arrived = collections.Counter(m["Message-ID"] for m in server.messages)
            for delivery in uncertain:
                if arrived[message_id_for(delivery)]:
                    assert delivery_mark_sent(delivery=delivery)
                else:
                    assert delivery_send_again(delivery=delivery)
            wait_for(settled(Channel.EMAIL), seconds=30, what="the uncertain ones", log=log)
        finally:
            for worker in workers:
                stop(worker)

    arrived = collections.Counter(m["Message-ID"] for m in server.messages)
    recipients = collections.Counter(r.envelope_to[0] for r in server.received)
    assert 100 <= down_at < messages  # the outage came in the middle
    assert len(arrived) == messages and set(arrived.values()) == {1}
    assert len(recipients) == messages and set(recipients.values()) == {1}
    assert set(arrived) == {message_id_for(d) for d in emails}
    assert set(emails.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
    written = "".join(path.read_text() for path in logs)
    assert re.search(r"sending paused on smtp: the transport does not answer", written)
    assert re.search(r"sending resumed on smtp after a pause of \d+ s", written)


def test_an_sms_gateway_outage_costs_no_try_and_every_text_goes_once(
    quick_pauses, monkeypatch, tmp_path
):
    texts, down_after = 60, 20
    gemeente = make_organisation("Gemeente Testdorp")
    for n in range(texts):
        person = make_profile()
        confirmed(person, "phone", f"+3161000{n:04d}")
        ChannelPreference.objects.create(
            profile=person, organisation=gemeente, kind=MessageKind.STATUS, sms=True
        )
    send_to_everyone(gemeente, legal_task(gemeente, {DataField.PHONE}))
    accepted, refused, lock = [], collections.Counter(), threading.Lock()
    gateway = {"down": False}

    def answer(request):
        with lock:
            if gateway["down"] or (len(accepted) >= down_after and not refused):
                gateway["down"] = True  # in maintenance: 503, then "too many requests"
                status = 503 if sum(refused.values()) % 2 == 0 else 429
                refused[status] += 1
                return status, {"error": "unavailable"}, 0
            accepted.append(request["body"]["to"])
            return 200, {"id": f"sms-{len(accepted)}"}, 0.02

    log = tmp_path / "worker.log"
    with http_peer(answer) as provider:
        monkeypatch.setenv("SMS_BACKEND", "http")
        monkeypatch.setenv("SMS_GATEWAY_URL", f"http://127.0.0.1:{provider.server_address[1]}/")
        monkeypatch.setenv("SMS_GATEWAY_API_KEY", "sms-test-key")
        monkeypatch.setenv("SMS_GATEWAY_TIMEOUT", "2")
        no_mail = SimpleNamespace(host="127.0.0.1", port=unused_port())
        worker = start_worker(no_mail, log)
        try:
            wait_for(lambda: gateway["down"], seconds=60, what="the gateway down", log=log)
            wait_for(paused("sms"), seconds=20, what="the pause", log=log)
            time.sleep(OUTAGE_SECONDS)
            assert_paused_and_nothing_spent(Channel.SMS, "sms")
            with lock:
                gateway["down"] = False
            wait_for(settled(Channel.SMS), seconds=60, what="all text messages", log=log)
        finally:
            stop(worker)

    texts_out = Delivery.objects.filter(channel=Channel.SMS)
    assert len(accepted) == texts and set(collections.Counter(accepted).values()) == {1}
    assert refused[503] >= 1 and refused[429] >= 1  # both answers paused it
    assert set(texts_out.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
    written = log.read_text()
    assert "sending resumed on sms" in written
    # While paused only the probes reach the gateway: one message per try, each one logged.
    tries = len(re.findall(r"sending (?:still )?paused on sms", written))
    assert sum(refused.values()) == tries
