"""`manage.py run_worker`: the task worker that survives a lost database (notifications.worker).

The same options as django_tasks_db's `db_worker` (queues, interval, --batch, --max-tasks), but
no --reload: restart it after a code change (`make run` restarts everything). The worker id
defaults to the machine's name and the process id, so staff can tell the workers apart in the
admin, and `worker_health` finds the one on its own machine.
"""

import os
import socket

from django.core.management.base import CommandError
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from notifications.worker.runner import ResilientWorker, worker_run


def default_worker_id() -> str:
    # Unique across the pool: two containers may share a name, never a random suffix too.
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


class Command(DbWorkerCommand):
    help = "Run the background task worker; it waits for a lost database and goes on."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None, reload=False)

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str | None,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        if reload:
            raise CommandError("run_worker does not reload: restart it after a code change.")
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or default_worker_id(),
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker_run(worker)
