"""A worker's sign of life: its WorkerHeartbeat row, renewed from a thread of its own.

A thread, so that a long task (a batch of text messages) does not make the worker look dead to
the others. The thread has its own database connection (Django's connections are per thread);
when the database is gone it logs once, and beats again as soon as it is back. Each beat also
looks for orphaned tasks of other workers (notifications.worker.recovery): no cron is needed.
"""

import contextlib
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.db_wait import DATABASE_LOST, first_line
from notifications.models import WorkerHeartbeat
from notifications.worker.recovery import tasks_recover_orphaned

logger = logging.getLogger(__name__)


def heartbeat_seconds() -> float:
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 5.0))


def worker_heartbeat_write(*, worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": timezone.now()},
        create_defaults={
            "beat_at": timezone.now(),
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
        },
    )


class Heartbeat(threading.Thread):
    def __init__(self, *, worker_id: str, every: float | None = None):
        super().__init__(name=f"heartbeat {worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = heartbeat_seconds() if every is None else every
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.database_lost = False

    def beat(self) -> None:
        """Renew the row and recover orphaned tasks; a lost database is logged, not raised."""
        try:
            worker_heartbeat_write(worker_id=self.worker_id, started_at=self.started_at)
            tasks_recover_orphaned()
        except DATABASE_LOST as error:
            if not self.database_lost:
                logger.warning("heartbeat not written: %s", first_line(error))
            self.database_lost = True
            with contextlib.suppress(*DATABASE_LOST):
                connection.close()  # this thread's; the next beat connects anew
        except Exception:
            # A fault of ours must not end the thread: a worker without heartbeat looks dead,
            # and the others would take its task. Logged as an error, so it is seen.
            logger.exception("heartbeat failed")
        else:
            self.database_lost = False

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                self.beat()
        finally:
            connection.close()

    def stop(self) -> None:
        """End the thread, and remove the row: a worker that stopped cleanly holds no task."""
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=self.every + 5)
        # Without a database the others see it go stale instead.
        with contextlib.suppress(*DATABASE_LOST):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
