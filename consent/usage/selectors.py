"""Reads for 'Wie heeft mijn gegevens gebruikt?': the processing log, as the person reads it.

The log only knows a person by the keyed hash of their identity, so the person's records are
found by computing that same hash; nobody else's records can match it. One page costs the same
few queries however many records there are.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import DateTimeField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.choices import DataField, LegalBasis, Outcome, Reason
from consent.ldv import pseudonym_for
from consent.models import Organisation, ProcessingRecord
from profiles.models import Profile
from profiles.rights.erase import erased_since

PER_PAGE = 50
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

GIVEN_BY_LAW = _("The organisation received your details. The law allows this.")
GIVEN_WITH_CONSENT = _("The organisation received your details. You had given consent for this.")
GIVEN = _("The organisation received your details.")
# Why a request was refused, in words the person understands. The API answers these codes.
REFUSAL_EXPLANATIONS = {
    Reason.NO_CONSENT: _(
        "You had not given consent. The organisation did not receive any details."
    ),
    Reason.WRONG_ORGANISATION: _(
        "The organisation used a purpose of another organisation. "
        "The organisation did not receive any details."
    ),
    Reason.ORGANISATION_INACTIVE: _(
        "The organisation was not allowed to use this website at that time. "
        "The organisation did not receive any details."
    ),
    Reason.NOT_ACTIVE: _(
        "The purpose was not in use at that time. The organisation did not receive any details."
    ),
    Reason.NOT_YET_VALID: _(
        "The purpose did not apply yet on that day. The organisation did not receive any details."
    ),
    Reason.EXPIRED: _(
        "The purpose no longer applied on that day. The organisation did not receive any details."
    ),
    Reason.FIELDS_NOT_COVERED: _(
        "The organisation asked for details that it may not use for this purpose. "
        "The organisation did not receive any details."
    ),
    Reason.PURPOSE_NOT_FOR_CLIENT: _(
        "The organisation used a system that may not ask for details for this purpose. "
        "The organisation did not receive any details."
    ),
    Reason.DAILY_VOLUME_EXCEEDED: _(
        "The organisation asked for too many people on one day. "
        "The organisation did not receive any details."
    ),
    # Written when the person deleted all their details (consent.personal_data).
    Reason.ERASED: _(
        "You deleted your details. So your consent ended. "
        "The organisation did not receive any details."
    ),
    # Written when nobody with this number had a profile yet (consent.api.endpoints).
    Reason.NOT_FOUND: _(
        "At that time you had no details on this website. "
        "The organisation did not receive any details."
    ),
}
REFUSED = _("The organisation did not receive any details.")
# The result column: one short line per kind of record.
RESULT_GIVEN, RESULT_REFUSED = _("Details given"), _("No details given")
RESULT_LOOKED_AT = _("Details looked at")
DATA_LABELS = {
    DataField.EMAIL: _("e-mail address"),
    DataField.PHONE: _("phone number"),
    DataField.POSTAL_ADDRESS: _("postal address"),
    DataField.CONTACT_PREFERENCE: _("how you want to receive messages: by post or online"),
}
# A staff view in the admin (consent.receivers): who looked, and what the page showed.
STAFF = _("Administrators of this website")
STAFF_PURPOSE = _("Running this website")
STAFF_LOOKED = _(
    "An administrator of this website looked at your details. "
    "For example to answer a question from you, or to solve a problem."
)
STAFF_DATA_LABELS = {
    "identity": _("your BSN, RSIN or KvK-nummer"),
    "name": _("name"),
    DataField.CONTACT_PREFERENCE.value: DATA_LABELS[DataField.CONTACT_PREFERENCE],
    "language": _("language for messages"),
    "logins": _("when and how you logged in"),
    "register_report": _("what you reported about the details from a register"),
}


# The person's own download of everything (profiles.rights, consent.receivers).
YOU = _("You")
YOU_PURPOSE = _("Downloading all your details")
YOU_DATA = _("all details we keep about you")
RESULT_DOWNLOADED = _("Details downloaded")
YOU_DOWNLOADED = _("You downloaded all details we keep about you.")


@dataclass(frozen=True)
class UsageRow:
    record: ProcessingRecord

    @property
    def when(self) -> datetime:
        return timezone.localtime(self.record.started_at, AMSTERDAM)

    @property
    def by_staff(self) -> bool:
        return bool(self.record.staff_member)

    @property
    def by_you(self) -> bool:
        return self.record.reason == Reason.SUBJECT_DOWNLOAD

    @property
    def organisation_name(self) -> str:
        if self.by_you:
            return YOU
        return STAFF if self.by_staff else self.record.organisation.name

    @property
    def purpose(self) -> str:
        if self.by_you:
            return YOU_PURPOSE
        if self.by_staff:
            return STAFF_PURPOSE
        version = self.record.doelbinding_version
        return version.name if version else ""

    @property
    def given(self) -> bool:
        return self.record.outcome == Outcome.ALLOWED

    @property
    def data_labels(self) -> list[str]:
        # In the same order as on 'Wie mag mijn gegevens gebruiken?', whatever the log says.
        used = set(filter(None, self.record.fields.split(",")))
        if self.by_you:
            return [YOU_DATA]
        if self.by_staff:
            return [label for field, label in STAFF_DATA_LABELS.items() if field in used]
        return [DATA_LABELS[field] for field in DataField if field.value in used]

    @property
    def result(self) -> str:
        if self.by_you:
            return RESULT_DOWNLOADED
        if self.by_staff:
            return RESULT_LOOKED_AT
        return RESULT_GIVEN if self.given else RESULT_REFUSED

    @property
    def explanation(self) -> str:
        if self.by_you:
            return YOU_DOWNLOADED
        if self.by_staff:
            return STAFF_LOOKED
        if not self.given:
            return REFUSAL_EXPLANATIONS.get(self.record.reason, REFUSED)
        version = self.record.doelbinding_version
        if version is None:
            return GIVEN
        if version.legal_basis == LegalBasis.CONSENT:
            return GIVEN_WITH_CONSENT
        return GIVEN_BY_LAW


@dataclass(frozen=True)
class UsagePage:
    page: Page
    rows: list[UsageRow]
    organisations: list[Organisation]
    organisation: Organisation | None


def _own_records(profile: Profile):
    """The person's records since their last erasure: who erased and came back starts empty.

    The erasure is a subquery of the same statement, so it costs no query of its own.
    """
    erased = Coalesce(
        Subquery(erased_since(profile.identity)), Value(NEVER, output_field=DateTimeField())
    )
    return ProcessingRecord.objects.filter(
        subject_pseudonym=pseudonym_for(profile.identity), started_at__gt=erased
    )


def usage_rows_all(profile: Profile) -> list[UsageRow]:
    """Every record of the person, newest first (for the download): one query."""
    records = _own_records(profile).select_related("organisation", "doelbinding_version")
    return [UsageRow(record) for record in records.order_by("-started_at", "-pk")]


def usage_organisations(profile: Profile) -> list[Organisation]:
    """The organisations that appear in the person's records, by name: one query."""
    organisation_ids = _own_records(profile).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=organisation_ids).order_by("name", "pk"))


def usage_page(
    profile: Profile,
    *,
    organisations: list[Organisation],
    organisation_id: int | None = None,
    page_number=None,
) -> UsagePage:
    """One page of the person's records, newest first, optionally of one organisation.

    organisation_id must be one of `organisations` (the filter form checks that): this way an
    id from the address bar can only narrow the person's own records, never widen them.
    """
    chosen = next((o for o in organisations if o.pk == organisation_id), None)
    records = _own_records(profile)
    if chosen is not None:
        records = records.filter(organisation=chosen)
    records = records.select_related("organisation", "doelbinding_version").order_by(
        "-started_at", "-pk"
    )
    page = Paginator(records, PER_PAGE).get_page(page_number)
    return UsagePage(page, [UsageRow(r) for r in page.object_list], organisations, chosen)
