"""The processing log's side of staff views in the admin (profiles.signals.personal_data_shown).

profiles cannot write the log itself (it imports nothing of consent), so it announces what a
page is about to show and this receiver records it: one record per person, all in one
statement, before the page leaves. When the log refuses, the page is not shown.
"""

from django.dispatch import receiver
from django.utils import timezone

from consent.choices import Reason
from consent.gate import Decision
from consent.ldv import (
    LogUnavailable,
    Trace,
    download_activity_id,
    processing_records_write,
    pseudonym_for,
)
from profiles.rights.signals import personal_data_downloaded
from profiles.signals import NotRecorded, personal_data_shown


@receiver(personal_data_shown)
def staff_view_record(sender, *, staff, identities, fields, **kwargs):
    shown = Decision(True, Reason.STAFF_VIEW, frozenset(fields))
    unique = {(i.type, i.value, i.branch): i for i in identities}.values()
    try:
        processing_records_write(
            trace=Trace.from_header(""),
            organisation=None,
            doelbinding=None,
            api_client=None,
            entries=[(identity.type, pseudonym_for(identity), shown) for identity in unique],
            started_at=timezone.now(),
            staff_member=staff.get_username(),
        )
    except LogUnavailable as exc:
        raise NotRecorded(str(exc)) from exc


@receiver(personal_data_downloaded)
def download_record(sender, *, identity, fields, **kwargs):
    """The person's own download: recorded before the file leaves, like any other processing."""
    downloaded = Decision(True, Reason.SUBJECT_DOWNLOAD, frozenset(fields))
    try:
        processing_records_write(
            trace=Trace.from_header(""),
            organisation=None,
            doelbinding=None,
            api_client=None,
            entries=[(identity.type, pseudonym_for(identity), downloaded)],
            started_at=timezone.now(),
            activity_id=download_activity_id(),
        )
    except LogUnavailable as exc:
        raise NotRecorded(str(exc)) from exc
