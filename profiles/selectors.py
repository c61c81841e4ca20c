"""Reads for the profile pages."""

from datetime import timedelta

import phonenumbers
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import sql
from core.dates import date_text
from core.kept_urls import reverse_kept
from profiles.choices import (
    AssuranceLevel,
    ContactKind,
    ContactPreference,
    IdentityType,
    LoginMethod,
    VerificationStatus,
)
from profiles.codes import CODES_WINDOW, MAX_CODES
from profiles.models import ContactDetail, PostalAddress, Profile, Verification

_NUMBER_LABELS = {
    IdentityType.BSN: gettext_lazy("BSN (citizen service number)"),
    IdentityType.KVK: gettext_lazy("KvK number"),
    IdentityType.RSIN: gettext_lazy("RSIN"),
    IdentityType.EIDAS: gettext_lazy("eIDAS identifier"),
}


BRANCH_NUMBER = gettext_lazy("The number of one branch of your business at the KvK.")


def login_summary(profile: Profile, login: dict) -> list[dict]:
    """Rows for 'How you are logged in': method, level and the number it is for.

    Words people may not know (level of assurance, eIDAS, branch number) get an explanation.
    """
    identity = profile.identity
    method = LoginMethod(login["method"])
    levels = ", ".join(str(level.label) for level in AssuranceLevel)
    eidas = _("Logging in from another country of the European Union.")
    number = {"key": str(_NUMBER_LABELS[identity.type]), "value": identity.value}
    if identity.type == IdentityType.EIDAS:
        number["explanation"] = _(
            "The number you got when logging in from another country of the European Union."
        )
    rows = [
        {
            "key": _("Logged in with"),
            "value": method.label,
            "explanation": eidas if method == LoginMethod.EIDAS else "",
        },
        {
            "key": _("How securely you are logged in"),
            "value": AssuranceLevel(login["level"]).label,
            "explanation": _("From low to high: %(levels)s.") % {"levels": levels},
        },
        number,
    ]
    if identity.branch:
        rows.append(
            {"key": _("Branch number"), "value": identity.branch, "explanation": BRANCH_NUMBER}
        )
    return rows


def display_phone(e164: str) -> str:
    """Dutch numbers in the national format (06 12345678), others internationally."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 31
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def _state(changed_at, verified: bool) -> str:
    if not changed_at:
        return ""
    # date_text: date_format's text at a fraction of its 16 µs (core/dates.py).
    when = date_text(timezone.localtime(changed_at), "j F Y")
    if verified:
        return _("Confirmed on %(date)s") % {"date": when}
    return _("Changed on %(date)s") % {"date": when}


def _own_rows(model, profile: Profile, more: str = "", params=()) -> list:
    rows = sql.fetch(
        f"SELECT {sql.columns(model, 't')} FROM {sql.table(model)} t "
        f"WHERE t.profile_id = %s {more}",
        [profile.pk, *params],
    )
    return [sql.instance(model, row) for row in rows]


def contact_overview(profile: Profile) -> dict:
    """Everything 'Mijn gegevens' shows of the user's own details, in three statements (core/sql.py:
    through the ORM, building them cost about 0.6 ms of CPU on the page every person opens)."""
    details = {d.kind: d for d in _own_rows(ContactDetail, profile)}
    address = next(iter(_own_rows(PostalAddress, profile)), None)  # one per profile at most
    now = connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(timezone.now())
    pending = _own_rows(
        Verification,
        profile,
        "AND t.status = %s AND t.expires_at > %s ORDER BY t.created_at DESC",
        [VerificationStatus.PENDING.value, now],
    )
    email, phone = details.get(ContactKind.EMAIL), details.get(ContactKind.PHONE)
    preference = profile.contact_preference
    rows = [
        {
            "key": _("E-mail address"),
            "value": email.value if email else "",
            "hint": _state(email.verified_at, True) if email else "",
            "action_url": reverse_kept("profiles:contact_change", "e-mailadres"),
        },
        {
            "key": _("Phone number"),
            "value": display_phone(phone.value) if phone else "",
            "hint": _state(phone.verified_at, True) if phone else "",
            "action_url": reverse_kept("profiles:contact_change", "telefoonnummer"),
        },
        {
            "key": _("Postal address"),
            "value": "\n".join(address.lines) if address else "",
            "hint": _state(address.updated_at, False) if address else "",
            "action_url": reverse_kept("profiles:address_where"),
        },
        {
            "key": _("How we contact you"),
            "value": ContactPreference(preference).label if preference else "",
            "hint": _state(profile.contact_preference_changed_at, False),
            "action_url": reverse_kept("profiles:preference"),
        },
        {
            # No change link: the language switch at the top of every page sets it.
            "key": _("Language of messages"),
            "value": profile.get_language_display(),
            "hint": _(
                "The language you use on this website. You change it at the top of the page."
            ),
        },
    ]
    return {
        "rows": rows,
        "pending": [
            {
                "kind": v.kind,
                "value": v.new_value if v.kind == ContactKind.EMAIL else display_phone(v.new_value),
                "slug": "e-mailadres" if v.kind == ContactKind.EMAIL else "telefoonnummer",
            }
            for v in pending
        ],
    }


def contact_detail_for(profile: Profile, kind: str) -> ContactDetail | None:
    return ContactDetail.objects.filter(profile=profile, kind=kind).first()


def verification_for(*, profile: Profile, kind: str, verification_id: int | None):
    """The user's own code to confirm: the one in their flow, else their newest pending one.

    Looked up with the profile, so only the user's own code can ever be confirmed. Without an
    id (a new login, via the notice on 'Mijn gegevens') the newest pending code counts.
    """
    own = Verification.objects.filter(profile=profile, kind=kind)
    if verification_id:
        return own.filter(pk=verification_id).first()
    return own.filter(status=VerificationStatus.PENDING).order_by("-created_at").first()


def next_code_allowed_at(profile: Profile):
    """When the oldest of the last MAX_CODES codes leaves the window, rounded up to a minute."""
    now = timezone.now()
    times = list(
        Verification.objects.filter(profile=profile, created_at__gte=now - CODES_WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:MAX_CODES]
    )
    at = times[-1] + CODES_WINDOW if len(times) == MAX_CODES else now
    at = timezone.localtime(at) + timedelta(seconds=59)
    return at.replace(second=0, microsecond=0)


def postal_address_for(profile: Profile) -> PostalAddress | None:
    return PostalAddress.objects.filter(profile=profile).first()


def has_confirmed_email(profile: Profile) -> bool:
    # Pages use it to explain the 'digitaal' rule early; contact_preference_update enforces it.
    return (
        ContactDetail.objects.confirmed().filter(profile=profile, kind=ContactKind.EMAIL).exists()
    )
