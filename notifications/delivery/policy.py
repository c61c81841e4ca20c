"""How delivery behaves, from the settings: tries, backoff, recovery, batch size, pauses."""

from datetime import timedelta

from django.conf import settings


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> timedelta:
    base = getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 60)
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def stalled_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFICATION_STALLED_AFTER_SECONDS", 15 * 60))


def batch_size() -> int:
    """Deliveries per task: at most this many are left uncertain by a worker killed mid-task."""
    return getattr(settings, "NOTIFICATION_DELIVERY_BATCH_SIZE", 200)


def transport_pause(failures: int) -> timedelta:
    """How long a transport that failed `failures` times in a row waits before the next probe:
    DELIVERY_PAUSE_BASE_SECONDS, doubled each time, at most DELIVERY_PAUSE_MAX_SECONDS."""
    base = float(getattr(settings, "DELIVERY_PAUSE_BASE_SECONDS", 5))
    longest = float(getattr(settings, "DELIVERY_PAUSE_MAX_SECONDS", 300))
    return timedelta(seconds=min(base * 2 ** max(failures - 1, 0), longest))
