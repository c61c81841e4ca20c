"""Test data made through the same services the portal uses, with sensible defaults."""

import itertools
from datetime import date

from consent.choices import DataField, DoelbindingStatus, LegalBasis, OrganisationKind
from consent.models import Doelbinding, Organisation
from consent.services import doelbinding_version_save
from profiles.choices import IdentityType
from profiles.services import profile_get_or_create
from profiles.validators import passes_elfproef

_oins = itertools.count(1)
_bsns = (f"{n:09d}" for n in itertools.count(100000000) if passes_elfproef(f"{n:09d}"))


def make_organisation(name: str = "Gemeente Testdorp", *, active: bool = True) -> Organisation:
    return Organisation.objects.create(
        name=name, oin=f"{next(_oins):020d}", kind=OrganisationKind.GEMEENTE, active=active
    )


def make_profile(bsn: str | None = None):
    return profile_get_or_create(identity_type=IdentityType.BSN, value=bsn or next(_bsns))


def make_doelbinding(
    organisation: Organisation,
    *,
    name: str = "Berichten over uw aanvraag",
    legal_basis: str = LegalBasis.CONSENT,
    fields: set[str] | None = None,
    status: str = DoelbindingStatus.ACTIVE,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Doelbinding:
    doelbinding = Doelbinding.objects.create(
        organisation=organisation, status=status, valid_from=valid_from, valid_until=valid_until
    )
    doelbinding_version_save(
        doelbinding=doelbinding,
        fields=fields or {DataField.EMAIL},
        name=name,
        description="Wij sturen u een e-mail als er nieuws is over uw aanvraag.",
        legal_basis=legal_basis,
        law="Algemene wet bestuursrecht, artikel 2:14"
        if legal_basis == LegalBasis.LEGAL_TASK
        else "",
        retention="Tot 1 jaar na het besluit",
    )
    return doelbinding
