"""The profiles app's part of a download and an erasure (see profiles.rights.parts)."""

from datetime import datetime, timedelta

from auditlog.models import LogEntry
from django.conf import settings

from profiles.choices import AssuranceLevel, ContactPreference
from profiles.history.selectors import history_all, history_entries
from profiles.models import (
    ContactDetail,
    Identity,
    LoginEvent,
    PostalAddress,
    Profile,
    Terugmelding,
    Verification,
)
from profiles.rights.dates import iso
from profiles.rights.parts import PersonalDataPart


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def profile_export(profile: Profile) -> dict:
    identity = profile.identity
    address = PostalAddress.objects.filter(profile=profile).first()
    return {
        "identity": {
            "type": identity.type,
            "number": identity.value,
            "branch": identity.branch,
            "created_at": iso(identity.created_at),
        },
        "profile": {
            "name": profile.display_name,
            "language": profile.language,
            "language_label": str(profile.get_language_display()),
            "contact_preference": profile.contact_preference,
            "contact_preference_label": _label(ContactPreference, profile.contact_preference),
            "contact_preference_changed_at": iso(profile.contact_preference_changed_at),
            "created_at": iso(profile.created_at),
            "updated_at": iso(profile.updated_at),
        },
        "contact_details": [
            {
                "kind": detail.kind,
                "value": detail.value,
                "confirmed_at": iso(detail.verified_at),
                "changed_at": iso(detail.updated_at),
            }
            for detail in ContactDetail.objects.filter(profile=profile).order_by("kind")
        ],
        "codes_requested": [
            {
                "kind": verification.kind,
                "new_value": verification.new_value,
                "status": verification.status,
                "status_label": str(verification.get_status_display()),
                "created_at": iso(verification.created_at),
                "expires_at": iso(verification.expires_at),
            }
            for verification in Verification.objects.filter(profile=profile).order_by("-created_at")
        ],
        "postal_address": None
        if address is None
        else {
            "lines": address.lines,
            "country": address.country,
            "street": address.street,
            "house_number": address.house_number,
            "house_letter": address.house_letter,
            "addition": address.addition,
            "postcode": address.postcode,
            "city": address.city,
            "foreign_lines": address.foreign_lines.splitlines(),
            "changed_at": iso(address.updated_at),
        },
        "register_reports": [
            {
                "register": report.register,
                "register_label": str(report.get_register_display()),
                "item": report.item,
                "value_shown": report.shown_value,
                "note": report.note,
                "status": report.status,
                "status_label": str(report.get_status_display()),
                "reported_at": iso(report.created_at),
            }
            for report in Terugmelding.objects.filter(profile=profile).order_by("-created_at")
        ],
        "logins": [
            {
                "kind": event.kind,
                "kind_label": str(event.get_kind_display()),
                "method": event.method,
                "level": event.level,
                "level_label": _label(AssuranceLevel, event.level),
                "success": event.success,
                "at": iso(event.at),
            }
            for event in LoginEvent.objects.filter(identity_id=profile.identity_id)
        ],
        "change_history": [
            {
                "at": iso(row["when"]),
                "what": str(row["what"]),
                "old": row["old"],
                "new": row["new"],
                "by": str(row["by"]),
            }
            for row in history_all(profile)
        ],
    }


def profile_erase(profile: Profile) -> None:
    """Everything of the profile, its login shell and its identity; the audit entries too.

    The caller recorded the erasure in this transaction first: only then does the database
    guard of the audit trail let these entries go (rights migration 0002).
    """
    entry_ids = list(history_entries(profile).values_list("pk", flat=True))
    LogEntry.objects.filter(pk__in=entry_ids).delete()
    ContactDetail.objects.filter(profile=profile).delete()
    Verification.objects.filter(profile=profile).delete()
    PostalAddress.objects.filter(profile=profile).delete()
    Terugmelding.objects.filter(profile=profile).delete()
    LoginEvent.objects.filter(identity_id=profile.identity_id).delete()
    user, identity_id = profile.user, profile.identity_id
    # The person's other sessions: their user is gone, so they no longer log anyone in; the
    # one this request runs in is flushed by the view.
    profile.delete()
    user.delete()
    Identity.objects.filter(pk=identity_id).delete()


def profile_retain(now: datetime) -> dict[str, int]:
    def before(kind: str) -> datetime:
        return now - timedelta(days=settings.RETENTION[kind])

    return {
        "verifications": Verification.objects.filter(
            created_at__lt=before("verifications")
        ).delete()[0],
        "login_events": LoginEvent.objects.filter(at__lt=before("login_events")).delete()[0],
        # The database guard lets only entries past the legal minimum go (migration 0002).
        "audit_trail": LogEntry.objects.filter(timestamp__lt=before("audit_trail")).delete()[0],
    }


def profile_size(profile: Profile) -> int:
    return LoginEvent.objects.filter(identity_id=profile.identity_id).count()


PROFILE_PART = PersonalDataPart(
    name="profiles",
    export=profile_export,
    erase=profile_erase,
    size=profile_size,
    retain=profile_retain,
)
