"""A message to many people as one thing to ask about: a NotificationBatch and its run.

The API's bulkmeldingen and the admin's upload both come here; the people themselves go through
notification_submit_bulk (notifications.intake.bulk), so they meet the same gate, the same
deduplication and the same delivery as a single message. This module adds what a batch needs
around that: numbers turned into people (a fixed number of queries per group of numbers), the
numbers nobody uses counted as refused, the counts kept on the batch as the run goes, and the
state of a batch read back in three queries.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from consent.choices import LegalBasis, Reason
from consent.models import Doelbinding, Organisation
from core.api_problems import ProblemCode
from notifications.choices import BatchStatus
from notifications.intake.bulk import (
    MAX_JOB_KEY,
    BulkSummary,
    Outcomes,
    notification_submit_bulk,
)
from notifications.intake.services import (
    IntakeRefused,
    doelbinding_with_versions,
    message_content,
    notification_validated,
)
from notifications.models import Delivery, Notification, NotificationBatch
from notifications.tasks import process_batch
from profiles.models import Identity, Profile

# (identity type, number, branch or ""), as profiles.models.Identity keys a person.
Number = tuple[str, str, str]
# Numbers looked up and submitted per group: bounded memory and query size for any upload.
GROUP = 1000
CONTENT = ("kind", "subject", "body", "link", "case_reference")


def batch_create(
    *,
    organisation: Organisation,
    doelbinding: Doelbinding,
    source: str,
    requested_by: str,
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    case_reference: str = "",
    idempotency_key: str,
    numbers: list[Number] | None = None,
    status: str = BatchStatus.QUEUED,
    api_client=None,
) -> tuple[NotificationBatch, bool]:
    """The batch for this key, and whether it is new. Raises ValidationError for bad content,
    IntakeRefused(IDEMPOTENCY_KEY_REUSED) when the key was used for another message."""
    content = message_content(
        kind=kind, subject=subject, body=body, link=link, case_reference=case_reference
    )
    if len(idempotency_key) > MAX_JOB_KEY:
        raise ValidationError({"idempotency_key": "too long"}, code="max_length")
    notification_validated(Notification(idempotency_key=idempotency_key, **content))
    existing = _by_key(organisation, idempotency_key)
    if existing is None:
        try:
            with transaction.atomic():
                batch = NotificationBatch.objects.create(
                    organisation=organisation,
                    doelbinding=doelbinding,
                    source=source,
                    requested_by=requested_by[:150],
                    status=status,
                    idempotency_key=idempotency_key,
                    numbers="".join(f"{t}:{n}:{b}\n" for t, n, b in numbers or ()),
                    recipient_count=len(numbers or ()),
                    api_client=api_client,
                    **content,
                )
            return batch, True
        except IntegrityError:
            existing = _by_key(organisation, idempotency_key)
            if existing is None:
                raise
    same = existing.doelbinding_id == doelbinding.pk and all(
        getattr(existing, name) == content[name] for name in CONTENT
    )
    if not same:
        raise IntakeRefused(ProblemCode.IDEMPOTENCY_KEY_REUSED)
    return existing, False


def _by_key(organisation, key: str) -> NotificationBatch | None:
    return NotificationBatch.objects.filter(organisation=organisation, idempotency_key=key).first()


def batch_numbers(batch: NotificationBatch) -> list[Number]:
    return [tuple(line.split(":")) for line in batch.numbers.splitlines() if line]


def profile_ids_for_numbers(numbers: list[Number], *, test: bool = False) -> dict[Number, int]:
    """The profile id of each number somebody uses, in one query on the identities' blind index
    (callers pass at most GROUP numbers; the intake reads the people themselves under their
    locks). test: only test persons' profiles (profiles.test_persons); else only real ones."""
    keys = {Identity.lookup_key_for(*number): number for number in set(numbers)}
    rows = Identity.objects.filter(
        lookup_key__in=keys, profile__isnull=False, profile__is_test=test
    ).values_list("lookup_key", "profile__pk")
    return {keys[key]: pk for key, pk in rows}


def unknown_reason(doelbinding: Doelbinding) -> str:
    """For a consent purpose, whether someone uses the portal is theirs to share: a number
    nobody uses gets the answer of a person without consent (as a single message does)."""
    version = doelbinding.current_version
    if version is not None and version.legal_basis == LegalBasis.CONSENT:
        return Reason.NO_CONSENT
    return Reason.NOT_FOUND


@dataclass
class BatchRun:
    """What one run did, per number when the caller asked for outcomes."""

    summary: BulkSummary = field(default_factory=BulkSummary)
    refused: Counter = field(default_factory=Counter)
    # Per number: (ACCEPTED, REPLAYED, DUPLICATE or a Reason, notification id or None).
    outcomes: dict[Number, tuple[str, int | None]] | None = None


def batch_run(
    *, batch: NotificationBatch, numbers: list[Number], per_number: bool = False, test: bool = False
) -> BatchRun:
    """Submit the batch's message to these numbers, GROUP numbers at a time.

    Raises IntakeRefused when the purpose may not be used at all (nothing of that group is
    kept). Running it again fills in who is missing; everyone else is replayed. test: a test
    API client's batch, to test persons only (the caller makes their profiles first).
    """
    doelbinding = doelbinding_with_versions(batch.doelbinding)
    run = BatchRun(outcomes={} if per_number else None)
    nobody = unknown_reason(doelbinding)
    content = {name: getattr(batch, name) for name in CONTENT}
    for start in range(0, len(numbers), GROUP):
        group = numbers[start : start + GROUP]
        found = profile_ids_for_numbers(group, test=test)
        missing = [n for n in group if n not in found]
        outcomes: Outcomes | None = {} if per_number else None

        before = start + len(missing)  # the numbers nobody uses count as done at once

        def progress(summary: BulkSummary, before=before) -> None:
            _count(batch, processed=before + summary.processed)

        summary = notification_submit_bulk(
            organisation=batch.organisation,
            doelbinding=doelbinding,
            recipients=Profile.objects.filter(pk__in=list(found.values())),
            idempotency_key=batch.idempotency_key,
            batch=batch,
            outcomes=outcomes,
            progress=progress,
            **content,
        )
        run.summary.add(summary)
        run.refused[nobody] += len(missing)
        run.refused[Reason.NO_CONSENT] += summary.refused
        if per_number:
            for number in group:
                run.outcomes[number] = outcomes.get(found.get(number), (nobody, None))
    return run


def _count(batch: NotificationBatch, *, processed: int) -> None:
    NotificationBatch.objects.filter(pk=batch.pk).update(processed_count=processed)


def batch_finish(batch: NotificationBatch, run: BatchRun, *, status=BatchStatus.DONE) -> None:
    """The counts of the last run on the batch: refusals by reason (without zeros)."""
    batch.refused = {reason: count for reason, count in run.refused.items() if count}
    batch.status = status
    batch.processed_count = batch.recipient_count
    batch.finished_at = timezone.now()
    batch.save(
        update_fields=["refused", "status", "recipient_count", "processed_count", "finished_at"]
    )


# --- reading a batch back ---------------------------------------------------------------------


@dataclass(frozen=True)
class BatchState:
    batch: NotificationBatch
    accepted: int
    duplicates: int
    # {(channel, status): count} over the batch's deliveries.
    deliveries: dict[tuple[str, str], int]

    @property
    def refused(self) -> dict[str, int]:
        return dict(self.batch.refused)

    @property
    def refused_total(self) -> int:
        return sum(self.batch.refused.values())


def batch_state(batch: NotificationBatch) -> BatchState:
    """Accepted, duplicate and delivered per channel and status, in two queries."""
    counts = Notification.objects.filter(batch=batch).aggregate(
        accepted=Count("pk", filter=Q(duplicate_of__isnull=True)),
        duplicates=Count("pk", filter=Q(duplicate_of__isnull=False)),
    )
    deliveries = {
        (row["channel"], row["status"]): row["count"]
        for row in Delivery.objects.filter(notification__batch=batch)
        .values("channel", "status")
        .annotate(count=Count("pk"))
        .order_by("channel", "status")
    }
    return BatchState(batch, counts["accepted"], counts["duplicates"], deliveries)


# --- an upload, run in the background ---------------------------------------------------------


def batch_confirm(*, batch: NotificationBatch) -> bool:
    """Staff confirmed the preview: the batch waits for the worker. False when it was
    confirmed already (a second click changes nothing)."""
    with transaction.atomic():
        confirmed = NotificationBatch.objects.filter(pk=batch.pk, status=BatchStatus.DRAFT).update(
            status=BatchStatus.QUEUED
        )
        if confirmed:
            # A task exists exactly when the confirmation is committed.
            process_batch.enqueue(batch_id=batch.pk)
    return bool(confirmed)


def batch_resume(*, batch: NotificationBatch) -> bool:
    """Staff saw a batch stand still (its worker was stopped): enqueue it again. Who has the
    message already is replayed, so nobody gets it twice."""
    with transaction.atomic():
        waiting = NotificationBatch.objects.filter(
            pk=batch.pk, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]
        ).exists()
        if waiting:
            process_batch.enqueue(batch_id=batch.pk)
    return waiting


def batch_process(*, batch_id: int) -> str:
    """The worker's part: every number of a confirmed upload, GROUP at a time, each group
    committed by itself. Safe to run again (a killed worker): who has the message is replayed."""
    claimed = NotificationBatch.objects.filter(
        pk=batch_id, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]
    ).update(status=BatchStatus.RUNNING)
    if not claimed:
        return "not waiting"
    batch = NotificationBatch.objects.select_related("organisation", "doelbinding").get(pk=batch_id)
    try:
        run = batch_run(batch=batch, numbers=batch_numbers(batch))
    except IntakeRefused as refused:
        # The purpose was withdrawn or ended after the preview: what was accepted stays.
        batch_finish(
            batch, BatchRun(refused=Counter({refused.code: 1})), status=BatchStatus.REFUSED
        )
        return str(BatchStatus.REFUSED)
    batch_finish(batch, run)
    return str(BatchStatus.DONE)
