"""The daily batch of letters for the print-and-mail service.

A letter (a post Delivery) joins the batch of the day it was queued: next_attempt_at, in the
portal's time zone. Staff download a day's batch as CSV in the admin. Downloading changes no
delivery and can be repeated: the same day gives the same file. When the day is over, its batch
no longer grows, and staff mark it as handed to the printer: then its letters count as sent.

Why two steps and not "a download marks them sent": a download that breaks off in the browser
would leave letters marked sent that nobody printed, and a second download of the same day
would miss them. Marking only a closed day means the letters marked are exactly those in the
file. The gate is asked again for every letter (consent may have been withdrawn since intake),
and every letter in a file is a processing of the address, logged before the file is given.
"""

import csv
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.ldv import Trace, processing_record_write, pseudonym_for
from consent.models import DoelbindingVersion
from notifications.choices import Channel, DeliveryStatus
from notifications.models import Delivery
from notifications.routing import channel_decision

ADDRESS_LINES = 5
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class BatchStillOpen(Exception):
    """Today's batch can still grow: it is marked sent tomorrow."""


@dataclass(frozen=True)
class BatchDay:
    day: date
    waiting: int
    sent: int

    @property
    def closed(self) -> bool:
        return self.day < timezone.localdate()


def _letters(organisation_ids: frozenset[int] | None) -> QuerySet[Delivery]:
    letters = Delivery.objects.filter(channel=Channel.POST)
    if organisation_ids is not None:
        letters = letters.filter(notification__organisation_id__in=organisation_ids)
    return letters


def post_batch_days(*, organisation_ids: frozenset[int] | None, limit: int = 60) -> list[BatchDay]:
    """The most recent days with letters, newest first, in one query."""
    rows = (
        _letters(organisation_ids)
        .filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENT])
        .annotate(day=TruncDate("next_attempt_at"))
        .values("day")
        .annotate(
            waiting=Count("pk", filter=Q(status=DeliveryStatus.QUEUED)),
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        )
        .order_by("-day")[:limit]
    )
    return [BatchDay(row["day"], row["waiting"], row["sent"]) for row in rows]


def post_batch_letters(*, day: date, organisation_ids: frozenset[int] | None) -> QuerySet:
    return (
        _letters(organisation_ids)
        .filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENT], next_attempt_at__date=day)
        .select_related(
            "notification__organisation",
            "notification__doelbinding",
            "notification__recipient__identity",
            "notification__recipient__postal_address",
        )
        .prefetch_related(
            Prefetch(
                "notification__doelbinding__versions",
                queryset=DoelbindingVersion.objects.order_by("number"),
            )
        )
        .order_by("pk")
    )


def _cell(value) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _address_lines(profile) -> list[str]:
    address = getattr(profile, "postal_address", None)
    lines = list(address.lines) if address else []
    if len(lines) > ADDRESS_LINES:
        lines[ADDRESS_LINES - 1 :] = [", ".join(lines[ADDRESS_LINES - 1 :])]
    return lines + [""] * (ADDRESS_LINES - len(lines))


def _decision(delivery: Delivery):
    notification = delivery.notification
    return channel_decision(
        notification.organisation, notification.doelbinding, notification.recipient, Channel.POST
    )


def post_batch_csv_write(out: TextIO, *, day: date, organisation_ids: frozenset[int] | None) -> int:
    """Write the day's letters as CSV to `out` (semicolons; the BOM makes Dutch spreadsheet
    programs read UTF-8). Returns the number of letters.

    Callers build the whole file before they give it (a temporary file keeps memory low): a
    letter whose processing cannot be logged raises LogUnavailable, and then no file is given.
    """
    started, trace = timezone.now(), Trace.from_header("")
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [_("letter"), _("organisation"), _("name")]
        + [_("address line %(number)d") % {"number": n} for n in range(1, ADDRESS_LINES + 1)]
        + [_("subject"), _("message"), _("case number")]
    )
    count = 0
    for delivery in post_batch_letters(day=day, organisation_ids=organisation_ids).iterator(
        chunk_size=500
    ):
        notification = delivery.notification
        decision = _decision(delivery)
        if not decision.allowed:
            continue  # left out; marking the day records why
        processing_record_write(
            trace=trace,
            organisation=notification.organisation,
            doelbinding=notification.doelbinding,
            api_client=None,
            subject_type=notification.recipient.identity.type,
            pseudonym=pseudonym_for(notification.recipient.identity),
            decision=decision,
            started_at=started,
        )
        writer.writerow(
            [
                delivery.pk,
                _cell(notification.organisation.name),
                _cell(notification.recipient.display_name),
                *[_cell(line) for line in _address_lines(notification.recipient)],
                _cell(notification.subject),
                _cell(notification.body),
                _cell(notification.case_reference),
            ]
        )
        count += 1
    return count


def post_batch_mark_sent(*, day: date, organisation_ids: frozenset[int] | None) -> tuple[int, int]:
    """A closed day's waiting letters were handed to the printer. Returns (sent, refused)."""
    if day >= timezone.localdate():
        raise BatchStillOpen
    sent_ids, refused = [], []
    with transaction.atomic():
        waiting = (
            post_batch_letters(day=day, organisation_ids=organisation_ids)
            .filter(status=DeliveryStatus.QUEUED)
            .select_for_update(of=("self",))
        )
        for delivery in waiting.iterator(chunk_size=1000):
            decision = _decision(delivery)
            if decision.allowed:
                sent_ids.append(delivery.pk)
            else:
                refused.append((delivery.pk, decision.reason))
        now = timezone.now()
        for start in range(0, len(sent_ids), 1000):
            Delivery.objects.filter(pk__in=sent_ids[start : start + 1000]).update(
                status=DeliveryStatus.SENT, sent_at=now, attempts=1
            )
        for delivery_id, reason in refused:
            Delivery.objects.filter(pk=delivery_id).update(
                status=DeliveryStatus.FAILED, last_error=str(reason)
            )
    return len(sent_ids), len(refused)
