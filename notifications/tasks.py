"""Background work of the notifications app: delivering, a batch of Delivery rows per task.

A task only carries row ids. Running a task twice for the same rows is harmless: rows are
claimed under a lock with a status check (notifications.delivery.batch), so a second run finds
them taken, sent or failed and does nothing. That is what makes retries and recovery safe.
"""

from django_tasks import task


@task()
def deliver_batch(*, delivery_ids: list[int]) -> dict[str, int]:
    # The one import inside a function the conventions allow: a task importing the service it
    # runs. The services enqueue these tasks (notifications.delivery.enqueue), so a module-level
    # import here would close a cycle (.importlinter names this one edge).
    from notifications.delivery.batch import deliveries_attempt

    return deliveries_attempt(delivery_ids=delivery_ids)


@task()
def deliver(*, delivery_id: int) -> dict[str, int]:
    # Tasks of one row were queued before batches existed: they must still run after an update.
    from notifications.delivery.batch import deliveries_attempt

    return deliveries_attempt(delivery_ids=[delivery_id])


@task()
def process_batch(*, batch_id: int) -> str:
    """A staff upload's message to many people (notifications.intake.batches.batch_process)."""
    from notifications.intake.batches import batch_process

    return batch_process(batch_id=batch_id)


@task()
def preview_batch(*, batch_id: int) -> None:
    """The counts of a big upload before staff confirm it (notifications.intake.preview)."""
    from notifications.intake.preview import batch_preview_store

    batch_preview_store(batch_id=batch_id)
