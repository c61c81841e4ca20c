"""The history of changes ('Wijzigingen'): what changed when, and with which login method.

Read from the audit trail (django-auditlog). Entries are chosen by object: this profile's own
row, its postal address and its contact details. A removed contact detail no longer exists, so
its entries are found through the ids this profile's user has changed before (see
`_own_entries`).
"""

from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.crypto import reveal_from_audit
from profiles.choices import ContactKind, ContactPreference, LoginMethod
from profiles.models import ContactDetail, PostalAddress, Profile
from profiles.selectors import display_phone

PER_PAGE = 50
# Dutch time whatever the server runs in: the user compares it with their own clock.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The audit log stores every value as text; a missing value is the text "None".
_EMPTY = {"", "None"}
_ADDRESS_FIELDS = (
    "country",
    "street",
    "house_number",
    "house_letter",
    "addition",
    "postcode",
    "city",
    "foreign_lines",
)


def _content_types() -> tuple[ContentType, ContentType, ContentType]:
    # get_for_models caches per process: no query after the first page view.
    types = ContentType.objects.get_for_models(ContactDetail, PostalAddress, Profile)
    return types[ContactDetail], types[PostalAddress], types[Profile]


def _touched_by(user_id: int, content_type: ContentType):
    return LogEntry.objects.filter(content_type=content_type, actor_id=user_id).values("object_id")


def _own_entries(profile: Profile, detail_ids):
    """Every audit entry about this profile's data, newest first; one SQL query to run."""
    detail_ct, address_ct, profile_ct = _content_types()
    address_ids = PostalAddress.objects.filter(profile=profile).values("pk")
    own = (
        Q(content_type=detail_ct, object_id__in=detail_ids)
        | Q(content_type=address_ct, object_id__in=address_ids)
        # Removed rows are gone from their table. Their ids are still in the entries the user
        # made; only the user's own profile is ever changed under their login.
        | Q(content_type=detail_ct, object_id__in=_touched_by(profile.user_id, detail_ct))
        | Q(content_type=address_ct, object_id__in=_touched_by(profile.user_id, address_ct))
        # Creating the profile at first login changes nothing the user chose.
        | (Q(content_type=profile_ct, object_id=profile.pk) & ~Q(action=LogEntry.Action.CREATE))
    )
    return LogEntry.objects.filter(own).order_by("-timestamp", "-pk")


def _text(value) -> str:
    # Personal values are sealed in the trail (profiles/audit.py); older entries are plain.
    value = reveal_from_audit(value)
    return "" if value is None or str(value) in _EMPTY else str(value)


def _address_states(entries: list[LogEntry]) -> dict[int, tuple[str, str]]:
    """Old and new address per entry. An entry holds only the changed fields, so replay all."""
    address_ct = _content_types()[1]
    ids = {e.object_id for e in entries if e.content_type_id == address_ct.pk}
    if not ids:
        return {}
    replay = LogEntry.objects.filter(content_type=address_ct, object_id__in=ids).order_by(
        "timestamp", "pk"
    )
    states: dict[int, dict] = {}
    result = {}
    for entry in replay.only("pk", "object_id", "action", "changes"):
        before = states.get(entry.object_id, {})
        after = {} if entry.action == LogEntry.Action.DELETE else dict(before)
        if entry.action != LogEntry.Action.DELETE:
            for name, (_old, new) in (entry.changes or {}).items():
                if name in _ADDRESS_FIELDS:
                    after[name] = _text(new)
        states[entry.object_id] = after
        result[entry.pk] = (_address_text(before), _address_text(after))
    return result


def _address_text(fields: dict) -> str:
    if not any(fields.values()):
        return ""
    return ", ".join(PostalAddress(**({"country": "NL"} | fields)).lines)


def _detail_kind(entry: LogEntry, kinds: dict[int, str]) -> str:
    if entry.object_id in kinds:
        return kinds[entry.object_id]
    # A removed row: the value tells which it was (phone numbers are stored as +31...).
    old, new = (entry.changes or {}).get("value", ["", ""])
    return ContactKind.EMAIL if "@" in f"{_text(old)}{_text(new)}" else ContactKind.PHONE


def _detail_change(entry: LogEntry, kinds: dict[int, str]) -> tuple[str, str, str]:
    old, new = ((entry.changes or {}).get("value") or ["", ""])[:2]
    if _detail_kind(entry, kinds) == ContactKind.EMAIL:
        return _("E-mail address"), _text(old), _text(new)
    old, new = _text(old), _text(new)
    return (
        _("Phone number"),
        display_phone(old) if old else "",
        display_phone(new) if new else "",
    )


def _language(code) -> str:
    code = _text(code)
    return str(dict(settings.LANGUAGES).get(code, code))


def _preference(value) -> str:
    value = _text(value)
    return ContactPreference(value).label if value in ContactPreference.values else value


def _by(entry: LogEntry) -> str:
    data = entry.additional_data or {}
    method = data.get("login_method")
    if method in LoginMethod.values:
        return _("You, logged in with %(method)s") % {"method": LoginMethod(method).label}
    if data.get("actor_kind") == "staff":
        return _("An employee")
    return _("Unknown")


def history_page(profile: Profile, page_number) -> dict:
    """One page of changes, newest first, ready to show; a constant number of queries (three:
    the count, the page with each existing contact detail's kind beside it, the addresses)."""
    details = ContactDetail.objects.filter(profile=profile)
    entries = _own_entries(profile, details.values("pk")).annotate(
        detail_kind=Subquery(details.filter(pk=OuterRef("object_id")).values("kind")[:1])
    )
    page: Page = Paginator(entries, PER_PAGE).get_page(page_number)
    shown = list(page.object_list)
    detail_ct = _content_types()[0]
    kinds = {
        e.object_id: e.detail_kind
        for e in shown
        if e.content_type_id == detail_ct.pk and e.detail_kind
    }
    return {"page": page, "rows": _rows(shown, kinds)}


def history_all(profile: Profile) -> list[dict]:
    """Every change, newest first (for the download); a constant number of queries."""
    kinds = dict(ContactDetail.objects.filter(profile=profile).values_list("pk", "kind"))
    return _rows(list(_own_entries(profile, list(kinds))), kinds)


def history_entries(profile: Profile):
    """The audit entries about this person's data, and those they made: what an erasure removes.

    Entries made under the person's own login (actor) include their consents.
    """
    kinds = list(ContactDetail.objects.filter(profile=profile).values_list("pk", flat=True))
    profile_ct = _content_types()[2]
    return LogEntry.objects.filter(
        Q(pk__in=_own_entries(profile, kinds).values("pk"))
        | Q(content_type=profile_ct, object_id=profile.pk)
        | Q(actor_id=profile.user_id)
    )


def _rows(entries: list[LogEntry], kinds: dict[int, str]) -> list[dict]:
    addresses = _address_states(entries)
    detail_ct, address_ct, _profile_ct = _content_types()
    rows = []
    for entry in entries:
        if entry.content_type_id == detail_ct.pk:
            what, old, new = _detail_change(entry, kinds)
        elif entry.content_type_id == address_ct.pk:
            old, new = addresses.get(entry.pk, ("", ""))
            what = _("Postal address")
        elif "language" in (entry.changes or {}):
            old, new = (_language(code) for code in entry.changes["language"][:2])
            what = _("Language of e-mails and text messages")
        else:
            old, new = ((entry.changes or {}).get("contact_preference") or ["", ""])[:2]
            what, old, new = _("How we contact you"), _preference(old), _preference(new)
        when = timezone.localtime(entry.timestamp, AMSTERDAM)
        rows.append(
            {
                "when": when,
                "when_text": date_format(when, "j F Y, H:i"),
                "what": what,
                "old": old,
                "new": new,
                "by": _by(entry),
            }
        )
    return rows
