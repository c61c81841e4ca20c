"""One message to many people (a municipality writing to all its ondernemers), in batches.

The same rules as notification_submit, person by person; only the reads and writes are grouped:
per batch a fixed number of queries to learn what routing needs, one insert for the
notifications and two for the deliveries, and one delivery task per
NOTIFICATION_DELIVERY_BATCH_SIZE deliveries (notifications.delivery.batch). Batches go by
primary key and each commits by itself, so memory stays flat however many people there are,
and running the same job again with the same key only fills in who is missing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from consent.choices import LegalBasis, Reason
from consent.models import Consent, Doelbinding, Organisation
from notifications.intake.services import (
    ACCEPTED,
    DUPLICATE,
    REPLAYED,
    IntakeRefused,
    Recipient,
    dedup_window,
    deliveries_create,
    doelbinding_with_versions,
    message_content,
    notification_submit,
    notification_validated,
    plan_channels,
)
from notifications.models import ChannelPreference, Notification, NotificationBatch
from notifications.preferences.channels import reachable_channels_for
from notifications.preferences.selectors import default_choice
from profiles.locks import people_lock
from profiles.models import Profile

# Each person's key is "<job key>/<profile id>", within Notification.idempotency_key's 100.
MAX_JOB_KEY = 80


@dataclass
class BulkSummary:
    accepted: int = 0
    replayed: int = 0
    duplicates: int = 0
    # People without consent to a consent purpose: no message, as for a number nobody uses.
    refused: int = 0

    def add(self, other: "BulkSummary") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def processed(self) -> int:
        return self.accepted + self.replayed + self.duplicates + self.refused


# Per person, when asked for (the API answers per recipient): (ACCEPTED, REPLAYED, DUPLICATE or
# Reason.NO_CONSENT, the notification's id or None).
Outcomes = dict[int, tuple[str, int | None]]


def recipients_for_routing(
    profiles: list[Profile], *, organisation, doelbinding, kind
) -> list[Recipient]:
    """What routing needs for a batch of people, in at most four queries."""
    ids = [p.pk for p in profiles]
    reachable = reachable_channels_for(ids)
    choices = {
        row.profile_id: row
        for row in ChannelPreference.objects.filter(
            profile_id__in=ids, organisation=organisation, kind=kind
        )
    }
    version = doelbinding.current_version
    consents = {}
    if version and version.legal_basis == LegalBasis.CONSENT:
        consents = {
            c.profile_id: c
            for c in Consent.objects.active()
            .filter(doelbinding=doelbinding, profile_id__in=ids)
            .select_related("version")
        }
    return [
        Recipient(
            profile=profile,
            reachable=reachable[profile.pk],
            choice=choices.get(profile.pk) or default_choice(profile, organisation, kind),
            consent=consents.get(profile.pk),
        )
        for profile in profiles
    ]


def _originals(
    profiles: list[Profile], *, organisation: Organisation, kind: str, case_reference: str
) -> dict[int, int]:
    """Per person, this organisation's first notification about this case and kind within the
    window (see original_in_window)."""
    if not case_reference:
        return {}
    originals = {}
    for recipient_id, notification_id in (
        Notification.objects.filter(
            organisation=organisation,
            recipient_id__in=[p.pk for p in profiles],
            case_reference=case_reference,
            kind=kind,
            duplicate_of__isnull=True,
            created_at__gte=timezone.now() - dedup_window(),
        )
        .order_by("-created_at", "-pk")
        .values_list("recipient_id", "pk")
    ):
        originals[recipient_id] = notification_id  # the oldest comes last and stays
    return originals


def notification_submit_bulk(
    *,
    organisation: Organisation,
    doelbinding: Doelbinding,
    recipients: QuerySet[Profile],
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    case_reference: str = "",
    idempotency_key: str,
    batch_size: int = 500,
    batch: NotificationBatch | None = None,
    outcomes: Outcomes | None = None,
    progress: Callable[[BulkSummary], None] | None = None,
) -> BulkSummary:
    """Accept one message for every profile in `recipients`. Raises IntakeRefused when the
    purpose may not be used at all, ValidationError for bad input (before anything is stored).

    batch: linked to each notification. outcomes: filled in per profile id. progress: called
    with the summary so far inside each group's transaction, so a count kept from it commits
    with the notifications it counts.
    """
    if len(idempotency_key) > MAX_JOB_KEY:
        raise ValidationError({"idempotency_key": "too long"}, code="max_length")
    content = message_content(
        kind=kind, subject=subject, body=body, link=link, case_reference=case_reference
    )
    doelbinding = doelbinding_with_versions(doelbinding)
    notification_validated(Notification(idempotency_key=idempotency_key, **content))
    job = _Job(organisation, doelbinding, content, idempotency_key, batch, outcomes)
    summary, last_pk = BulkSummary(), 0
    ordered = recipients.order_by("pk")
    while group := list(ordered.filter(pk__gt=last_pk)[:batch_size]):
        last_pk = group[-1].pk
        counted = BulkSummary()  # added to the summary only once its transaction holds
        try:
            with transaction.atomic():
                job.accept(group, counted)
                if progress:
                    progress(_plus(summary, counted))
        except IntegrityError:
            # Someone sent one of these keys at the same moment: go person by person.
            counted = BulkSummary()
            for profile in group:
                job.accept_one(profile, counted)
            if progress:
                progress(_plus(summary, counted))
        summary.add(counted)
    return summary


def _plus(summary: BulkSummary, more: BulkSummary) -> BulkSummary:
    total = BulkSummary()
    total.add(summary)
    total.add(more)
    return total


@dataclass
class _Job:
    organisation: Organisation
    doelbinding: Doelbinding
    content: dict
    key: str
    batch: NotificationBatch | None = None
    outcomes: Outcomes | None = field(default=None, repr=False)

    def record(self, profile_id: int, status: str, notification_id: int | None) -> None:
        if self.outcomes is not None:
            self.outcomes[profile_id] = (status, notification_id)

    def key_for(self, profile: Profile) -> str:
        return f"{self.key}/{profile.pk}"

    def accept(self, batch: list[Profile], summary: BulkSummary) -> None:
        # The people's locks first, in id order (profiles.locks), then this app's rows: one
        # intake per person at a time, as in notification_submit, and routing reads the people
        # as they are now, not as the batch found them.
        batch = people_lock(p.pk for p in batch)
        kind, keys = self.content["kind"], [self.key_for(p) for p in batch]
        seen = dict(
            Notification.objects.filter(
                organisation=self.organisation, idempotency_key__in=keys
            ).values_list("recipient_id", "pk")
        )
        fresh = [p for p in batch if p.pk not in seen]
        summary.replayed += len(seen)
        for profile_id, notification_id in seen.items():
            self.record(profile_id, REPLAYED, notification_id)
        recipients = recipients_for_routing(
            fresh, organisation=self.organisation, doelbinding=self.doelbinding, kind=kind
        )
        plans, fresh = [], []
        for recipient in recipients:
            try:
                plan = plan_channels(
                    organisation=self.organisation,
                    doelbinding=self.doelbinding,
                    kind=kind,
                    recipient=recipient,
                )
            except IntakeRefused as refused:
                if refused.code != Reason.NO_CONSENT:
                    raise
                summary.refused += 1
                self.record(recipient.profile.pk, refused.code, None)
                continue
            plans.append(plan)
            fresh.append(recipient.profile)
        originals = _originals(
            fresh,
            organisation=self.organisation,
            kind=kind,
            case_reference=self.content["case_reference"],
        )
        notifications = Notification.objects.bulk_create(
            Notification(
                organisation=self.organisation,
                doelbinding=self.doelbinding,
                recipient=profile,
                idempotency_key=self.key_for(profile),
                duplicate_of_id=originals.get(profile.pk),
                batch=self.batch,
                # The client that sent the batch hears of each delivery (status callbacks).
                api_client_id=self.batch.api_client_id if self.batch else None,
                **self.content,
            )
            for profile in fresh
        )
        for n in notifications:
            self.record(n.recipient_id, DUPLICATE if n.duplicate_of_id else ACCEPTED, n.pk)
        planned = [(n, plan) for n, plan in zip(notifications, plans, strict=True)]
        deliveries_create([(n, plan) for n, plan in planned if n.duplicate_of_id is None])
        summary.duplicates += len(originals)
        summary.accepted += len(fresh) - len(originals)

    def accept_one(self, profile: Profile, summary: BulkSummary) -> None:
        try:
            result = notification_submit(
                organisation=self.organisation,
                doelbinding=self.doelbinding,
                recipient=profile,
                idempotency_key=self.key_for(profile),
                batch=self.batch,
                **self.content,
            )
        except IntakeRefused as refused:
            if refused.code != Reason.NO_CONSENT:
                raise
            summary.refused += 1
            self.record(profile.pk, refused.code, None)
            return
        self.record(profile.pk, result.status, result.notification.pk)
        if not result.created:
            summary.replayed += 1
        elif result.notification.duplicate_of_id:
            summary.duplicates += 1
        else:
            summary.accepted += 1
