"""Background work of the notifications app: delivering, a batch of Delivery rows per task.

A task only carries row ids. Running a task twice for the same rows is harmless: rows are
claimed under a lock with a status check (notifications.delivery.batch), so a second run finds
them taken, sent or failed and does nothing. That is what makes retries and recovery safe.
"""

from datetime import datetime

from django_tasks import task

from notifications.delivery import batch as delivery_batch
from notifications.delivery import services as delivery


@task()
def deliver_batch(*, delivery_ids: list[int]) -> dict[str, int]:
    return delivery_batch.deliveries_attempt(delivery_ids=delivery_ids)


@task()
def deliver(*, delivery_id: int) -> dict[str, int]:
    # Tasks of one row were queued before batches existed: they must still run after an update.
    return delivery_batch.deliveries_attempt(delivery_ids=[delivery_id])


def enqueue_deliveries(delivery_ids: list[int], *, run_after: datetime | None = None) -> None:
    """Enqueue in the caller's transaction: the tasks exist exactly when the rows do.

    One task per NOTIFICATION_DELIVERY_BATCH_SIZE rows. A backend that cannot defer (the
    immediate backend of the tests) runs a retry at once.
    """
    deferred = deliver_batch
    if run_after is not None and deliver_batch.get_backend().supports_defer:
        deferred = deliver_batch.using(run_after=run_after)
    size = delivery.batch_size()
    for start in range(0, len(delivery_ids), size):
        deferred.enqueue(delivery_ids=delivery_ids[start : start + size])
