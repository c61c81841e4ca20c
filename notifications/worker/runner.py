"""The library's worker in a loop of our own: a lost database is waited for, not fatal.

django_tasks_db's Worker.run() lets an OperationalError out when the database goes away (while
it looks for a task, or when the task's end cannot be written), and `manage.py db_worker` then
exits. ResilientWorker subclasses that public class and catches it around run(): it closes the
connection, waits for the database with backoff and a log line (core.db_wait), puts back the
task it was running (notifications.worker.recovery.tasks_requeue_own), and calls run() again.
The process, its worker id and its heartbeat stay the same.

What the task in flight does meanwhile: a delivery task records what it sent as soon as the
database answers again (notifications.delivery.batch uses core.db_wait.when_database_back), so
a live worker leaves nothing uncertain; a task that broke off before that is put back and run
again, which sends nothing twice (rows are claimed with a status check).

One moment stays uncertain even for a live worker: when the connection breaks while the claim
commits, the worker cannot know whether it did. It then acts as if not (the task runs again);
if the claim had committed, its rows are SENDING and nobody claims them again: "uncertain" for
staff to decide, as after a killed worker. Never twice, never lost unseen.
"""

import logging

from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from core.db_wait import DATABASE_LOST, first_line, wait_for_database, when_database_back
from notifications.callbacks.sender import CallbackSender
from notifications.worker.heartbeat import Heartbeat
from notifications.worker.recovery import task_retry_after_lost_database, tasks_requeue_own

logger = logging.getLogger(__name__)


class ResilientWorker(Worker):
    def __init__(self, **options):
        super().__init__(**options)
        self.in_flight = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.in_flight = db_task_result.pk
        super().run_task(db_task_result)
        self.in_flight = None  # not reached when recording the task's end failed
        if db_task_result.status == TaskResultStatus.FAILED:
            when_database_back(task_retry_after_lost_database, result=db_task_result)

    def run(self) -> None:
        while True:
            try:
                return super().run()
            except DATABASE_LOST as error:
                if not self.running:
                    # Told to stop (SIGTERM, Ctrl+C): stop, do not wait for the database. A task
                    # left running is taken over by another worker (notifications.worker.recovery).
                    logger.warning("worker stops without its database: %s", first_line(error))
                    return
                self.database_lost(error)
                self.startup_delay = False

    def database_lost(self, error: BaseException) -> None:
        in_flight, self.in_flight = self.in_flight, None
        wait_for_database(reason=error)
        put_back = when_database_back(
            tasks_requeue_own, worker_id=self.worker_id, in_flight=in_flight
        )
        logger.warning(
            "worker goes on after a lost database connection",
            extra={"worker": self.worker_id, "tasks_put_back": put_back},
        )


def worker_run(worker: ResilientWorker) -> None:
    """Run `worker` with its heartbeat and its status-callback sender, once the database
    answers; returns when it stops."""
    wait_for_database()
    heartbeat = Heartbeat(worker_id=worker.worker_id)
    heartbeat.beat()  # the row exists before the first task is claimed
    heartbeat.start()
    callbacks = CallbackSender()
    callbacks.start()
    try:
        worker.run()
    finally:
        callbacks.stop()
        heartbeat.stop()
