"""`manage.py worker_health`: exit 0 when a task worker gave a sign of life recently, else 1.

For a container's health check (the worker's image target in the Dockerfile) or a sidecar: by
default it asks for a worker on this machine (the worker's heartbeat row carries the machine's
name); `--any` for any worker at all. Recently means within WORKER_ORPHAN_AFTER seconds: the
same time after which other workers take over its task. A database that cannot be reached is
unhealthy too: the worker cannot work then (it waits for the database by itself).
"""

import socket
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.db_wait import DATABASE_LOST, first_line
from notifications.models import WorkerHeartbeat
from notifications.worker.recovery import orphan_after


class Command(BaseCommand):
    help = "Exit 0 when a task worker (on this machine, or --any) is alive, else 1."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--any", action="store_true", dest="anywhere", help="any worker, on any machine"
        )
        parser.add_argument(
            "--within", type=float, default=None, help="seconds (default: WORKER_ORPHAN_AFTER)"
        )

    def handle(self, *args, anywhere: bool, within: float | None, **options) -> None:
        window = orphan_after() if within is None else timedelta(seconds=within)
        alive = WorkerHeartbeat.objects.filter(beat_at__gte=timezone.now() - window)
        where = "anywhere" if anywhere else f"on {socket.gethostname()}"
        if not anywhere:
            alive = alive.filter(hostname=socket.gethostname()[:255])
        try:
            count = alive.count()
        except DATABASE_LOST as error:
            raise CommandError(f"unhealthy: database unreachable ({first_line(error)})") from None
        if not count:
            seconds = window.total_seconds()
            raise CommandError(f"unhealthy: no task worker {where} in the last {seconds:g} s")
        self.stdout.write(f"healthy: {count} task worker(s) {where}")
