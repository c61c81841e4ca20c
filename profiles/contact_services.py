"""Changing contact details: e-mail and phone with a code, the postal address, the preference.

Every write checks the version the user saw, so two tabs never silently overwrite each other,
and runs in one transaction with the audit entry (django-auditlog) and any task it enqueues.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from profiles.choices import ContactKind, ContactPreference, VerificationStatus
from profiles.models import ContactDetail, PostalAddress, Profile, Terugmelding, Verification
from profiles.signals import contact_detail_changed

CODE_VALID_FOR = timedelta(minutes=15)
MAX_WRONG_TRIES = 5
MAX_CODES = 3
CODES_WINDOW = timedelta(minutes=15)


# --- outcomes the pages turn into B1 messages ----------------------------------------------


class ContactChangeError(Exception):
    """A change that cannot go ahead; `code` names why, for the page and the tests."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class Conflict(Exception):
    """The item changed since the user opened the form (another tab, another person)."""

    def __init__(self, *, current: str, yours: str):
        super().__init__("changed meanwhile")
        self.current = current
        self.yours = yours


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: str = ""  # wrong | blocked | expired | used
    tries_left: int = 0


# --- codes -------------------------------------------------------------------------------------


def _hash_code(code: str, salt: str) -> str:
    return salted_hmac("profiles.verification", f"{salt}:{code}", algorithm="sha256").hexdigest()


def verification_code_issue(*, verification: Verification) -> str:
    """Make a fresh 6-digit code, store only its salted hash, and return it for sending."""
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    verification.code_hash = f"{salt}${_hash_code(code, salt)}"
    verification.save(update_fields=["code_hash"])
    return code


def _code_matches(verification: Verification, code: str) -> bool:
    salt, _, digest = verification.code_hash.partition("$")
    return bool(digest) and constant_time_compare(_hash_code(code, salt), digest)


def _current_version(profile: Profile, kind: str) -> tuple[int, str]:
    detail = ContactDetail.objects.filter(profile=profile, kind=kind).first()
    return (detail.version, detail.value) if detail else (0, "")


@transaction.atomic
def contact_change_request(
    *, profile: Profile, kind: str, new_value: str, seen_version: int, language: str
) -> Verification:
    """Start a change of e-mail or phone: the code goes out in the background."""
    from profiles.tasks import send_verification_code  # tasks import this module

    Profile.objects.select_for_update().get(pk=profile.pk)  # one request per profile at a time
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
    if _code_matches(verification, code):
        return CodeCheck(True)
    verification.attempts += 1
    if verification.attempts >= MAX_WRONG_TRIES:
        verification.status = VerificationStatus.BLOCKED
    verification.save(update_fields=["attempts", "status"])
    if verification.status == VerificationStatus.BLOCKED:
        return CodeCheck(False, "blocked")
    return CodeCheck(False, "wrong", tries_left=MAX_WRONG_TRIES - verification.attempts)


def _apply(profile: Profile, verification: Verification, language: str) -> None:
    from profiles.tasks import send_email_changed_notice

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
        send_email_changed_notice.enqueue(old_address=old_value, language=language)
    contact_detail_changed.send(
        sender=ContactDetail, profile=profile, kind=detail.kind, old_value=old_value
    )


@transaction.atomic
def contact_detail_remove(*, profile: Profile, kind: str, seen_version: int) -> None:
    detail = ContactDetail.objects.select_for_update().filter(profile=profile, kind=kind).first()
    if detail is None:
        return
    if detail.version != seen_version:
        raise Conflict(current=detail.value, yours="")
    if (
        kind == ContactKind.EMAIL
        and Profile.objects.get(pk=profile.pk).contact_preference == ContactPreference.DIGITAL
    ):
        raise ContactChangeError("email_needed_for_digital")
    detail.delete()
    contact_detail_changed.send(
        sender=ContactDetail, profile=profile, kind=kind, old_value=detail.value
    )


# --- postal address and preference ------------------------------------------------------------


@transaction.atomic
def postal_address_update(*, profile: Profile, seen_version: int, **fields) -> PostalAddress:
    """Replace the postal address with a Dutch (BAG) or foreign one; `fields` are its columns."""
    address = PostalAddress.objects.select_for_update().filter(profile=profile).first()
    version = address.version if address else 0
    if version != seen_version:
        raise Conflict(
            current=str(address) if address else "",
            yours=" / ".join(str(v) for v in fields.values() if v),
        )
    empty = {
        "country": "NL",
        "street": "",
        "house_number": "",
        "house_letter": "",
        "addition": "",
        "postcode": "",
        "city": "",
        "foreign_lines": "",
        "bag_id": "",
    }
    if address is None:
        address = PostalAddress(profile=profile, version=0)
    for name, value in (empty | fields).items():
        setattr(address, name, value)
    address.version = version + 1
    address.full_clean(exclude=["profile"])
    address.save()
    return address


@transaction.atomic
def contact_preference_update(*, profile: Profile, preference: str, seen_version: int) -> Profile:
    locked = Profile.objects.select_for_update().get(pk=profile.pk)
    if locked.contact_preference_version != seen_version:
        raise Conflict(current=locked.get_contact_preference_display(), yours=preference)
    if (
        preference == ContactPreference.DIGITAL
        and not ContactDetail.objects.filter(
            profile=locked, kind=ContactKind.EMAIL, verified_at__isnull=False
        ).exists()
    ):
        raise ContactChangeError("email_needed_for_digital")
    locked.contact_preference = preference
    locked.contact_preference_changed_at = timezone.now()
    locked.contact_preference_version += 1
    locked.save(
        update_fields=[
            "contact_preference",
            "contact_preference_changed_at",
            "contact_preference_version",
            "updated_at",
        ]
    )
    return locked


@transaction.atomic
def terugmelding_create(
    *, profile: Profile, register: str, item: str, shown_value: str, note: str
) -> Terugmelding:
    return Terugmelding.objects.create(
        profile=profile, register=register, item=item, shown_value=shown_value, note=note
    )
