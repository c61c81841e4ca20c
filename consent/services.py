"""Writes for doelbindingen and consent. Consent is only ever given or withdrawn by the person.

Staff of an organisation write versions as proposals; consent.review.services decides on them.
API clients have their own services (consent.clients.services).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.choices import DataField, DoelbindingStatus, LegalBasis, ReviewStatus
from consent.clients.services import api_client_create, api_client_for_token, api_client_revoke
from consent.models import Consent, Doelbinding, DoelbindingVersion
from consent.review.law import validate_law_url
from profiles.locks import person_lock
from profiles.models import Profile

__all__ = [
    "api_client_create",  # kept here for the callers from before consent.clients
    "api_client_for_token",
    "api_client_revoke",
]

NO_DATA_CHOSEN = _("Choose at least one kind of data this purpose may use.")
LAW_NEEDED = _("Name the law and article that give this legal task.")
NOT_OPEN_FOR_CONSENT = _("You cannot give consent for this purpose (any more).")
NOT_APPROVED_YET = _(
    "This purpose has no approved text yet. A reviewer of the website must approve it first."
)

_VERSIONED = ("name", "description", "legal_basis", "law", "law_url", "retention")


@transaction.atomic
def doelbinding_version_save(
    *,
    doelbinding: Doelbinding,
    fields: set[str],
    author: AbstractBaseUser | None = None,
    **text,
) -> DoelbindingVersion:
    """Propose a new version when the text or the data changed; otherwise keep what is there.

    Versions are never edited: a consent always points at exactly what the person read. A new
    version is a proposal (four eyes): nobody uses it until a reviewer approves it, and it
    replaces a proposal that was still waiting. The same text as the approved version or the
    waiting proposal makes nothing new.
    """
    if not fields:
        raise ValidationError(NO_DATA_CHOSEN, code="no_data")
    if text.get("legal_basis") == LegalBasis.LEGAL_TASK:
        if not text.get("law"):
            raise ValidationError(LAW_NEEDED, code="law_needed")
        validate_law_url(text.get("law_url", ""))
    flags = {
        "uses_email": DataField.EMAIL in fields,
        "uses_phone": DataField.PHONE in fields,
        "uses_postal_address": DataField.POSTAL_ADDRESS in fields,
        "uses_contact_preference": DataField.CONTACT_PREFERENCE in fields,
    }
    values = {name: text.get(name, "") for name in _VERSIONED} | flags
    Doelbinding.objects.select_for_update().get(pk=doelbinding.pk)
    # The text in force (the newest approved) and the proposal waiting: an older approved text
    # is no longer in force, so going back to it is a new proposal.
    in_force = (
        doelbinding.versions.filter(review_status=ReviewStatus.APPROVED).order_by("-number").first()
    )
    waiting = doelbinding.versions.filter(review_status=ReviewStatus.PROPOSED).first()
    for kept in (waiting, in_force):
        if kept is not None and all(getattr(kept, k) == v for k, v in values.items()):
            return kept
    proposals_withdrawn(doelbinding)
    number = (doelbinding.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DoelbindingVersion(
        doelbinding=doelbinding,
        number=number,
        review_status=ReviewStatus.PROPOSED,
        proposed_by=author,
        **values,
    )
    version.full_clean()
    version.save()
    return version


def proposals_withdrawn(doelbinding: Doelbinding) -> None:
    """The organisation takes back a text that waits for review: it is never used."""
    for waiting in doelbinding.versions.filter(review_status=ReviewStatus.PROPOSED):
        waiting.review_status = ReviewStatus.WITHDRAWN
        waiting.decided_at = timezone.now()
        waiting.save(update_fields=["review_status", "decided_at"])


@transaction.atomic
def doelbinding_activate(*, doelbinding: Doelbinding) -> Doelbinding:
    """The organisation starts using a purpose: only with a text a reviewer approved."""
    if not doelbinding.versions.filter(review_status=ReviewStatus.APPROVED).exists():
        raise ValidationError(NOT_APPROVED_YET, code="not_approved")
    doelbinding.status = DoelbindingStatus.ACTIVE
    doelbinding.withdrawn_reason = ""
    doelbinding.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    return doelbinding


@transaction.atomic
def doelbinding_withdraw(*, doelbinding: Doelbinding, reason: str) -> Doelbinding:
    """Stops at once, without review: stopping never needs four eyes, starting does."""
    proposals_withdrawn(doelbinding)
    doelbinding.status = DoelbindingStatus.WITHDRAWN
    doelbinding.withdrawn_reason = reason
    doelbinding.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    return doelbinding


@transaction.atomic
def consent_give(*, profile: Profile, doelbinding: Doelbinding, version_id: int) -> Consent:
    """The person consents to the version they were shown (version_id), if it is still current.

    A consent to an older version is replaced: the person has now read the new text.
    Locks in the written order (profiles.locks): the person, then the purpose, then consent.
    """
    person_lock(profile)
    locked = Doelbinding.objects.select_for_update().get(pk=doelbinding.pk)
    current = (
        locked.versions.filter(review_status=ReviewStatus.APPROVED).order_by("-number").first()
    )
    if (
        locked.status != DoelbindingStatus.ACTIVE
        or current is None
        or current.pk != version_id
        or current.legal_basis != LegalBasis.CONSENT
    ):
        raise ValidationError(NOT_OPEN_FOR_CONSENT, code="not_open")
    now = timezone.now()
    active = Consent.objects.active().filter(profile=profile, doelbinding=locked).first()
    if active and active.version_id == current.pk:
        return active
    if active:
        active.withdrawn_at = now
        active.save(update_fields=["withdrawn_at"])
    return Consent.objects.create(
        profile=profile, doelbinding=locked, version=current, given_at=now
    )


@transaction.atomic
def consent_withdraw(*, profile: Profile, doelbinding: Doelbinding) -> Consent | None:
    """Withdrawal takes effect at once: may_process refuses from this moment on.

    The person's lock first (profiles.locks): an intake for this person either committed its
    deliveries before, or routes after the withdrawal and sees it.
    """
    person_lock(profile)
    active = (
        Consent.objects.active()
        .select_for_update()
        .filter(profile=profile, doelbinding=doelbinding)
        .first()
    )
    if active is None:
        return None
    active.withdrawn_at = timezone.now()
    active.save(update_fields=["withdrawn_at"])
    return active
