"""Background work of the notifications app: delivering, one task per Delivery row.

A task only carries the row's id. Running a task twice for one row is harmless: the row is
claimed under a lock with a status check (notifications.delivery), so a second run finds it
taken, sent or failed and does nothing. That is what makes retries and recovery safe.
"""

from datetime import datetime

from django_tasks import task

from notifications import delivery


@task()
def deliver(*, delivery_id: int) -> str:
    return delivery.delivery_attempt(delivery_id=delivery_id)


def enqueue_delivery(delivery_id: int, *, run_after: datetime | None = None) -> None:
    """Enqueue in the caller's transaction: the task exists exactly when the row does.

    A backend that cannot defer (the immediate backend of the tests) runs the retry at once.
    """
    deferred = deliver
    if run_after is not None and deliver.get_backend().supports_defer:
        deferred = deliver.using(run_after=run_after)
    deferred.enqueue(delivery_id=delivery_id)
