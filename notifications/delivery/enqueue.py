"""Putting deliveries on the task queue: what intake, retries, recovery and staff share."""

from datetime import datetime

from notifications.delivery.policy import batch_size
from notifications.tasks import deliver_batch


def enqueue_deliveries(delivery_ids: list[int], *, run_after: datetime | None = None) -> None:
    """Enqueue in the caller's transaction: the tasks exist exactly when the rows do.

    One task per NOTIFICATION_DELIVERY_BATCH_SIZE rows. A backend that cannot defer (the
    immediate backend of the tests) runs a retry at once.
    """
    deferred = deliver_batch
    if run_after is not None and deliver_batch.get_backend().supports_defer:
        deferred = deliver_batch.using(run_after=run_after)
    size = batch_size()
    for start in range(0, len(delivery_ids), size):
        deferred.enqueue(delivery_ids=delivery_ids[start : start + size])


def can_defer() -> bool:
    """Whether the task queue can run a task later (the database's can; the tests' immediate
    backend cannot and runs it at once)."""
    return deliver_batch.get_backend().supports_defer
