"""Intake: an organisation's message for one person, accepted once and routed.

notification_submit() turns it into a Notification, one Delivery per channel and a background
task for its deliveries, all in one transaction: a task exists exactly when its delivery was
committed.
Nothing is sent here; notifications.delivery.services does that in the worker.

Two kinds of deduplication:
- The same (organisation, idempotency key) is accepted once: a second submit returns the first
  notification and changes nothing. The database's unique constraint settles a race.
- The same case reference and kind for the same person within NOTIFICATION_DEDUP_WINDOW seconds
  (default 24 hours) is delivered once, even from another organisation or with another key: the
  second one is stored with `duplicate_of` set and gets no deliveries.

Routing follows the person's choices (notifications.preferences.channels.channels_for). Each
channel then
asks consent.gate.may_process for the data it uses. A refused channel is kept as a Delivery row
with status "failed" and the gate's reason in last_error, so the sender sees what happened and
why. When every channel outside the portal is refused, post takes over if it may (as after a
failed delivery, see notifications.delivery.services).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from consent.choices import DataField, Reason
from consent.gate import may_process
from consent.models import Consent, Doelbinding, DoelbindingVersion, Organisation
from core.api_problems import ProblemCode
from notifications.choices import OUTSIDE_PORTAL, Channel, DeliveryStatus
from notifications.delivery.enqueue import enqueue_deliveries
from notifications.models import ChannelPreference, Delivery, Notification
from notifications.preferences.channels import channels_for, reachable_channels
from notifications.preferences.selectors import default_choice
from notifications.routing import CHANNEL_FIELD, LOOK_UP, channel_decision
from profiles.locks import person_lock
from profiles.models import Profile

ACCEPTED = "accepted"  # new: deliveries queued
REPLAYED = "replayed"  # this key was seen before: the first notification, nothing new
DUPLICATE = "duplicate"  # same case and kind within the window: recorded, not delivered

# Refusals about the sender and its purpose, whoever the person is: the whole message is refused.
SENDER_REASONS = frozenset(
    {
        Reason.WRONG_ORGANISATION,
        Reason.ORGANISATION_INACTIVE,
        Reason.NOT_ACTIVE,
        Reason.NOT_YET_VALID,
        Reason.EXPIRED,
    }
)


class IntakeRefused(Exception):
    """The message is not accepted at all; `code` is a consent.choices.Reason, or
    ProblemCode.IDEMPOTENCY_KEY_REUSED."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IntakeResult:
    notification: Notification
    status: str  # ACCEPTED, REPLAYED or DUPLICATE

    @property
    def created(self) -> bool:
        return self.status != REPLAYED


def dedup_window() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFICATION_DEDUP_WINDOW", 24 * 3600))


# --- routing --------------------------------------------------------------------------------------


@dataclass
class Recipient:
    """What routing needs to know about one person; fetched for many people at once in bulk."""

    profile: Profile
    reachable: set[str]
    choice: ChannelPreference
    consent: Consent | object | None = LOOK_UP


@dataclass
class Planned:
    channel: str
    reason: str  # Reason.ALLOWED, or why the gate refused this channel
    fallback_for: str = ""  # the refused channel that post replaces
    delivery: Delivery | None = field(default=None, repr=False)

    @property
    def allowed(self) -> bool:
        return self.reason == Reason.ALLOWED


def recipient_for(profile: Profile, *, organisation: Organisation, kind: str) -> Recipient:
    row = ChannelPreference.objects.filter(
        profile=profile, organisation=organisation, kind=kind
    ).first()
    return Recipient(
        profile=profile,
        reachable=reachable_channels(profile),
        choice=row or default_choice(profile, organisation, kind),
    )


def plan_channels(
    *, organisation: Organisation, doelbinding: Doelbinding, kind: str, recipient: Recipient
) -> list[Planned]:
    """The channels of one message to one person, inbox first, each with the gate's answer.

    Raises IntakeRefused when the purpose itself may not be used (inactive, expired, another
    organisation's): that is the sender's error, not a matter of this person.
    """
    profile = recipient.profile
    channels = channels_for(
        profile=profile,
        organisation=organisation,
        kind=kind,
        reachable=recipient.reachable,
        choice=recipient.choice,
    )
    gate_kwargs = {} if recipient.consent is LOOK_UP else {"consent": recipient.consent}
    version = doelbinding.current_version
    # One question covers all channels in the common case: allowed for a set means allowed
    # for every part of it. Only a refusal needs asking per channel.
    everything = frozenset(version.fields if version else ()) | {
        CHANNEL_FIELD[c] for c in channels if c in CHANNEL_FIELD
    }
    first = may_process(
        organisation, doelbinding, profile, everything or {DataField.EMAIL}, **gate_kwargs
    )
    if first.reason in SENDER_REASONS:
        raise IntakeRefused(first.reason)
    if first.reason == Reason.NO_CONSENT:
        # For a consent purpose, whether someone uses the portal is theirs to share: a person
        # without consent gets the same answer as a number nobody uses (as with reads).
        raise IntakeRefused(first.reason)
    plan = [
        Planned(
            channel,
            Reason.ALLOWED
            if first.allowed
            else channel_decision(
                organisation, doelbinding, profile, channel, **gate_kwargs
            ).reason,
        )
        for channel in channels
    ]
    outside = [p for p in plan if p.channel in OUTSIDE_PORTAL]
    if outside and not any(p.allowed for p in outside) and Channel.POST not in channels:
        post = Channel.POST in recipient.reachable and channel_decision(
            organisation, doelbinding, profile, Channel.POST, **gate_kwargs
        )
        if post and post.allowed:
            plan.append(Planned(str(Channel.POST), Reason.ALLOWED, fallback_for=outside[0].channel))
    return plan


def deliveries_create(planned: list[tuple[Notification, list[Planned]]]) -> list[Delivery]:
    """The Delivery rows of the plans, and tasks for the rows that go out by themselves: one
    per NOTIFICATION_DELIVERY_BATCH_SIZE rows (notifications.delivery.batch).

    Post waits for the daily batch (notifications.delivery.post), so it gets no task; for post,
    next_attempt_at is the moment the letter joined the batch of that day.
    """
    now = timezone.now()
    first, fallbacks = [], []
    for notification, plan in planned:
        for item in plan:
            item.delivery = Delivery(
                notification=notification,
                channel=item.channel,
                status=DeliveryStatus.QUEUED if item.allowed else DeliveryStatus.FAILED,
                last_error="" if item.allowed else str(item.reason),
                next_attempt_at=now if item.allowed else None,
            )
        by_channel = {item.channel: item.delivery for item in plan}
        for item in plan:
            if item.fallback_for:
                fallbacks.append((item, by_channel[item.fallback_for]))
            else:
                first.append(item.delivery)
    Delivery.objects.bulk_create(first)
    for item, replaced in fallbacks:
        item.delivery.fallback_for = replaced  # now that it has its primary key
    Delivery.objects.bulk_create([item.delivery for item, _ in fallbacks])
    deliveries = [item.delivery for _, plan in planned for item in plan]
    enqueue_deliveries(
        [
            delivery.pk
            for delivery in deliveries
            if delivery.status == DeliveryStatus.QUEUED and delivery.channel != Channel.POST
        ]
    )
    return deliveries


# --- the service ----------------------------------------------------------------------------------


def doelbinding_with_versions(doelbinding: Doelbinding) -> Doelbinding:
    """A fresh copy whose current_version costs no query (the gate asks it per channel)."""
    return (
        Doelbinding.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("versions", queryset=DoelbindingVersion.objects.order_by("number"))
        )
        .get(pk=doelbinding.pk)
    )


def message_content(**fields) -> dict:
    fields["subject"] = " ".join(fields["subject"].split())  # a header: one line
    return fields


def notification_validated(notification: Notification) -> Notification:
    notification.full_clean(
        exclude=["organisation", "recipient", "doelbinding", "duplicate_of", "batch"],
        validate_unique=False,
        validate_constraints=False,
    )
    return notification


def _replay(existing: Notification, recipient: Profile, content: dict) -> IntakeResult:
    same = existing.recipient_id == recipient.pk and all(
        getattr(existing, name) == value for name, value in content.items()
    )
    if not same:
        # A key reused for another message is a bug at the sender: saying so beats silence.
        raise IntakeRefused(ProblemCode.IDEMPOTENCY_KEY_REUSED)
    return IntakeResult(existing, REPLAYED)


def _by_key(organisation: Organisation, key: str) -> Notification | None:
    return Notification.objects.filter(organisation=organisation, idempotency_key=key).first()


def original_in_window(
    *, organisation: Organisation, recipient: Profile, kind: str, case_reference: str
):
    """The first notification from this organisation about this case and kind for this person
    within the window. Only the same sender's: a case reference means nothing across
    organisations, and another organisation's message must never show through."""
    if not case_reference:
        return None
    return (
        Notification.objects.filter(
            organisation=organisation,
            recipient=recipient,
            case_reference=case_reference,
            kind=kind,
            duplicate_of__isnull=True,
            created_at__gte=timezone.now() - dedup_window(),
        )
        .order_by("created_at", "pk")
        .first()
    )


def notification_submit(
    *,
    organisation: Organisation,
    doelbinding: Doelbinding,
    recipient: Profile,
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    case_reference: str = "",
    idempotency_key: str,
    api_client=None,
    batch=None,
) -> IntakeResult:
    """Accept one message for one person. Raises IntakeRefused, or ValidationError for bad input.

    api_client: the client that sent it, whose status callbacks hear of its deliveries.
    batch: the NotificationBatch this message is part of (notifications.intake.bulk)."""
    content = message_content(
        kind=kind, subject=subject, body=body, link=link, case_reference=case_reference
    )
    existing = _by_key(organisation, idempotency_key)
    if existing is not None:
        return _replay(existing, recipient, content)
    try:
        with transaction.atomic():
            return _accept(
                organisation, doelbinding, recipient, content, idempotency_key, api_client, batch
            )
    except IntegrityError:
        # Another request with this key committed first: that one counts.
        existing = _by_key(organisation, idempotency_key)
        if existing is None:
            raise
        return _replay(existing, recipient, content)


def _accept(
    organisation, doelbinding, recipient, content, key, api_client=None, batch=None
) -> IntakeResult:
    doelbinding = doelbinding_with_versions(doelbinding)
    # The person's lock first (profiles.locks), then this app's rows. The person as stored now
    # (their choice may have changed since the caller read it), and one intake per person at a
    # time: two systems sending the same case at the same moment cannot both miss each other.
    recipient = person_lock(recipient)
    notification = notification_validated(
        Notification(
            organisation=organisation,
            doelbinding=doelbinding,
            recipient=recipient,
            idempotency_key=key,
            api_client=api_client,
            batch=batch,
            **content,
        )
    )
    plan = plan_channels(
        organisation=organisation,
        doelbinding=doelbinding,
        kind=content["kind"],
        recipient=recipient_for(recipient, organisation=organisation, kind=content["kind"]),
    )
    notification.duplicate_of = original_in_window(
        organisation=organisation,
        recipient=recipient,
        kind=content["kind"],
        case_reference=content["case_reference"],
    )
    notification.save()
    if notification.duplicate_of is not None:
        return IntakeResult(notification, DUPLICATE)
    deliveries_create([(notification, plan)])
    return IntakeResult(notification, ACCEPTED)
