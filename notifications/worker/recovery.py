"""Tasks whose worker stopped: back on the queue in seconds, or failed if a rerun could send twice.

A worker marks a task RUNNING with its id (DBTaskResult.worker_ids, the last one is the worker
that runs it now). When that worker's heartbeat is older than WORKER_ORPHAN_AFTER seconds (it
was killed, or its machine went away), the task is orphaned, and another worker's heartbeat
thread puts it back:

- a task in RERUNNABLE_TASKS goes back to READY and the next worker runs it again. The delivery
  tasks are safe to run twice: each row is claimed under lock with a status check
  (notifications.delivery.batch). Rows the dead worker had claimed stay SENDING ("uncertain":
  whether they went out cannot be known here; staff decide), the rows it had not claimed yet
  are sent now, none twice.
- any other task is FAILED with WorkerLost, so it shows in the admin (Tasks), instead of being
  run again: a verification code or a notice could otherwise arrive twice.

The same rules serve a worker that lost its database while it ran a task (tasks_requeue_own): a
task it had claimed but not started yet is always put back.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

RERUNNABLE_TASKS = frozenset({"notifications.tasks.deliver_batch", "notifications.tasks.deliver"})
# A task claimed this often (by whichever worker) is not put back again: something in it, not
# the database or the worker, is at fault (it fails as WorkerLost, or with its own error).
MAX_CLAIMS = 10
# What a task failed with when its database connection broke (as django_tasks_db records it).
LOST_DATABASE_ERRORS = frozenset(
    {"django.db.utils.OperationalError", "django.db.utils.InterfaceError"}
)
# Heartbeat rows of workers gone this long are removed; a day keeps them in sight for staff.
FORGET_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """The worker that ran this task stopped before the task ended; it was not run again."""


def orphan_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "WORKER_ORPHAN_AFTER", 30.0)))


def _owner(result: DBTaskResult) -> str:
    return result.worker_ids[-1] if result.worker_ids else ""


def _may_run_again(result: DBTaskResult) -> bool:
    return result.task_path in RERUNNABLE_TASKS and len(result.worker_ids) < MAX_CLAIMS


def _put_back(result: DBTaskResult, *, started: bool, why: str) -> bool:
    """READY again, or FAILED; only if it is still the same run (status and start unchanged)."""
    same_run = DBTaskResult.objects.filter(
        pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
    )
    if not started or _may_run_again(result):
        done = same_run.update(status=TaskResultStatus.READY)
        if done:
            logger.warning("task put back on the queue: %s", why, extra={"task": str(result.pk)})
        return bool(done)
    lost = WorkerLost(f"{why}; not run again, because it could send a message twice")
    done = same_run.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        return_value=None,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{WorkerLost.__qualname__}: {lost}\n",
    )
    if done:
        logger.error("task failed: %s", why, extra={"task": str(result.pk)})
    return bool(done)


def tasks_recover_orphaned() -> int:
    """Put back (or fail) every running task whose worker gave no sign of life for too long.

    Safe in every worker at once: each change is conditional on the run it saw. Also forgets
    heartbeats of workers long gone. Returns how many tasks it changed.
    """
    now = timezone.now()
    cutoff = now - orphan_after()
    running = list(
        DBTaskResult.objects.running().only("pk", "task_path", "worker_ids", "started_at")
    )
    owners = {_owner(result) for result in running}
    alive = set(
        WorkerHeartbeat.objects.filter(worker_id__in=owners, beat_at__gte=cutoff).values_list(
            "worker_id", flat=True
        )
    )
    changed = 0
    for result in running:
        owner = _owner(result)
        if owner in alive or (result.started_at and result.started_at > cutoff):
            continue  # its worker lives, or it started a moment ago
        changed += _put_back(result, started=True, why=f"worker {owner or '?'} stopped")
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
    return changed


def tasks_requeue_own(*, worker_id: str, in_flight) -> int:
    """After this worker lost its database: its tasks still marked running go back.

    `in_flight` is the task it was running (None between tasks); any other task marked running
    with its id was claimed in the moment the connection broke and never started.
    """
    changed = 0
    for result in DBTaskResult.objects.running().only(
        "pk", "task_path", "worker_ids", "started_at"
    ):
        if _owner(result) == worker_id:
            started = str(result.pk) == str(in_flight)
            why = f"worker {worker_id} lost its database connection"
            changed += _put_back(result, started=started, why=why)
    return changed


def task_retry_after_lost_database(*, result: DBTaskResult) -> bool:
    """A task that failed because its database connection broke: on the queue again, shortly.

    The library records such a task FAILED when the connection broke inside the task (the
    rollback drops the connection, and a fresh one records the failure). For a task that may run
    again that is wrong: its rows went back to waiting with the rollback, and no task would send
    them. It runs again after half a second, doubling with each claim.
    """
    if result.exception_class_path not in LOST_DATABASE_ERRORS or not _may_run_again(result):
        return False
    wait = min(0.5 * 2 ** max(len(result.worker_ids) - 1, 0), 30.0)
    done = DBTaskResult.objects.filter(
        pk=result.pk, status=TaskResultStatus.FAILED, finished_at=result.finished_at
    ).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + timedelta(seconds=wait),
        finished_at=None,
        exception_class_path="",
        traceback="",
    )
    if done:
        logger.warning(
            "task put back on the queue: its database connection broke",
            extra={"task": str(result.pk)},
        )
    return bool(done)
