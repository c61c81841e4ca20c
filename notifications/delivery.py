"""Delivering one Delivery row: claimed once, sent once, retried with backoff, then fallback.

How a row goes out (delivery_attempt, run by notifications.tasks.deliver in the worker):
1. Claim, in a short transaction that commits before anything leaves: lock the row
   (select_for_update(skip_locked)), check it is still queued or retrying, ask the gate again
   (consent may have been withdrawn since intake), write the processing record, make the
   message, and mark it SENDING with one more attempt. Another task for the same row finds it
   locked or no longer waiting and does nothing.
2. Send: e-mail over SMTP with a Message-ID made from the row's id, SMS through the gateway.
   The inbox copy is written inside the claim transaction itself, so it is exactly once.
3. Record: SENT; or, for a passing failure (SMTP timeout or 4xx, SMS timeout or 5xx), RETRYING
   with a new task after NOTIFICATION_RETRY_BASE_SECONDS * 2^(attempts - 1); or FAILED after
   NOTIFICATION_MAX_ATTEMPTS or a lasting failure, and then post as fallback (see _fallback).

What "exactly once" means here. E-mail and SMS leave the database, so there is a moment between
the gateway's "accepted" and our commit of SENT. A worker killed in that moment leaves the row
SENDING, and we cannot know whether the message arrived. Such a row is never sent again by
itself: staff see it in the admin and decide (send again, with the same Message-ID so a
receiving side can drop the copy; or mark it sent after checking the mail server's log). So
delivery is at most once automatically, no row is lost unseen, and exactly once after that
decision. A worker killed before it claimed a row leaves it QUEUED with a task that will not
run again (the task queue marks it running for good): deliveries_recover enqueues those again.
One more honest gap: a timeout while waiting for the server's answer to a message it may have
taken is retried like any passing failure, so that message can arrive twice, with the same
Message-ID (receivers that drop copies by Message-ID show it once). The same holds for an SMS
gateway's timeout.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from consent.ldv import LogUnavailable, Trace, processing_record_write, pseudonym_for
from consent.models import DoelbindingVersion
from notifications.choices import Channel, DeliveryStatus
from notifications.intake import OUTSIDE_PORTAL, channel_decision
from notifications.models import Delivery, Notification
from notifications.preferences import reachable_channels
from notifications.sending import DeliveryError, prepare, transmit
from profiles.choices import ContactKind
from profiles.models import ContactDetail

logger = logging.getLogger(__name__)

# Being sent now, or a worker died while sending: see the module's docstring.
SENDING = getattr(DeliveryStatus, "SENDING", "sending")
WAITING = (DeliveryStatus.QUEUED, DeliveryStatus.RETRYING)


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> timedelta:
    base = getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 60)
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def stalled_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFICATION_STALLED_AFTER_SECONDS", 15 * 60))


# --- the attempt -------------------------------------------------------------------------------


def delivery_attempt(*, delivery_id: int) -> str:
    """Deliver one row if it is still waiting; returns what happened, for the task's result."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "not_waiting"
    if delivery.status != SENDING:
        return delivery.status  # the inbox (sent in the claim), or refused by the gate
    try:
        transmit(delivery, delivery.address, delivery.outgoing)
    except DeliveryError as error:
        return _record_failure(delivery, error)
    except Exception as error:
        # Our own fault, most likely before anything left: tried again like a passing failure,
        # and raised so the task shows it.
        _record_failure(delivery, DeliveryError(f"error_{type(error).__name__}", passing=True))
        raise
    Delivery.objects.filter(pk=delivery.pk, status=SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    logger.info("notification delivered", extra={"delivery": delivery.pk})
    return str(DeliveryStatus.SENT)


def _claim(delivery_id: int) -> Delivery | None:
    with transaction.atomic():
        confirmed = ContactDetail.objects.filter(
            profile=OuterRef("notification__recipient"), verified_at__isnull=False
        )
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "notification__organisation",
                "notification__doelbinding",
                "notification__recipient__identity",
            )
            .prefetch_related(
                Prefetch(
                    "notification__doelbinding__versions",
                    queryset=DoelbindingVersion.objects.order_by("number"),
                )
            )
            .annotate(
                email=Subquery(confirmed.filter(kind=ContactKind.EMAIL).values("value")[:1]),
                phone=Subquery(confirmed.filter(kind=ContactKind.PHONE).values("value")[:1]),
            )
            .filter(pk=delivery_id, status__in=WAITING)
            .exclude(channel=Channel.POST)
            .first()
        )
        if delivery is None:
            return None
        notification = delivery.notification
        started = timezone.now()
        decision = channel_decision(
            notification.organisation,
            notification.doelbinding,
            notification.recipient,
            delivery.channel,
        )
        if not decision.allowed:
            _fail(delivery, decision.reason)
            return delivery
        if delivery.channel == Channel.INBOX:
            _to_inbox(notification)
            _mark(delivery, DeliveryStatus.SENT, sent_at=started, attempts=delivery.attempts + 1)
            return delivery
        delivery.address = delivery.email if delivery.channel == Channel.EMAIL else delivery.phone
        if not delivery.address:
            _fail(delivery, "no_confirmed_address")
            return delivery
        try:
            processing_record_write(
                trace=Trace.from_header(""),
                organisation=notification.organisation,
                doelbinding=notification.doelbinding,
                api_client=None,
                subject_type=notification.recipient.identity.type,
                pseudonym=pseudonym_for(notification.recipient.identity),
                decision=decision,
                started_at=started,
            )
        except LogUnavailable:
            # Unlogged processing does not happen: try again later, as after a failure.
            _schedule_retry(delivery, "log_unavailable")
            return delivery
        delivery.outgoing = prepare(delivery, delivery.address)
        _mark(delivery, SENDING, attempts=delivery.attempts + 1, last_error="")
        return delivery


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


def _to_inbox(notification: Notification) -> None:
    # inbox_services is the inbox's own write service; one message per notification (unique).
    from notifications.inbox_services import inbox_message_create

    inbox_message_create(
        profile=notification.recipient,
        organisation=notification.organisation,
        notification=notification,
        kind=notification.kind,
        subject=notification.subject,
        body=notification.body,
        link=notification.link,
    )


def _schedule_retry(delivery: Delivery, code: str) -> None:
    from notifications.tasks import enqueue_delivery

    when = timezone.now() + retry_delay(delivery.attempts)
    _mark(delivery, DeliveryStatus.RETRYING, last_error=code, next_attempt_at=when)
    enqueue_delivery(delivery.pk, run_after=when)


def _record_failure(claimed: Delivery, error: DeliveryError) -> str:
    with transaction.atomic():
        # Notification first, as in _fail: one order of locks, no deadlock.
        Notification.objects.select_for_update().filter(pk=claimed.notification_id).first()
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification__organisation", "notification__doelbinding")
            .get(pk=claimed.pk)
        )
        if delivery.status != SENDING:
            return str(delivery.status)  # staff decided meanwhile
        logger.warning(
            "notification not delivered: %s",
            error.code,
            extra={"delivery": delivery.pk, "attempts": delivery.attempts},
        )
        if error.passing and delivery.attempts < max_attempts():
            _schedule_retry(delivery, error.code)
        else:
            _fail(delivery, error.code)
        return str(delivery.status)


def _fallback(failed: Delivery) -> Delivery | None:
    """Post, when nothing else reaches the person outside the portal any more.

    Only if the person has a postal address and the purpose covers it; at most one letter per
    notification (the database's unique constraint holds that too).
    """
    if failed.channel not in (Channel.EMAIL, Channel.SMS):
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
    from notifications.tasks import enqueue_delivery

    cutoff = timezone.now() - (stalled_after() if older_than is None else older_than)
    stalled = (
        Delivery.objects.filter(status__in=WAITING, next_attempt_at__lte=cutoff)
        .exclude(channel=Channel.POST)
        .values_list("pk", flat=True)
    )
    count = 0
    for delivery_id in stalled.iterator(chunk_size=1000):
        with transaction.atomic():
            enqueue_delivery(delivery_id)
        count += 1
    return count


def delivery_send_again(*, delivery: Delivery) -> bool:
    """Staff decided: a SENDING (uncertain) or FAILED e-mail or SMS goes out again.

    The gate is asked again when it runs; an e-mail keeps its Message-ID.
    """
    from notifications.tasks import enqueue_delivery

    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk,
            channel__in=[Channel.EMAIL, Channel.SMS],
            status__in=[SENDING, DeliveryStatus.FAILED],
        ).update(status=DeliveryStatus.QUEUED, next_attempt_at=timezone.now(), attempts=0)
        if updated:
            enqueue_delivery(delivery.pk)
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
