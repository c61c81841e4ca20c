"""Changing the e-mail address or phone number: a code to the new value, then the change.

Every write checks the version the user saw, so two tabs never silently overwrite each other,
and runs in one transaction with the audit entry (django-auditlog) and any task it enqueues.
Every write takes the person's lock first (profiles.locks).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core import crypto
from profiles.choices import ContactKind, ContactPreference, VerificationStatus
from profiles.codes import (
    CODE_VALID_FOR,
    CODES_WINDOW,
    MAX_CODES,
    MAX_WRONG_TRIES,
    code_matches,
)
from profiles.errors import Conflict, ContactChangeError
from profiles.locks import person_lock
from profiles.models import ContactDetail, Profile, Verification
from profiles.signals import contact_detail_changed
from profiles.tasks import (
    OLD_ADDRESS_PLACE,
    send_email_changed_notice,
    send_verification_code,
)


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: str = ""  # wrong | blocked | expired | used
    tries_left: int = 0


def _current_version(profile: Profile, kind: str) -> tuple[int, str]:
    detail = ContactDetail.objects.filter(profile=profile, kind=kind).first()
    return (detail.version, detail.value) if detail else (0, "")


@transaction.atomic
def contact_change_request(
    *, profile: Profile, kind: str, new_value: str, seen_version: int, language: str
) -> Verification:
    """Start a change of e-mail or phone: the code goes out in the background."""
    person_lock(profile)  # one code request per person at a time
    version, current = _current_version(profile, kind)
    if version != seen_version:
        raise Conflict(current=current, yours=new_value)
    if current and current == new_value:
        raise ContactChangeError("unchanged")
    now = timezone.now()
    recent = Verification.objects.filter(profile=profile, created_at__gte=now - CODES_WINDOW)
    if recent.count() >= MAX_CODES:
        raise ContactChangeError("too_many_codes")
    Verification.objects.filter(
        profile=profile, kind=kind, status=VerificationStatus.PENDING
    ).update(status=VerificationStatus.SUPERSEDED)
    verification = Verification.objects.create(
        profile=profile,
        kind=kind,
        new_value=new_value,
        base_version=version,
        expires_at=now + CODE_VALID_FOR,
    )
    send_verification_code.enqueue(verification_id=verification.pk, language=language)
    return verification


def contact_change_confirm(*, profile: Profile, verification_id: int, code: str, language: str):
    """Check the code; on success the new value replaces the old one and counts as confirmed.

    Returns a CodeCheck; raises Conflict when the item changed since the code was asked for.
    Wrong tries are counted in their own transaction, so a failed check still counts.
    """
    with transaction.atomic():
        person_lock(profile)
        verification = Verification.objects.select_for_update().get(
            pk=verification_id, profile=profile
        )
        check = _check(verification, code.strip())
        if not check.ok:
            return check
        _apply(profile, verification, language)
    return check


def _check(verification: Verification, code: str) -> CodeCheck:
    if verification.status == VerificationStatus.BLOCKED:
        return CodeCheck(False, "blocked")
    if verification.status != VerificationStatus.PENDING:
        return CodeCheck(False, "used")
    if timezone.now() >= verification.expires_at:
        return CodeCheck(False, "expired")
    if code_matches(verification, code):
        return CodeCheck(True)
    verification.attempts += 1
    if verification.attempts >= MAX_WRONG_TRIES:
        verification.status = VerificationStatus.BLOCKED
    verification.save(update_fields=["attempts", "status"])
    if verification.status == VerificationStatus.BLOCKED:
        return CodeCheck(False, "blocked")
    return CodeCheck(False, "wrong", tries_left=MAX_WRONG_TRIES - verification.attempts)


def _apply(profile: Profile, verification: Verification, language: str) -> None:
    detail = (
        ContactDetail.objects.select_for_update()
        .filter(profile=profile, kind=verification.kind)
        .first()
    )
    current_version = detail.version if detail else 0
    if current_version != verification.base_version:
        raise Conflict(current=detail.value if detail else "", yours=verification.new_value)
    old_value = detail.value if detail else ""
    now = timezone.now()
    if detail is None:
        detail = ContactDetail(profile=profile, kind=verification.kind, version=0)
    detail.value = verification.new_value
    detail.verified_at = now
    detail.version = current_version + 1
    detail.save()
    verification.status = VerificationStatus.VERIFIED
    verification.save(update_fields=["status"])
    if verification.kind == ContactKind.EMAIL and old_value:
        # The old address hears of it too: if this was not the user, they can act.
        send_email_changed_notice.enqueue(
            old_address_sealed=crypto.seal(old_value, place=OLD_ADDRESS_PLACE), language=language
        )
    contact_detail_changed.send(
        sender=ContactDetail, profile=profile, kind=detail.kind, old_value=old_value
    )


@transaction.atomic
def contact_detail_remove(*, profile: Profile, kind: str, seen_version: int) -> None:
    # The person's lock first: the preference may change at the same moment (see locks.py).
    locked = person_lock(profile)
    detail = ContactDetail.objects.select_for_update().filter(profile=profile, kind=kind).first()
    if detail is None:
        return
    if detail.version != seen_version:
        raise Conflict(current=detail.value, yours="")
    if kind == ContactKind.EMAIL and locked.contact_preference == ContactPreference.DIGITAL:
        raise ContactChangeError("email_needed_for_digital")
    detail.delete()
    contact_detail_changed.send(
        sender=ContactDetail, profile=profile, kind=kind, old_value=detail.value
    )
