"""Steps 2 and 3 of a delivery batch (notifications.delivery.batch): send the claimed rows over
one connection, message by message, and record the sent ones SENT.

A row the recipient's side refused comes back in Sent.failures, to be retried or failed alone.
A transport that fails stops its rows: the one it hit and the rest wait untried (no try spent),
or, when the message was handed over completely before the transport went, stay SENDING
("uncertain") for staff. Sent rows are recorded at least every FLUSH_SECONDS, and a lost
database is waited for before they are: a live worker leaves nothing uncertain.
"""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from core.db_wait import when_database_back
from notifications.choices import TRANSPORT_OF, DeliveryStatus
from notifications.delivery.breaker import PROBE, Permit, transport_resume
from notifications.delivery.sending import DeliveryError, transmit
from notifications.delivery.services import SENDING
from notifications.models import Delivery

logger = logging.getLogger(__name__)

# Sent rows are recorded at least this often while a batch is still going out: a slow channel
# (an SMS gateway answers in tenths of a second) then leaves few rows uncertain after a kill.
FLUSH_SECONDS = 1.0


@dataclass
class Sent:
    """How sending a batch went, beyond the rows recorded SENT."""

    # Refused on the recipient's side, or our own error: each row retried or failed alone.
    failures: list[tuple[Delivery, DeliveryError]] = field(default_factory=list)
    unexpected: Exception | None = None
    # Per transport that failed: the error, and its rows not taken (to wait, no try spent).
    stopped: dict[str, DeliveryError] = field(default_factory=dict)
    untried: dict[str, list[Delivery]] = field(default_factory=lambda: defaultdict(list))
    # Handed over completely, and the transport went before it answered.
    uncertain: list[Delivery] = field(default_factory=list)
    # The transports whose probe was answered: sending on them resumed.
    resumed: set[str] = field(default_factory=set)


def batch_send(outgoing: list[Delivery], permits: dict[str, Permit]) -> Sent:
    """Send each claimed row; records the sent ones, returns the rest."""
    result, sent = Sent(), []
    probing = {transport for transport, permit in permits.items() if permit.state == PROBE}
    flushed_at = time.monotonic()
    for delivery in outgoing:
        transport = TRANSPORT_OF[delivery.channel]
        if transport in result.stopped:
            result.untried[transport].append(delivery)  # not tried now: it waits with the rest
            continue
        if delivery.notification.recipient.is_test:  # profiles.test_persons: to the sink
            logger.info("test message to sink", extra={"delivery": delivery.pk})
            sent.append(delivery)
            continue
        try:
            transmit(delivery, delivery.address, delivery.outgoing)
        except DeliveryError as error:
            if error.transport:
                result.stopped[transport] = error
                waits = result.uncertain if error.uncertain else result.untried[transport]
                waits.append(delivery)
                continue
            result.failures.append((delivery, error))
        except Exception as error:
            # Our own fault, most likely before anything left: tried again like a passing
            # failure, and raised at the end so the task shows it.
            logger.exception("notification not sent", extra={"delivery": delivery.pk})
            result.unexpected = result.unexpected or error
            ours = DeliveryError(f"error_{type(error).__name__}", passing=True)
            result.failures.append((delivery, ours))
            continue
        else:
            sent.append(delivery)
            if time.monotonic() - flushed_at >= FLUSH_SECONDS:
                _record_sent(sent)
                sent, flushed_at = [], time.monotonic()
        if transport in probing:
            # The transport answered (took it, or refused this recipient): all may go again.
            probing.discard(transport)
            result.resumed.add(transport)
            transport_resume(transport=transport)
    _record_sent(sent)
    return result


def _record_sent(rows: list[Delivery]) -> None:
    """SENT for rows that went out. Waits for a lost database: a live worker knows they went out,
    so it leaves them SENDING ("uncertain") only when it dies before this is written."""
    if rows:
        when_database_back(_write_sent, rows)


def _write_sent(rows: list[Delivery]) -> None:
    now = timezone.now()
    # Only rows still SENDING: a staff decision taken meanwhile stands.
    Delivery.objects.filter(pk__in=[row.pk for row in rows], status=SENDING).update(
        status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None, last_error=""
    )
    for row in rows:
        row.status, row.sent_at = DeliveryStatus.SENT, now
    logger.info("notifications delivered", extra={"deliveries": len(rows)})
