"""Which task goes back on the queue when its worker stopped, and what `worker_health` says.

In this process, on SQLite and PostgreSQL: the rules of notifications.worker.recovery, with task
rows as the library writes them. The real processes are in tests/test_worker_database.py.
"""

import socket
from datetime import timedelta

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import db_wait
from notifications.models import WorkerHeartbeat
from notifications.tasks import deliver_batch
from notifications.worker.heartbeat import Heartbeat, worker_heartbeat_write
from notifications.worker.recovery import (
    MAX_CLAIMS,
    task_retry_after_lost_database,
    tasks_recover_orphaned,
    tasks_requeue_own,
)
from profiles.tasks import send_email_changed_notice
from tests.support.notifications import DB_TASKS
from tests.support.worker import database_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DB_TASKS
    settings.WORKER_ORPHAN_AFTER = 30


def running(task=None, *, worker="dead-worker", started_ago=60, claims=1) -> DBTaskResult:
    """A task row as a worker leaves it when it claimed the task `started_ago` seconds ago."""
    if task is None:
        result = deliver_batch.enqueue(delivery_ids=[1, 2])
    else:
        result = task.enqueue(old_address="oud@voorbeeld.nl", language="nl")
    row = DBTaskResult.objects.get(pk=result.id)
    for n in range(claims):
        row.claim(f"{worker}-{n}" if n < claims - 1 else worker)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(seconds=started_ago)
    )
    row.refresh_from_db()
    return row


def beat(worker: str, seconds_ago: float) -> None:
    worker_heartbeat_write(worker_id=worker, started_at=timezone.now())
    WorkerHeartbeat.objects.filter(worker_id=worker).update(
        beat_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def status(row: DBTaskResult) -> str:
    row.refresh_from_db()
    return row.status


def test_a_delivery_task_of_a_silent_worker_goes_back_on_the_queue():
    row = running()
    beat("dead-worker", seconds_ago=31)
    assert tasks_recover_orphaned() == 1
    assert status(row) == "READY"
    assert DBTaskResult.objects.ready().filter(pk=row.pk).exists()  # the next worker takes it


def test_a_task_of_a_worker_without_any_heartbeat_is_orphaned_too():
    row = running(worker="a-plain-db-worker")
    assert tasks_recover_orphaned() == 1
    assert status(row) == "READY"


def test_a_task_of_a_living_worker_stays_with_it_however_long_it_runs():
    row = running(started_ago=3600)
    beat("dead-worker", seconds_ago=2)
    assert tasks_recover_orphaned() == 0
    assert status(row) == "RUNNING"


def test_a_task_claimed_a_moment_ago_is_left_alone():
    row = running(worker="just-started", started_ago=1)
    assert tasks_recover_orphaned() == 0
    assert status(row) == "RUNNING"


def test_a_task_that_could_send_twice_fails_visibly_instead_of_running_again():
    row = running(send_email_changed_notice)
    assert tasks_recover_orphaned() == 1
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.exception_class_path == "notifications.worker.recovery.WorkerLost"
    assert "could send a message twice" in row.traceback


def test_a_task_claimed_too_often_is_not_put_back_again():
    row = running(claims=MAX_CLAIMS)
    assert tasks_recover_orphaned() == 1
    assert status(row) == "FAILED"


def test_the_orphan_time_is_a_setting(settings):
    row = running(started_ago=10)
    beat("dead-worker", seconds_ago=6)
    assert tasks_recover_orphaned() == 0
    settings.WORKER_ORPHAN_AFTER = 5
    assert tasks_recover_orphaned() == 1
    assert status(row) == "READY"


def test_a_task_another_worker_took_over_is_not_touched_by_the_one_that_lost_it():
    row = running()
    stale = DBTaskResult.objects.get(pk=row.pk)
    DBTaskResult.objects.filter(pk=row.pk).update(status="READY")
    DBTaskResult.objects.get(pk=row.pk).claim("new-worker")  # another worker took it
    beat("new-worker", seconds_ago=0)
    assert tasks_requeue_own(worker_id="dead-worker", in_flight=stale.pk) == 0
    assert tasks_recover_orphaned() == 0
    assert status(row) == "RUNNING"


def test_after_a_lost_connection_a_worker_puts_back_its_own_tasks():
    in_flight = running(worker="me", started_ago=1)
    claimed_only = running(send_email_changed_notice, worker="me", started_ago=1)
    others = running(worker="someone-else", started_ago=1)
    assert tasks_requeue_own(worker_id="me", in_flight=in_flight.pk) == 2
    assert status(in_flight) == "READY"  # a delivery task: safe to run again
    assert status(claimed_only) == "READY"  # claimed as the connection broke: never started
    assert status(others) == "RUNNING"


def test_a_task_failed_by_a_broken_connection_runs_again_shortly():
    row = running(worker="me", started_ago=1)
    row.set_failed(Exception("stand-in"))
    DBTaskResult.objects.filter(pk=row.pk).update(
        exception_class_path="django.db.utils.OperationalError"
    )
    row.refresh_from_db()
    assert task_retry_after_lost_database(result=row)
    row.refresh_from_db()
    assert row.status == "READY" and row.finished_at is None and row.traceback == ""
    assert timezone.now() < row.run_after < timezone.now() + timedelta(seconds=2)


def test_a_task_failed_by_its_own_error_stays_failed():
    row = running(worker="me", started_ago=1)
    row.set_failed(ValueError("a fault of ours"))
    row.refresh_from_db()
    assert not task_retry_after_lost_database(result=row)
    assert status(row) == "FAILED"


def test_the_heartbeat_renews_its_row_recovers_orphans_and_removes_its_row_on_stop():
    orphan = running()
    heartbeat = Heartbeat(worker_id="me", every=60)
    heartbeat.beat()
    row = WorkerHeartbeat.objects.get(worker_id="me")
    assert row.hostname == socket.gethostname() and row.pid > 0
    assert status(orphan) == "READY"
    heartbeat.stop()  # never started as a thread here
    assert not WorkerHeartbeat.objects.filter(worker_id="me").exists()


def test_worker_health_asks_for_a_recent_heartbeat_on_this_machine(capsys):
    with pytest.raises(CommandError, match="no task worker on"):
        call_command("worker_health")
    beat("here", seconds_ago=5)
    call_command("worker_health")
    assert "healthy: 1 task worker(s) on" in capsys.readouterr().out
    WorkerHeartbeat.objects.update(hostname="elsewhere")
    with pytest.raises(CommandError):
        call_command("worker_health")
    call_command("worker_health", "--any")
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=31))
    with pytest.raises(CommandError, match="in the last 30 s"):
        call_command("worker_health", "--any")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server ends the connection")
@pytest.mark.django_db(transaction=True)
def test_work_runs_again_once_the_server_ended_its_connection():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    url = database_url().replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    runs = []

    def count_workers():
        runs.append(1)
        return WorkerHeartbeat.objects.count()

    assert db_wait.when_database_back(count_workers) == 0
    assert len(runs) == 2  # the first met the ended connection, the second a new one


@pytest.mark.django_db(transaction=True)  # outside a transaction, as in the worker
def test_an_error_of_the_query_itself_goes_up_after_a_few_quick_tries(monkeypatch):
    monkeypatch.setattr(db_wait, "FIRST_WAIT", 0.01)
    runs = []

    def broken_query():
        runs.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_here")

    with pytest.raises(Exception) as raised:
        db_wait.when_database_back(broken_query)
    if isinstance(raised.value, OperationalError):  # SQLite; PostgreSQL says ProgrammingError
        assert len(runs) == db_wait.QUICK_TRIES
    else:
        assert len(runs) == 1


def test_operators_see_the_workers_and_a_warning_when_none_is_alive(admin_client):
    url = reverse("admin:notifications_workerheartbeat_changelist")
    response = admin_client.get(url)
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    beat("worker-on-this-machine", seconds_ago=1)
    response = admin_client.get(url)
    assert list(response.context["messages"]) == []
    assert "worker-on-this-machine" in response.content.decode()
