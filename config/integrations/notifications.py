"""Notification intake and delivery: deduplication window and retries."""

from config.env import env

__all__ = [
    "DELIVERY_PAUSE_BASE_SECONDS",
    "DELIVERY_PAUSE_MAX_SECONDS",
    "NOTIFICATION_BULK_MAX_RECIPIENTS",
    "NOTIFICATION_BULK_UPLOAD_MAX_ROWS",
    "NOTIFICATION_DEDUP_WINDOW",
    "NOTIFICATION_DELIVERY_BATCH_SIZE",
    "NOTIFICATION_MAX_ATTEMPTS",
    "NOTIFICATION_RETRY_BASE_SECONDS",
    "NOTIFICATION_STALLED_AFTER_SECONDS",
]

# The same case and kind for the same person within this many seconds is delivered once.
NOTIFICATION_DEDUP_WINDOW = env.int("NOTIFICATION_DEDUP_WINDOW", default=24 * 3600)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
# A queued delivery whose task has not run after this long is enqueued again.
NOTIFICATION_STALLED_AFTER_SECONDS = env.int("NOTIFICATION_STALLED_AFTER_SECONDS", default=900)
# Deliveries per background task: a worker killed mid-task leaves at most this many uncertain.
NOTIFICATION_DELIVERY_BATCH_SIZE = env.int("NOTIFICATION_DELIVERY_BATCH_SIZE", default=200)
# When the mail server or the SMS gateway does not answer, sending on it pauses for everyone:
# this long first, doubled at each failed try, at most the maximum (seconds; fractions allowed).
DELIVERY_PAUSE_BASE_SECONDS = env.float("DELIVERY_PAUSE_BASE_SECONDS", default=5.0)
DELIVERY_PAUSE_MAX_SECONDS = env.float("DELIVERY_PAUSE_MAX_SECONDS", default=300.0)
# People per request to POST /bulkmeldingen (the API documents it); bigger lists go in several
# requests. Each request is one transaction, so this bounds its time and the log's one insert.
NOTIFICATION_BULK_MAX_RECIPIENTS = env.int("NOTIFICATION_BULK_MAX_RECIPIENTS", default=1000)
# Numbers per CSV file staff upload in the admin (one message to many people).
NOTIFICATION_BULK_UPLOAD_MAX_ROWS = env.int("NOTIFICATION_BULK_UPLOAD_MAX_ROWS", default=100_000)
