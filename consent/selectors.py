"""Reads for 'Wie mag mijn gegevens gebruiken?': the purposes in force and the person's consents.

Each function reads what its page needs in a fixed number of queries, however many
organisations, purposes or versions there are.
"""

from dataclasses import dataclass
from datetime import date

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from consent.choices import DataField, DoelbindingStatus, LegalBasis, ReviewStatus
from consent.models import Consent, Doelbinding, DoelbindingVersion, Organisation
from core import sql
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


def purposes_by_organisation(profile: Profile, *, today: date | None = None) -> list[dict]:
    """[{"organisation": ..., "purposes": [Purpose, ...]}, ...] in one statement: the purposes in
    force with their organisation, newest approved text and the person's consent in force.

    Written as SQL (core/sql.py): the same read through the ORM took three queries and about
    1 ms of CPU to build them, on a page every person opens."""
    today = today or timezone.localdate()
    ops = connections[DEFAULT_DB_ALIAS].ops
    rows = sql.fetch(
        f"SELECT {sql.columns(Doelbinding, 'd')}, {sql.columns(Organisation, 'o')}, "
        f"{sql.columns(DoelbindingVersion, 'v')}, {sql.columns(Consent, 'c')} "
        f"FROM {sql.table(Doelbinding)} d "
        f"JOIN {sql.table(Organisation)} o ON o.id = d.organisation_id "
        f"JOIN {sql.table(DoelbindingVersion)} v ON v.doelbinding_id = d.id "
        f"AND v.number = (SELECT MAX(w.number) FROM {sql.table(DoelbindingVersion)} w "
        "WHERE w.doelbinding_id = d.id AND w.review_status = %s) "
        f"LEFT JOIN {sql.table(Consent)} c ON c.doelbinding_id = d.id AND c.profile_id = %s "
        "AND c.withdrawn_at IS NULL "
        "WHERE d.status = %s AND o.active = %s "
        "AND (d.valid_from IS NULL OR d.valid_from <= %s) "
        "AND (d.valid_until IS NULL OR d.valid_until >= %s) "
        "ORDER BY o.name, o.id, d.id",
        [
            ReviewStatus.APPROVED.value,
            profile.pk,
            DoelbindingStatus.ACTIVE.value,
            True,
            ops.adapt_datefield_value(today),
            ops.adapt_datefield_value(today),
        ],
    )
    organisation_at = sql.width(Doelbinding)
    version_at = organisation_at + sql.width(Organisation)
    consent_at = version_at + sql.width(DoelbindingVersion)
    groups: dict[int, dict] = {}
    for row in rows:
        doelbinding = sql.instance(Doelbinding, row)
        group = groups.setdefault(
            doelbinding.organisation_id,
            {"organisation": sql.instance(Organisation, row, organisation_at), "purposes": []},
        )
        doelbinding.organisation = group["organisation"]
        version = sql.instance(DoelbindingVersion, row, version_at)
        doelbinding.current_version_known(version)
        consent = sql.instance(Consent, row, consent_at)
        group["purposes"].append(Purpose(doelbinding, version, consent))
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
