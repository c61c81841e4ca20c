"""Before staff confirm a message to many people: who would get it, and by which channel.

A dry run of the routing intake does (notifications.intake.bulk): the same reads and the same
gate, per group of numbers, and nothing written. The counts can differ a little from the run
itself when people change their choices in between; the run decides. A small file is counted
in the request; a bigger one by the worker (nothing slow inside a request), and the page shows
the counts once they are stored on the batch.
"""

from collections import Counter
from dataclasses import dataclass, field

from consent.choices import Reason
from notifications.intake.batches import (
    GROUP,
    Number,
    batch_numbers,
    profile_ids_for_numbers,
    unknown_reason,
)
from notifications.intake.bulk import recipients_for_routing
from notifications.intake.services import (
    IntakeRefused,
    doelbinding_with_versions,
    plan_channels,
)
from notifications.models import NotificationBatch
from notifications.tasks import preview_batch
from profiles.models import Profile

# Numbers counted inside the upload's request; more go to the worker (about a second here).
IN_REQUEST = 2_000


@dataclass
class Preview:
    numbers: int = 0
    reached: int = 0  # people who would get the message
    refused: Counter = field(default_factory=Counter)  # per reason: nobody, no consent
    channels: Counter = field(default_factory=Counter)  # people per channel that may be used
    # Refused channels per reason: {"fields_not_covered": 3}.
    channel_refusals: Counter = field(default_factory=Counter)

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())

    def as_json(self) -> dict:
        return {
            "numbers": self.numbers,
            "reached": self.reached,
            "refused": {str(k): n for k, n in self.refused.items()},
            "channels": {str(k): n for k, n in self.channels.items()},
            "channel_refusals": {str(k): n for k, n in self.channel_refusals.items()},
        }


def batch_preview(*, organisation, doelbinding, kind: str, numbers: list[Number]) -> Preview:
    """Raises IntakeRefused when the purpose may not be used at all."""
    doelbinding = doelbinding_with_versions(doelbinding)
    nobody = unknown_reason(doelbinding)
    preview = Preview(numbers=len(numbers))
    for start in range(0, len(numbers), GROUP):
        group = numbers[start : start + GROUP]
        found = profile_ids_for_numbers(group)
        preview.refused[nobody] += len(group) - len(found)
        people = list(Profile.objects.filter(pk__in=list(found.values())).order_by("pk"))
        recipients = recipients_for_routing(
            people, organisation=organisation, doelbinding=doelbinding, kind=kind
        )
        for recipient in recipients:
            try:
                plan = plan_channels(
                    organisation=organisation,
                    doelbinding=doelbinding,
                    kind=kind,
                    recipient=recipient,
                )
            except IntakeRefused as refused:
                if refused.code != Reason.NO_CONSENT:
                    raise
                preview.refused[refused.code] += 1
                continue
            preview.reached += 1
            for planned in plan:
                if planned.allowed:
                    preview.channels[planned.channel] += 1
                else:
                    preview.channel_refusals[planned.reason] += 1
    return preview


def batch_preview_start(*, batch: NotificationBatch) -> None:
    """Count now for a small file, else leave it to the worker."""
    if batch.recipient_count <= IN_REQUEST:
        batch_preview_store(batch_id=batch.pk)
    else:
        preview_batch.enqueue(batch_id=batch.pk)


def batch_preview_store(*, batch_id: int) -> None:
    batch = NotificationBatch.objects.select_related("organisation", "doelbinding").get(pk=batch_id)
    try:
        counted = batch_preview(
            organisation=batch.organisation,
            doelbinding=batch.doelbinding,
            kind=batch.kind,
            numbers=batch_numbers(batch),
        ).as_json()
    except IntakeRefused as refused:
        counted = {"purpose_refused": refused.code}
    NotificationBatch.objects.filter(pk=batch_id).update(preview=counted)


def stored_preview(batch: NotificationBatch) -> Preview | None:
    """The counts as stored; None while they are being made (or the purpose was refused)."""
    data = batch.preview
    if not data or "purpose_refused" in data:
        return None
    return Preview(
        numbers=data["numbers"],
        reached=data["reached"],
        refused=Counter(data["refused"]),
        channels=Counter(data["channels"]),
        channel_refusals=Counter(data["channel_refusals"]),
    )
