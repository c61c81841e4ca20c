"""Delivering a batch of Delivery rows in one task: one claim, one SMTP connection, one record.

Why batches: one notification to 100,000 people is 100,000 inbox copies and 100,000 e-mails.
With one task and two commits per row, the queue and the commits cost ten times the sending
itself. Here a task carries up to NOTIFICATION_DELIVERY_BATCH_SIZE rows (of any channel, mostly
the inbox copy and the e-mail of the same people) and spends a fixed number of queries on them:

1. Claim, in one transaction that commits before anything leaves: lock the rows that are still
   waiting (select_for_update(skip_locked): rows another worker holds are left to it), read the
   confirmed addresses and the active consents of all recipients at once, and ask the gate
   (may_process) again for each row, as consent may have been withdrawn since intake. Then, for
   the rows it allows: the inbox copies in one insert and SENT; the messages made (an error of
   ours there leaves that row RETRYING without counting an attempt, never uncertain, and fails
   the task so it shows); a processing record per e-mail and SMS in one insert (consent.ldv, one
   trace per purpose in the batch); and those rows SENDING with one more attempt. Refused rows
   fail with the gate's reason, as before (and post may take over).
2. Send over one SMTP connection, message by message, so each failure belongs to one row.
3. Record: the sent rows SENT in one update, at the end and, for a slow channel such as SMS,
   every FLUSH_SECONDS at least. A row the recipient's side refused is retried or failed by
   itself (notifications.delivery.services.deliveries_record_failures).
Steps 2 and 3 are notifications.delivery.batch_send.

When the transport itself fails (the mail server or the SMS gateway: no connection, a timeout,
a 4xx for everything), it pauses for every worker (notifications.delivery.breaker): the row it
hit and the rest of the batch on that transport wait, untried and with no try spent, and the
other channels of the batch go on. A batch that finds its transport paused at the claim leaves
those rows waiting at once (step 1, before the gate: nothing is logged for them); after the
pause one batch probes with its first message, and when that one is answered all go again.

What a worker killed mid-batch leaves: the rows it claimed and had not recorded yet stay
SENDING. Some of them went out, some did not, and we cannot tell which from here; they are
never resent by themselves, and staff decide per row with the Message-ID in the mail server's
log (see notifications.delivery.services). So at most one batch is uncertain per killed worker,
none is lost and none is sent twice. The rows of the batch it had not claimed yet, and batches it
had not started, stay waiting and are enqueued again by deliveries_recover. A smaller batch size
means fewer uncertain rows after a kill and a lower rate; see bench/README.md for the figures.

The gate is asked at the claim, up to one batch's sending time (for e-mail ~0.1 s) before the
last message of the batch leaves; withdrawing consent then does not stop a claimed message.
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from consent.choices import LegalBasis, Reason
from consent.ldv import LogUnavailable, Trace, processing_records_write, pseudonym_for
from consent.models import Consent, Doelbinding, DoelbindingVersion, Organisation
from core.db_wait import when_database_back
from notifications.choices import TRANSPORT_OF, Channel, DeliveryStatus
from notifications.delivery.batch_send import batch_send
from notifications.delivery.breaker import (
    PAUSED,
    PROBE,
    Permit,
    transport_permits,
    transport_trip,
)
from notifications.delivery.compose import EmailComposer
from notifications.delivery.sending import prepare
from notifications.delivery.services import (
    SENDING,
    WAITING,
    deliveries_fail,
    deliveries_pause,
    deliveries_record_failures,
    deliveries_retry,
)
from notifications.inbox_services import inbox_messages_create
from notifications.models import Delivery, Notification
from notifications.preferences.channels import CONTACT_KIND
from notifications.routing import channel_decision
from profiles.models import ContactDetail

logger = logging.getLogger(__name__)

NOT_WAITING = "not_waiting"
PAUSED_OUTCOME = "paused"


@dataclass
class Claimed:
    """What the claim committed: rows to send now, and how each of the others ended."""

    outgoing: list[Delivery] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    permits: dict[str, Permit] = field(default_factory=dict)
    # An error of ours (not the gateway's) while making a message: raised after recording.
    unexpected: Exception | None = None


def deliveries_attempt(*, delivery_ids: list[int]) -> dict[str, int]:
    """Deliver the rows that are still waiting; returns how many ended how (the task's result)."""
    claimed = _claim(delivery_ids)
    sent = batch_send(claimed.outgoing, claimed.permits)
    # A lost connection is waited for: what failed and what waits must not stay "uncertain".
    when_database_back(deliveries_record_failures, sent.failures)
    when_database_back(_pause_stopped, sent, claimed.permits)
    for delivery in sent.uncertain:
        # Handed over, no answer: maybe taken. Left SENDING for staff, never resent by itself.
        logger.warning("notification maybe delivered: no answer", extra={"delivery": delivery.pk})
    outcomes = claimed.outcomes
    for delivery in claimed.outgoing:
        outcomes[str(delivery.status)] += 1
    unexpected = sent.unexpected
    if claimed.unexpected or unexpected:
        # Everything is recorded; raising makes the task show our own fault.
        raise claimed.unexpected or unexpected
    return {outcome: count for outcome, count in outcomes.items() if count}


def _pause_stopped(sent, permits: dict[str, Permit]) -> None:
    for transport, error in sent.stopped.items():
        probing = permits[transport].state == PROBE and transport not in sent.resumed
        until = transport_trip(transport=transport, reason=error.code, probing=probing)
        deliveries_pause(sent.untried[transport], transport=transport, until=until, counted=True)


# --- 1. the claim ---------------------------------------------------------------------------


def _claim(delivery_ids: list[int]) -> Claimed:
    claimed = Claimed()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=delivery_ids, status__in=WAITING)
            .exclude(channel=Channel.POST)
            .order_by("pk")
        )
        claimed.outcomes[NOT_WAITING] = len(set(delivery_ids)) - len(rows)
        rows = _without_paused(rows, claimed)
        if not rows:
            return claimed
        _with_notifications(rows)
        addresses = _confirmed_addresses(rows)
        consents = _active_consents(rows)
        started, composer = timezone.now(), EmailComposer()
        inbox, ready, refused, retry = [], [], [], []
        for row in rows:
            notification = row.notification
            decision = channel_decision(
                notification.organisation,
                notification.doelbinding,
                notification.recipient,
                row.channel,
                consent=consents.get((notification.recipient_id, notification.doelbinding_id)),
            )
            if not decision.allowed:
                refused.append((row, decision.reason))
                continue
            if row.channel == Channel.INBOX:
                inbox.append(row)
                continue
            row.address = addresses.get((notification.recipient_id, CONTACT_KIND[row.channel]))
            if not row.address:
                refused.append((row, Reason.NO_CONFIRMED_ADDRESS))
                continue
            try:
                if row.channel == Channel.EMAIL:
                    row.outgoing = composer.compose(row, row.address)
                else:
                    row.outgoing = prepare(row, row.address)
            except Exception as error:
                logger.exception("notification message not made", extra={"delivery": row.pk})
                claimed.unexpected = claimed.unexpected or error
                retry.append((row, f"error_{type(error).__name__}"))
                continue
            ready.append((row, decision))
        _inbox_sent(inbox, started)
        ready = _logged(ready, started, retry)
        _mark_sending(ready)
        deliveries_fail(refused)
        deliveries_retry(retry)
    claimed.outgoing = ready
    for row in (*inbox, *(r for r, _ in refused), *(r for r, _ in retry)):
        claimed.outcomes[str(row.status)] += 1
    return claimed


def _without_paused(rows: list[Delivery], claimed: Claimed) -> list[Delivery]:
    """The rows whose transport may send (or probe) now; the others wait for it, untried."""
    claimed.permits = transport_permits(
        {TRANSPORT_OF[r.channel] for r in rows if r.channel in TRANSPORT_OF}
    )
    waiting = defaultdict(list)
    for row in rows:
        permit = claimed.permits.get(TRANSPORT_OF.get(row.channel))
        if permit is not None and permit.state == PAUSED:
            waiting[(TRANSPORT_OF[row.channel], permit.retry_at)].append(row)
    left_waiting = set()
    for (transport, until), paused in waiting.items():
        deliveries_pause(paused, transport=transport, until=until, counted=False)
        claimed.outcomes[PAUSED_OUTCOME] += len(paused)
        left_waiting.update(row.pk for row in paused)
    return [row for row in rows if row.pk not in left_waiting]


def _with_notifications(rows: list[Delivery]) -> None:
    """Each row's notification with its recipient, organisation and purpose, in three queries.

    One object per notification, not one per row (its inbox copy and its e-mail share it), and
    one organisation and purpose (with its versions) for the whole batch, which is mostly one
    message to many people: the gate's current_version is worked out once.
    """
    notifications = Notification.objects.select_related("recipient__identity").in_bulk(
        {row.notification_id for row in rows}
    )
    for row in rows:
        row.notification = notifications[row.notification_id]
    notifications = list(notifications.values())
    doelbindingen = Doelbinding.objects.select_related("organisation").prefetch_related(
        Prefetch("versions", queryset=DoelbindingVersion.objects.order_by("number"))
    )
    by_pk = doelbindingen.in_bulk({n.doelbinding_id for n in notifications})
    organisations = Organisation.objects.in_bulk({n.organisation_id for n in notifications})
    for notification in notifications:
        notification.doelbinding = by_pk[notification.doelbinding_id]
        notification.organisation = organisations[notification.organisation_id]


def _confirmed_addresses(rows: list[Delivery]) -> dict[tuple[int, str], str]:
    """(profile id, contact kind) -> the confirmed value, for every recipient at once."""
    profile_ids = {row.notification.recipient_id for row in rows if row.channel in CONTACT_KIND}
    addresses = {}
    for profile_id, kind, value in (
        ContactDetail.objects.confirmed()
        .filter(profile_id__in=profile_ids)
        .values_list("profile_id", "kind", "value")
    ):
        addresses[(profile_id, kind)] = value  # one per kind (a unique constraint)
    return addresses


def _active_consents(rows: list[Delivery]) -> dict[tuple[int, int], Consent]:
    """(profile id, doelbinding id) -> active consent, for the purposes that rest on consent.

    A pair that is missing has no active consent: the gate then refuses with NO_CONSENT.
    """
    pairs = {
        (row.notification.recipient_id, row.notification.doelbinding_id)
        for row in rows
        if getattr(row.notification.doelbinding.current_version, "legal_basis", None)
        == LegalBasis.CONSENT
    }
    if not pairs:
        return {}
    found = (
        Consent.objects.active()
        .filter(
            profile_id__in={p for p, _ in pairs},
            doelbinding_id__in={d for _, d in pairs},
        )
        .select_related("version")
    )
    return {(c.profile_id, c.doelbinding_id): c for c in found}


def _inbox_sent(rows: list[Delivery], now) -> None:
    """The inbox copies, in the claim's own transaction: exactly once, nothing to be unsure of."""
    if not rows:
        return
    inbox_messages_create(notifications=[row.notification for row in rows])
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
    )
    for row in rows:
        row.status, row.sent_at, row.attempts = DeliveryStatus.SENT, now, row.attempts + 1


def _logged(ready: list, started, retry: list) -> list[Delivery]:
    """Write the processing records (one insert per purpose); returns the rows that may go.

    Unlogged processing does not happen: when the log refuses, those rows try again later.
    """
    by_purpose, allowed = defaultdict(list), []
    for row, decision in ready:
        if row.notification.recipient.is_test:  # profiles.test_persons: nobody, no record
            allowed.append(row)
            continue
        by_purpose[row.notification.doelbinding_id].append((row, decision))
    for group in by_purpose.values():
        notification = group[0][0].notification
        entries = [
            (
                row.notification.recipient.identity.type,
                pseudonym_for(row.notification.recipient.identity),
                decision,
            )
            for row, decision in group
        ]
        try:
            processing_records_write(
                trace=Trace.from_header(""),
                organisation=notification.organisation,
                doelbinding=notification.doelbinding,
                api_client=None,
                entries=entries,
                started_at=started,
            )
        except LogUnavailable:
            retry.extend((row, Reason.LOG_UNAVAILABLE) for row, _ in group)
            continue
        allowed.extend(row for row, _ in group)
    return allowed


def _mark_sending(rows: list[Delivery]) -> None:
    if not rows:
        return
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=SENDING, attempts=F("attempts") + 1, last_error=""
    )
    for row in rows:
        row.status, row.attempts, row.last_error = SENDING, row.attempts + 1, ""
