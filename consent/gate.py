"""The one gate for sharing: may this organisation use these data of this person for this purpose?

Everything that hands profile data to an organisation (API reads, notification routing, staff
views) asks may_process first. It reads; it never writes. The caller logs the decision.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from consent.choices import DoelbindingStatus, LegalBasis, Reason
from consent.models import Consent, Doelbinding, Organisation
from profiles.models import Profile


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    fields: frozenset[str] = field(default_factory=frozenset)
    version_id: int | None = None


def _refuse(reason: str, version_id: int | None = None) -> Decision:
    return Decision(False, reason, frozenset(), version_id)


_LOOK_UP = object()


def may_process(
    organisation: Organisation,
    doelbinding: Doelbinding,
    profile: Profile,
    fields: set[str] | frozenset[str],
    *,
    today: date | None = None,
    consent: Consent | object | None = _LOOK_UP,
) -> Decision:
    """Yes only when every rule holds; the first rule that fails names the reason.

    Callers that check many people at once pass each person's active consent (or None) as
    `consent`, fetched in one query, instead of one query per person.
    """
    today = today or timezone.localdate()
    version = doelbinding.current_version
    version_id = version.pk if version else None
    if doelbinding.organisation_id != organisation.pk:
        return _refuse(Reason.WRONG_ORGANISATION)
    if not organisation.active:
        return _refuse(Reason.ORGANISATION_INACTIVE, version_id)
    if doelbinding.status != DoelbindingStatus.ACTIVE or version is None:
        return _refuse(Reason.NOT_ACTIVE, version_id)
    if doelbinding.valid_from and today < doelbinding.valid_from:
        return _refuse(Reason.NOT_YET_VALID, version_id)
    if doelbinding.valid_until and today > doelbinding.valid_until:
        return _refuse(Reason.EXPIRED, version_id)
    wanted = frozenset(fields)
    if not wanted or not wanted <= version.fields:
        return _refuse(Reason.FIELDS_NOT_COVERED, version_id)
    if version.legal_basis == LegalBasis.CONSENT:
        if consent is _LOOK_UP:
            consent = (
                Consent.objects.active()
                .filter(profile=profile, doelbinding=doelbinding)
                .select_related("version")
                .first()
            )
        # Consent covers what the person read: data added in a later version needs new consent.
        if consent is None or not wanted <= consent.version.fields:
            return _refuse(Reason.NO_CONSENT, version_id)
    return Decision(True, Reason.ALLOWED, wanted, version_id)
