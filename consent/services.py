"""Writes for doelbindingen and consent. Consent is only ever given or withdrawn by the person."""

import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.api.selectors import api_client_with_organisation
from consent.choices import DataField, DoelbindingStatus, LegalBasis
from consent.models import ApiClient, Consent, Doelbinding, DoelbindingVersion
from profiles.locks import person_lock
from profiles.models import Profile

NO_DATA_CHOSEN = _("Choose at least one kind of data this purpose may use.")
LAW_NEEDED = _("Name the law and article that give this legal task.")
NOT_OPEN_FOR_CONSENT = _("You cannot give consent for this purpose (any more).")

_VERSIONED = ("name", "description", "legal_basis", "law", "law_url", "retention")


@transaction.atomic
def doelbinding_version_save(
    *, doelbinding: Doelbinding, fields: set[str], **text
) -> DoelbindingVersion:
    """Make a new version when the text or the data changed; otherwise keep the current one.

    Versions are never edited: a consent always points at exactly what the person read.
    """
    if not fields:
        raise ValidationError(NO_DATA_CHOSEN, code="no_data")
    if text.get("legal_basis") == LegalBasis.LEGAL_TASK and not text.get("law"):
        raise ValidationError(LAW_NEEDED, code="law_needed")
    flags = {
        "uses_email": DataField.EMAIL in fields,
        "uses_phone": DataField.PHONE in fields,
        "uses_postal_address": DataField.POSTAL_ADDRESS in fields,
        "uses_contact_preference": DataField.CONTACT_PREFERENCE in fields,
    }
    values = {name: text.get(name, "") for name in _VERSIONED} | flags
    Doelbinding.objects.select_for_update().get(pk=doelbinding.pk)
    current = doelbinding.versions.order_by("-number").first()
    if current and all(getattr(current, k) == v for k, v in values.items()):
        return current
    number = (doelbinding.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DoelbindingVersion(doelbinding=doelbinding, number=number, **values)
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def doelbinding_activate(*, doelbinding: Doelbinding) -> Doelbinding:
    if not doelbinding.versions.exists():
        raise ValidationError(NO_DATA_CHOSEN, code="no_version")
    doelbinding.status = DoelbindingStatus.ACTIVE
    doelbinding.withdrawn_reason = ""
    doelbinding.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    return doelbinding


@transaction.atomic
def doelbinding_withdraw(*, doelbinding: Doelbinding, reason: str) -> Doelbinding:
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
    current = locked.versions.order_by("-number").first()
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


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_client_create(*, organisation, name: str) -> tuple[ApiClient, str]:
    """A new client and its bearer token. The token is returned once and never stored."""
    prefix = secrets.token_hex(6)
    token = f"moz_{prefix}_{secrets.token_urlsafe(32)}"
    client = ApiClient.objects.create(
        organisation=organisation, name=name, token_prefix=prefix, token_hash=_token_hash(token)
    )
    return client, token


def api_client_for_token(token: str) -> ApiClient | None:
    """The active client this bearer token belongs to, or None (unknown, malformed, revoked)."""
    parts = token.split("_")
    if len(parts) < 3 or parts[0] != "moz":
        return None
    client = api_client_with_organisation(parts[1])
    if client is None or not hmac.compare_digest(client.token_hash, _token_hash(token)):
        return None
    return client


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> ApiClient:
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
    return client
