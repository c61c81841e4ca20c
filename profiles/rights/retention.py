"""Retention: every kind of record goes when its period (settings.RETENTION, days) is over.

Run daily (`manage.py apply_retention`, or the apply_retention task). Idempotent: a second run
on the same day finds nothing more to remove. Each app removes its own kinds through its part
(profiles.rights.parts); this module adds what belongs to the rights app itself and the
profiles nobody used for years, which get a notice by e-mail first.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from profiles.choices import ContactKind
from profiles.locks import person_lock
from profiles.models import ContactDetail, Profile
from profiles.rights.erase import profile_erase_everything
from profiles.rights.models import DataExport, Erasure, OutgoingEmail, RetentionNotice
from profiles.rights.outbox import outgoing_email_compose
from profiles.rights.parts import registered_parts

logger = logging.getLogger(__name__)
# A composed e-mail the worker could not send within this time is not sent any more.
OUTGOING_KEPT = timedelta(days=7)


def before(now: datetime, kind: str) -> datetime:
    return now - timedelta(days=settings.RETENTION[kind])


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every period; returns how many records of each kind went."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for part in registered_parts():
        counts |= part.retain(now)
    counts["downloads"] = DataExport.objects.filter(expires_at__lte=now).delete()[0]
    counts["outgoing_emails"] = OutgoingEmail.objects.filter(
        created_at__lt=now - OUTGOING_KEPT
    ).delete()[0]
    # The register of erasures is as pseudonymous as the processing log, and kept as long.
    counts["erasures"] = Erasure.objects.filter(
        erased_at__lt=before(now, "processing_log")
    ).delete()[0]
    counts |= unused_profiles_apply(now=now)
    logger.info("retention applied", extra={"counts": counts})
    return counts


def _last_used():
    # Django's last_login is set at every login; a profile never logged in to since it was made
    # counts from when it was made.
    return Coalesce("user__last_login", "created_at")


def unused_profiles_apply(*, now: datetime) -> dict[str, int]:
    """Profiles unused for RETENTION["unused_profiles"] days: a notice first, then removal.

    The notice goes RETENTION_NOTICE_DAYS before removal. A login after the notice keeps the
    profile (the notice is dropped); without one, the profile is erased once its notice ran out.
    """
    unused_before = before(now, "unused_profiles")
    notice_period = timedelta(days=settings.RETENTION_NOTICE_DAYS)
    profiles = Profile.objects.annotate(last_used=_last_used())
    # Used again after the notice: the notice no longer holds.
    kept = RetentionNotice.objects.filter(profile__user__last_login__gt=F("sent_at"))
    counts = {"removal_notices_dropped": kept.delete()[0]}
    due = profiles.filter(
        last_used__lt=unused_before + notice_period, retention_notice__isnull=True
    ).values_list("pk", flat=True)
    counts["removal_notices_sent"] = sum(_notice(pk, now, notice_period) for pk in due)
    expired = profiles.filter(
        retention_notice__remove_after__lte=now, last_used__lt=unused_before
    ).values_list("pk", flat=True)
    removed = 0
    for pk in list(expired):
        profile = Profile.objects.filter(pk=pk).first()
        if profile is not None:
            profile_erase_everything(profile=profile, farewell=False)
            removed += 1
    counts["unused_profiles"] = removed
    return counts


@transaction.atomic
def _notice(profile_id: int, now: datetime, notice_period: timedelta) -> int:
    profile = person_lock(profile_id)
    if RetentionNotice.objects.filter(profile=profile).exists():
        return 0
    remove_after = now + notice_period
    RetentionNotice.objects.create(profile=profile, sent_at=now, remove_after=remove_after)
    email = (
        ContactDetail.objects.confirmed()
        .filter(Q(profile=profile) & Q(kind=ContactKind.EMAIL))
        .values_list("value", flat=True)
        .first()
    )
    if email:
        outgoing_email_compose(
            to=email,
            template="unused_profile",
            language=profile.language,
            context={"remove_after": remove_after.date().isoformat()},
        )
    return 1
