"""Test data made through the same services the portal uses, with sensible defaults."""

import itertools
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from consent.choices import (
    DataField,
    DoelbindingStatus,
    LegalBasis,
    OrganisationKind,
    ReviewStatus,
)
from consent.clients.services import api_client_confirm, api_client_purpose_add
from consent.models import ApiClient, Doelbinding, DoelbindingVersion, Organisation
from consent.review.services import proposal_approve
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
    approved: bool = True,
    for_clients: bool = True,
) -> Doelbinding:
    """A purpose with one text, by default approved by a reviewer and usable by every API
    client its organisation has so far (four eyes and client scoping have their own tests)."""
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
        law_url=AWB_2_14 if legal_basis == LegalBasis.LEGAL_TASK else "",
        retention="Tot 1 jaar na het besluit",
    )
    if approved:
        approve(doelbinding.versions.get())
    if for_clients:
        for client in ApiClient.objects.filter(organisation=organisation):
            api_client_purpose_add(client=client, doelbinding=doelbinding, actor=None)
            if client.confirmed_at is not None:  # else confirmed with the client, later
                api_client_confirm(client=client, actor=make_confirmer())
    return doelbinding


AWB_2_14 = "https://wetten.overheid.nl/BWBR0005537/2024-01-01#Hoofdstuk2_Artikel2:14"


def make_reviewer(username: str = "toetser"):
    """Privacy staff of the portal operator: may approve purpose texts."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True}
    )
    if created:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="consent", codename="review_doelbindingproposal"
            )
        )
    return get_user_model().objects.get(pk=user.pk)  # fresh: no stale permission cache


def approve(version: DoelbindingVersion) -> DoelbindingVersion:
    return proposal_approve(version=version, reviewer=make_reviewer(), reason="In orde.")


def make_confirmer(username: str = "tweede-paar-ogen"):
    """An administrator of the portal who confirms API clients in tests (the operator)."""
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def approved_version_save(**kwargs) -> DoelbindingVersion:
    """A new text, proposed and at once approved by a reviewer: the text in force from now on."""
    version = doelbinding_version_save(**kwargs)
    if version.review_status == ReviewStatus.PROPOSED:
        approve(version)
        version.refresh_from_db()
    return version
