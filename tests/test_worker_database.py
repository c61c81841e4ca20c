"""The task worker (`manage.py run_worker`, a real process) against a database that goes away.

- Its connections are ended from PostgreSQL's side (pg_terminate_backend), again and again,
  while it is idle and while it sends to a real SMTP server; the database also refuses every new
  connection for a few seconds. Afterwards every e-mail arrived exactly once, every row is SENT,
  and the worker is the process it was (same PID, one heartbeat row).
- A worker killed with SIGKILL in the middle of a task: another worker takes the orphaned task
  over within seconds (WORKER_ORPHAN_AFTER), without cron, and nothing arrives twice.

PostgreSQL only (a second process needs the same real database; CI sets DATABASE_URL). Every
wait has a deadline; the file takes well under a minute.
"""

import asyncio
import collections
import contextlib
import json
import signal
import time

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django_tasks_db.models import DBTaskResult

from consent.choices import DataField
from notifications.choices import Channel, DeliveryStatus, MessageKind
from notifications.delivery.render import message_id_for
from notifications.intake.bulk import notification_submit_bulk
from notifications.models import Delivery, WorkerHeartbeat
from profiles.models import Profile
from tests.factories import make_organisation, make_profile
from tests.support.broker import free_port
from tests.support.notifications import DB_TASKS, confirmed, legal_task
from tests.support.smtp import SmtpServer
from tests.support.worker import database_url, start_worker, stop, wait_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a worker process needs the same real database: PostgreSQL (CI sets DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

FAST = {
    "WORKER_HEARTBEAT_SECONDS": "0.5",
    "WORKER_ORPHAN_AFTER": "3",
    "WORKER_RECONNECT_MAX_SECONDS": "1",
}


class SlowSmtpServer(SmtpServer):
    """Takes a moment per message, so the worker is sending while its connection is ended."""

    delay = 0.02

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


@contextlib.contextmanager
def slow_smtp_server():
    server = SlowSmtpServer(host="127.0.0.1", port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def people_with_email(count: int):
    gemeente = make_organisation("Gemeente Testdorp")
    doelbinding = legal_task(gemeente, {DataField.EMAIL})
    for n in range(count):
        confirmed(make_profile(), value=f"persoon{n}@voorbeeld.nl")
    return gemeente, doelbinding


def send_to_everyone(gemeente, doelbinding, key: str) -> None:
    notification_submit_bulk(
        organisation=gemeente,
        doelbinding=doelbinding,
        recipients=Profile.objects.all(),
        kind=MessageKind.STATUS,
        subject="De nieuwe afvalkalender staat online",
        body="Vanaf 1 januari halen wij het afval op andere dagen op.",
        idempotency_key=key,
    )


def backends(application: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application]
        )
        return [pid for (pid,) in cursor.fetchall()]


def terminate(application: str) -> int:
    """End every connection of that application from the server's side; how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s",
            [application],
        )
        return cursor.fetchone()[0]


def admin_connection(database: str = "") -> psycopg.Connection:
    """A connection of the test's own beside Django's: to the test database, or another one."""
    url = database_url().replace("postgres://", "postgresql://")
    if database:
        url = url.rsplit("/", 1)[0] + "/" + database
    return psycopg.connect(url, autocommit=True)


def all_sent() -> bool:
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    return not emails.exclude(status=DeliveryStatus.SENT).exists() and not (
        DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    )


def arrived_once_each(server, emails) -> None:
    arrived = collections.Counter(m["Message-ID"] for m in server.messages)
    assert set(arrived.values()) == {1}, arrived.most_common(3)  # none twice
    assert set(arrived) == {message_id_for(d) for d in emails}  # none lost, none foreign


def test_the_worker_lives_through_ended_connections_and_an_outage(settings, tmp_path):
    settings.TASKS = DB_TASKS
    settings.NOTIFICATION_DELIVERY_BATCH_SIZE = 20  # ten people per task, several tasks
    messages = 60
    gemeente, doelbinding = people_with_email(messages)
    log = tmp_path / "worker.log"
    app = "moz-test-worker"

    with slow_smtp_server() as server:
        worker = start_worker(server, log, PGAPPNAME=app, **FAST)
        try:
            wait_for(WorkerHeartbeat.objects.exists, seconds=20, what="a heartbeat", log=log)
            before = WorkerHeartbeat.objects.get()

            # Idle: its connections ended, three times.
            for _ in range(3):
                wait_for(lambda: backends(app), seconds=10, what="a connection", log=log)
                assert terminate(app) >= 1
                time.sleep(0.6)
            assert worker.poll() is None, log.read_text()

            # Idle: the database refuses every connection for three seconds.
            # ALTER DATABASE from another database: it cannot be said of the current one.
            with admin_connection("postgres") as admin:
                name = connection.settings_dict["NAME"]
                try:
                    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                    terminate(app)
                    time.sleep(3)
                    assert worker.poll() is None, log.read_text()
                finally:
                    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            assert "database unreachable; trying again in" in log.read_text()

            # Sending: its connections ended every quarter of a second until all went out.
            send_to_everyone(gemeente, doelbinding, "afvalkalender")
            while_sending = 0
            deadline = time.monotonic() + 40
            while not all_sent():
                assert time.monotonic() < deadline, f"not all sent in time:\n{log.read_text()}"
                if 0 < len(server.received) < messages and terminate(app):
                    while_sending += 1
                time.sleep(0.25)
            assert worker.poll() is None, log.read_text()
            assert while_sending >= 3, f"only {while_sending} ended while sending"
            # The same worker all along: the same process, worker id and start.
            after = WorkerHeartbeat.objects.get()
            assert (after.worker_id, after.pid, after.started_at) == (
                before.worker_id,
                worker.pid,
                before.started_at,
            )
        finally:
            stop(worker)

        emails = list(Delivery.objects.filter(channel=Channel.EMAIL))
        assert len(emails) == messages
        arrived_once_each(server, emails)

    went_on = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if "worker goes on after a lost database connection" in line
    ]
    assert len(went_on) >= 3 and {line["worker"] for line in went_on} == {before.worker_id}
    assert not WorkerHeartbeat.objects.exists()  # a clean stop removes its row
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


def test_an_orphaned_task_is_taken_over_in_seconds_and_sends_nothing_twice(settings, tmp_path):
    settings.TASKS = DB_TASKS
    settings.NOTIFICATION_DELIVERY_BATCH_SIZE = 20
    messages = 30
    gemeente, doelbinding = people_with_email(messages)
    send_to_everyone(gemeente, doelbinding, "afvalkalender")
    log = tmp_path / "worker.log"

    with slow_smtp_server() as server, admin_connection() as locker:
        # Hold the deliveries table, so the first worker stops inside its task's claim.
        locker.execute("BEGIN")
        locker.execute("LOCK TABLE notifications_delivery IN EXCLUSIVE MODE")
        first = start_worker(server, log, PGAPPNAME="moz-test-worker-1", **FAST)
        second = None
        try:
            wait_for(
                lambda: DBTaskResult.objects.filter(status="RUNNING").exists(),
                seconds=20,
                what="a running task",
                log=log,
            )
            orphan = DBTaskResult.objects.get(status="RUNNING")
            stop(first, signal.SIGKILL)
            locker.execute("ROLLBACK")
            wait_for(
                lambda: not backends("moz-test-worker-1"),
                seconds=10,
                what="the killed worker's connections to go",
                log=log,
            )
            assert server.received == []
            assert DBTaskResult.objects.get(pk=orphan.pk).status == "RUNNING"  # left behind

            started = time.monotonic()
            second = start_worker(server, log, PGAPPNAME="moz-test-worker-2", **FAST)
            wait_for(all_sent, seconds=30, what="every e-mail", log=log)
            took = time.monotonic() - started
        finally:
            with contextlib.suppress(psycopg.Error):
                locker.execute("ROLLBACK")
            stop(first, signal.SIGKILL)
            if second is not None:
                stop(second)

        emails = list(Delivery.objects.filter(channel=Channel.EMAIL))
        arrived_once_each(server, emails)

    orphan.refresh_from_db()
    assert orphan.status == "SUCCESSFUL"
    assert len(orphan.worker_ids) == 2 and orphan.worker_ids[0] != orphan.worker_ids[1]
    # WORKER_ORPHAN_AFTER is 3 s here; the rest is a busy machine starting a Django process.
    assert took < 25, f"took {took:.1f} s"
    assert "task put back on the queue: worker" in log.read_text()
