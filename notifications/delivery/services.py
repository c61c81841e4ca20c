"""Delivering: each row claimed once, sent once, retried with backoff, then post as fallback.

The work itself happens in batches (notifications.delivery.batch, run by the tasks in
notifications.tasks): claim the waiting rows under lock and ask the gate again, write the
processing records and commit, and only then send; record SENT afterwards. This module holds
what a single row needs around that: failing it (and the fallback to post), retrying it with
backoff, recovering rows whose task died, the staff's decisions, and the status for the sender.

Whose fault (core.send_faults). When the mail server or the SMS gateway itself fails (no
connection, a timeout, a 4xx for everything, a 5xx from the gateway), that is no fault of the
recipient: the transport pauses for everyone (notifications.delivery.breaker) and the rows it
hit wait for it, RETRYING with last_error "paused_smtp" or "paused_sms", without spending a try
(deliveries_pause); they go as soon as the transport answers again.

Retries of a recipient's failure: for a passing one (a 4xx about the mailbox) the row is
RETRYING with a new task after NOTIFICATION_RETRY_BASE_SECONDS * 2^(attempts - 1); after
NOTIFICATION_MAX_ATTEMPTS or a lasting failure (a 5xx for the recipient, a number the SMS
gateway refuses) it is FAILED, and then post may take over (see _fallback). Rows of one batch
that fail alike wait in one task.

What "exactly once" means here. E-mail and SMS leave the database, so there is a moment between
the gateway's "accepted" and our commit of SENT. A worker killed in that moment leaves its
claimed rows SENDING (at most one batch), and we cannot know whether those messages arrived.
Such a row is never sent again by itself: staff see it in the admin and decide (send again,
with the same Message-ID so a receiving side can drop the copy; or mark it sent after checking
the mail server's log). So delivery is at most once automatically, no row is lost unseen, and
exactly once after that decision. A worker killed before it claimed a row leaves it QUEUED with
a task that will not run again (the task queue marks it running for good): deliveries_recover
enqueues those again. The same holds when the mail server goes away after it got the whole
message and before it answered (core.smtp.SmtpOutcomeUnknown): the row stays SENDING for staff,
and the transport pauses. One honest gap remains: an SMS gateway's timeout is retried (the
gateway may have sent it after all), so that text message can arrive twice.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.choices import BY_GATEWAY, OUTSIDE_PORTAL, Channel, DeliveryStatus
from notifications.delivery.breaker import paused_code
from notifications.delivery.enqueue import can_defer, enqueue_deliveries
from notifications.delivery.policy import batch_size, max_attempts, retry_delay, stalled_after
from notifications.delivery.sending import DeliveryError
from notifications.models import Delivery, Notification
from notifications.preferences.channels import reachable_channels
from notifications.routing import channel_decision

logger = logging.getLogger(__name__)

# Being sent now, or a worker died while sending: see the module's docstring.
SENDING = getattr(DeliveryStatus, "SENDING", "sending")
WAITING = (DeliveryStatus.QUEUED, DeliveryStatus.RETRYING)


# --- failures and retries of single rows --------------------------------------------------------


def _mark(delivery: Delivery, status: str, **fields) -> None:
    fields["status"] = status
    for name, value in fields.items():
        setattr(delivery, name, value)
    delivery.save(update_fields=list(fields))


def _fail(delivery: Delivery, reason: str) -> None:
    # The notification's lock makes two failing channels decide on the fallback in turn.
    Notification.objects.select_for_update().filter(pk=delivery.notification_id).first()
    _mark(delivery, DeliveryStatus.FAILED, last_error=str(reason)[:200], next_attempt_at=None)
    _fallback(delivery)


def deliveries_fail(refused: list[tuple[Delivery, str]]) -> None:
    """Fail each row for good with its reason (the gate's, or no address): post may follow.

    Row by row, in the caller's transaction: refusals are the exception, and each one decides
    on a letter under its notification's lock.
    """
    for delivery, reason in refused:
        _fail(delivery, reason)


def deliveries_retry(rows: list[tuple[Delivery, str]]) -> None:
    """Each row RETRYING with its error code; rows due at the same moment share one task."""
    now, due = timezone.now(), {}
    for delivery, code in rows:
        when = now + retry_delay(delivery.attempts)
        _mark(delivery, DeliveryStatus.RETRYING, last_error=code[:200], next_attempt_at=when)
        due.setdefault(when, []).append(delivery.pk)
    for when, ids in due.items():
        enqueue_deliveries(ids, run_after=when)


def deliveries_pause(rows: list[Delivery], *, transport: str, until: datetime, counted: bool):
    """Rows that wait for their transport: RETRYING until `until`, no try spent on them.

    `counted`: the rows were claimed and counted a try (SENDING) and were not taken; the try
    is given back. Rows a staff member decided about meanwhile are left as they are. A queue
    that cannot defer (the tests' immediate backend) gets no task: the rows then go when the
    transport answers again (breaker._wake) or at deliveries_recover.
    """
    if not rows:
        return
    ids = [row.pk for row in rows]
    changes = {
        "status": DeliveryStatus.RETRYING,
        "last_error": paused_code(transport),
        "next_attempt_at": until,
    }
    if counted:
        changes["attempts"] = F("attempts") - 1
        updated = Delivery.objects.filter(pk__in=ids, status=SENDING)
    else:
        updated = Delivery.objects.filter(pk__in=ids, status__in=WAITING)
    with transaction.atomic():
        updated.update(**changes)
        if can_defer():
            enqueue_deliveries(ids, run_after=until)
    for row in rows:
        row.status = DeliveryStatus.RETRYING


def deliveries_record_failures(failures: list[tuple[Delivery, DeliveryError]]) -> None:
    """After sending: retry each failed row, or fail it after its last try or a lasting error.

    Sets the status on the given objects too, for the task's result.
    """
    if not failures:
        return
    retry, seen = [], []
    with transaction.atomic():
        # In notification order, and each notification before its row (as in _fail): one order
        # of locks for every worker, so two of them cannot deadlock on it.
        for claimed, error in sorted(failures, key=lambda f: (f[0].notification_id, f[0].pk)):
            Notification.objects.select_for_update().filter(pk=claimed.notification_id).first()
            delivery = (
                Delivery.objects.select_for_update(of=("self",))
                .select_related("notification__organisation", "notification__doelbinding")
                .get(pk=claimed.pk)
            )
            seen.append((claimed, delivery))
            if delivery.status != SENDING:
                continue  # staff decided meanwhile
            logger.warning(
                "notification not delivered: %s",
                error.code,
                extra={"delivery": delivery.pk, "attempts": delivery.attempts},
            )
            if error.passing and delivery.attempts < max_attempts():
                retry.append((delivery, error.code))
            else:
                _fail(delivery, error.code)
        deliveries_retry(retry)
    for claimed, delivery in seen:
        claimed.status = delivery.status


def _fallback(failed: Delivery) -> Delivery | None:
    """Post, when nothing else reaches the person outside the portal any more.

    Only if the person has a postal address and the purpose covers it; at most one letter per
    notification (the database's unique constraint holds that too).
    """
    if failed.channel not in BY_GATEWAY:
        return None
    notification = failed.notification
    others = Delivery.objects.filter(notification=notification, channel__in=OUTSIDE_PORTAL)
    if (
        others.exclude(status=DeliveryStatus.FAILED).exists()
        or others.filter(channel=Channel.POST).exists()
    ):
        return None
    if Channel.POST not in reachable_channels(notification.recipient):
        return None
    decision = channel_decision(
        notification.organisation, notification.doelbinding, notification.recipient, Channel.POST
    )
    if not decision.allowed:
        return None
    return Delivery.objects.create(
        notification=notification,
        channel=Channel.POST,
        fallback_for=failed,
        next_attempt_at=timezone.now(),
    )


# --- recovery and the staff's decisions ---------------------------------------------------------


def deliveries_recover(*, older_than: timedelta | None = None) -> int:
    """Enqueue again each waiting delivery whose time passed long ago (default 15 minutes).

    That is a row whose task died with a killed worker before it claimed the row. Safe to run at
    any time and as often as wanted: a task for a row that is taken or done does nothing.
    SENDING rows are left alone: whether they went out is for staff to decide.
    """
    cutoff = timezone.now() - (stalled_after() if older_than is None else older_than)
    stalled = (
        Delivery.objects.filter(status__in=WAITING, next_attempt_at__lte=cutoff)
        .exclude(channel=Channel.POST)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count, last_pk = 0, 0
    while ids := list(stalled.filter(pk__gt=last_pk)[: batch_size()]):
        with transaction.atomic():
            enqueue_deliveries(ids)
        count, last_pk = count + len(ids), ids[-1]
    return count


def delivery_send_again(*, delivery: Delivery) -> bool:
    """Staff decided: a SENDING (uncertain) or FAILED e-mail or SMS goes out again.

    The gate is asked again when it runs; an e-mail keeps its Message-ID.
    """
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk,
            channel__in=BY_GATEWAY,
            status__in=[SENDING, DeliveryStatus.FAILED],
        ).update(status=DeliveryStatus.QUEUED, next_attempt_at=timezone.now(), attempts=0)
        if updated:
            enqueue_deliveries([delivery.pk])
    return bool(updated)


def delivery_mark_sent(*, delivery: Delivery) -> bool:
    """Staff found an uncertain (SENDING) message in the mail server's log: it arrived."""
    updated = Delivery.objects.filter(pk=delivery.pk, status=SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return bool(updated)


# --- what the sender sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryState:
    channel: str
    status: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    sent_at: datetime | None
    fallback_for: str  # the channel this delivery replaces, or ""


@dataclass(frozen=True)
class NotificationStatus:
    notification_id: int
    # Set when this was the same case as an earlier message: nothing of this one was sent.
    duplicate_of_id: int | None
    deliveries: list[DeliveryState]


def delivery_status_for(notification: Notification) -> NotificationStatus:
    """The state of each channel of one notification, in one query (for the admin and the API).

    Callers check that the notification belongs to the asking organisation; a duplicate shows
    no deliveries, not those of the other organisation's message.
    """
    rows = (
        Delivery.objects.filter(notification_id=notification.pk)
        .select_related("fallback_for")
        .order_by("pk")
    )
    return NotificationStatus(
        notification_id=notification.pk,
        duplicate_of_id=notification.duplicate_of_id,
        deliveries=[
            DeliveryState(
                channel=row.channel,
                status=row.status,
                attempts=row.attempts,
                last_error=row.last_error,
                next_attempt_at=row.next_attempt_at,
                sent_at=row.sent_at,
                fallback_for=row.fallback_for.channel if row.fallback_for else "",
            )
            for row in rows
        ],
    )
