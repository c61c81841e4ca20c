"""A circuit breaker per transport (the mail server, the SMS gateway), shared by every worker.

When the transport fails (core.send_faults: no connection, a timeout, a 4xx for everything, a
5xx from the gateway), sending on it pauses for everyone, and the messages it hit cost no try:

    closed     sending as usual. A transport failure opens it: paused_since and retry_at set,
               a warning in the log, a notice in the admin
               (notifications.templatetags.sending_pauses).
    open       no worker sends on it until retry_at; a batch that finds it open leaves its
               messages of that transport waiting until then, untried and uncounted.
    half-open  the first worker after retry_at takes the probe: it moves retry_at one (doubled)
               pause on under the row's lock, so no other worker probes meanwhile, and sends.
               The relay answers (taken, or a recipient refused): closed again, a log line, and
               the waiting messages are enqueued at once. It fails again: the pause doubles,
               up to DELIVERY_PAUSE_MAX_SECONDS. A prober that dies leaves retry_at set to the
               next pause: then another worker probes.

The state is a database row (notifications.models.TransportPause), locked with
select_for_update where it changes. Why the database and not the cache: every worker already
needs the database to send anything, so this adds no new way to fail; the cache (Redis) may be
down while the database is up, and a breaker that forgets its state then would let every
worker hammer a dead relay or stall; one row read per batch costs one query on a path that
makes ten; and the admin reads the same row to tell staff.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from notifications.choices import TRANSPORT_OF, DeliveryStatus
from notifications.delivery.enqueue import enqueue_deliveries
from notifications.delivery.policy import batch_size, transport_pause
from notifications.models import Delivery, TransportPause

logger = logging.getLogger(__name__)

CLOSED, PROBE, PAUSED = "closed", "probe", "paused"


def paused_code(transport: str) -> str:
    """The last_error of a delivery that waits for its transport (shown in the admin)."""
    return f"paused_{transport}"


@dataclass(frozen=True)
class Permit:
    """What a batch may do on one transport: send (closed), send one probe first, or wait."""

    state: str
    retry_at: datetime | None = None


def transport_permits(transports: set[str]) -> dict[str, Permit]:
    """The permit of each transport, for one batch: one query while all are closed."""
    if not transports:
        return {}
    now = timezone.now()
    paused = {
        row.transport: row
        for row in TransportPause.objects.filter(
            transport__in=transports, paused_since__isnull=False
        )
    }
    permits = {}
    for transport in transports:
        row = paused.get(transport)
        if row is None:
            permits[transport] = Permit(CLOSED)
        elif row.retry_at > now:
            permits[transport] = Permit(PAUSED, row.retry_at)
        else:
            permits[transport] = _take_probe(transport)
    return permits


def _take_probe(transport: str) -> Permit:
    with transaction.atomic():
        row = TransportPause.objects.select_for_update().get(transport=transport)
        now = timezone.now()
        if row.paused_since is None:
            return Permit(CLOSED)
        if row.retry_at > now:
            return Permit(PAUSED, row.retry_at)  # another worker took the probe first
        row.retry_at = now + transport_pause(row.failures + 1)
        row.save(update_fields=["retry_at"])
    logger.info(
        "sending paused on %s: trying one message", transport, extra={"transport": transport}
    )
    return Permit(PROBE, row.retry_at)


def transport_trip(*, transport: str, reason: str, probing: bool) -> datetime:
    """The transport failed: pause it (or, after a failed probe, pause it longer).

    Returns until when its messages wait. A worker whose batch started before another one
    paused the transport finds it paused and changes nothing: failures of one outage seen by
    many workers at once count once.
    """
    with transaction.atomic():
        row, _ = TransportPause.objects.select_for_update().get_or_create(transport=transport)
        now = timezone.now()
        if row.paused_since is not None and not probing:
            return row.retry_at
        row.failures = 1 if row.paused_since is None else row.failures + 1
        row.paused_since = row.paused_since or now
        row.retry_at = now + transport_pause(row.failures)
        row.reason = reason[:200]
        row.save()
    wait = (row.retry_at - now).total_seconds()
    extra = {"transport": transport, "reason": reason, "failures": row.failures, "wait": wait}
    if row.failures == 1:
        logger.warning(
            "sending paused on %s: the transport does not answer (%s); next try in %.1f s",
            transport,
            reason,
            wait,
            extra=extra,
        )
    else:
        logger.warning(
            "sending still paused on %s (%s); next try in %.1f s",
            transport,
            reason,
            wait,
            extra=extra,
        )
    return row.retry_at


def transport_resume(*, transport: str) -> None:
    """The transport answered again: close the breaker and enqueue what waited for it."""
    with transaction.atomic():
        row = TransportPause.objects.select_for_update().filter(transport=transport).first()
        if row is None or row.paused_since is None:
            return
        since = row.paused_since
        row.paused_since = row.retry_at = None
        row.failures = 0
        row.save(update_fields=["paused_since", "retry_at", "failures"])
    seconds = (timezone.now() - since).total_seconds()
    logger.warning(
        "sending resumed on %s after a pause of %.0f s",
        transport,
        seconds,
        extra={"transport": transport, "paused_seconds": seconds},
    )
    _wake(transport)


def _wake(transport: str) -> int:
    """Enqueue the deliveries that wait for this transport now (their own tasks, due later,
    then find them taken: a task for a row that is no longer waiting does nothing)."""
    channels = [channel for channel, of in TRANSPORT_OF.items() if of == transport]
    waiting = (
        Delivery.objects.filter(
            channel__in=channels,
            status=DeliveryStatus.RETRYING,
            last_error=paused_code(transport),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count, last_pk = 0, 0
    while ids := list(waiting.filter(pk__gt=last_pk)[: batch_size()]):
        with transaction.atomic():
            enqueue_deliveries(ids)
        count, last_pk = count + len(ids), ids[-1]
    return count


def transport_pauses_now() -> list[TransportPause]:
    """The transports paused at this moment, for the notice in the admin (one query)."""
    return list(TransportPause.objects.filter(paused_since__isnull=False).order_by("transport"))
