"""Reads for 'Wie mag mijn gegevens gebruiken?': the purposes in force and the person's consents.

Each function reads what its page needs in a fixed number of queries, however many
organisations, purposes or versions there are.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from consent.choices import DataField, DoelbindingStatus, LegalBasis
from consent.models import Consent, Doelbinding, DoelbindingVersion, Organisation
from profiles.models import Profile


@dataclass(frozen=True)
class Purpose:
    """A doelbinding as the person reads it: its current text and their consent (if any)."""

    doelbinding: Doelbinding
    version: DoelbindingVersion
    consent: Consent | None = None

    @property
    def organisation(self) -> Organisation:
        return self.doelbinding.organisation

    @property
    def asks_consent(self) -> bool:
        return self.version.legal_basis == LegalBasis.CONSENT

    @property
    def legal_task(self) -> bool:
        return self.version.legal_basis == LegalBasis.LEGAL_TASK

    @property
    def consent_outdated(self) -> bool:
        """Consent was given for an earlier text; it still covers only what that text said."""
        return self.consent is not None and self.consent.version_id != self.version.pk

    @property
    def data_labels(self) -> list[str]:
        # Always in the same order, so the lists on the page are easy to compare.
        used = self.version.fields
        return [field.label for field in DataField if field.value in used]


@dataclass(frozen=True)
class HistoryRow:
    consent: Consent
    # Withdrawn only because the person consented to a newer text of the same purpose.
    replaced: bool


def _in_force(today: date) -> QuerySet[Doelbinding]:
    """Active purposes of active organisations, valid today, with their versions in order."""
    return (
        Doelbinding.objects.filter(status=DoelbindingStatus.ACTIVE, organisation__active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("organisation")
        .prefetch_related(
            Prefetch("versions", queryset=DoelbindingVersion.objects.order_by("number"))
        )
        .order_by("organisation__name", "organisation_id", "pk")
    )


def _active_consents(profile: Profile) -> dict[int, Consent]:
    consents = Consent.objects.active().filter(profile=profile)
    return {consent.doelbinding_id: consent for consent in consents}


def purposes_by_organisation(profile: Profile, *, today: date | None = None) -> list[dict]:
    """[{"organisation": ..., "purposes": [Purpose, ...]}, ...] in three queries."""
    today = today or timezone.localdate()
    doelbindingen = list(_in_force(today))
    consents = _active_consents(profile) if doelbindingen else {}
    groups: dict[int, dict] = {}
    for doelbinding in doelbindingen:
        version = doelbinding.current_version
        if version is None:
            continue
        group = groups.setdefault(
            doelbinding.organisation_id,
            {"organisation": doelbinding.organisation, "purposes": []},
        )
        group["purposes"].append(Purpose(doelbinding, version, consents.get(doelbinding.pk)))
    return list(groups.values())


def purpose_open_for_consent(
    profile: Profile, doelbinding_id: int, *, today: date | None = None
) -> Purpose | None:
    """The purpose if the person can give consent to it today, else None."""
    today = today or timezone.localdate()
    doelbinding = _in_force(today).filter(pk=doelbinding_id).first()
    version = doelbinding.current_version if doelbinding else None
    if version is None or version.legal_basis != LegalBasis.CONSENT:
        return None
    consent = Consent.objects.active().filter(profile=profile, doelbinding=doelbinding).first()
    return Purpose(doelbinding, version, consent)


def active_consent(profile: Profile, doelbinding_id: int) -> Consent | None:
    """The person's consent in force for this purpose, whatever state the purpose is in now.

    A person can always withdraw, also when the organisation has stopped the purpose.
    """
    return (
        Consent.objects.active()
        .filter(profile=profile, doelbinding_id=doelbinding_id)
        .select_related("doelbinding__organisation", "version")
        .first()
    )


def consent_history(profile: Profile) -> list[HistoryRow]:
    """Every consent the person gave, newest first, in one query."""
    consents = list(
        Consent.objects.filter(profile=profile)
        .select_related("doelbinding__organisation", "version")
        .order_by("-given_at", "-pk")
    )
    # consent_give withdraws the consent to the older text at the very moment it records the
    # new one: the same purpose and the same time mean "replaced", not "withdrawn by the person".
    started = {(consent.doelbinding_id, consent.given_at) for consent in consents}
    return [
        HistoryRow(consent, (consent.doelbinding_id, consent.withdrawn_at) in started)
        for consent in consents
    ]
