"""Writes for API clients: made by one person, confirmed by another, scoped to purposes.

Four eyes: a client is usable only after a second person confirms it (someone else of the
organisation, or the portal operator), and a purpose added to it counts only once someone other
than who added it confirmed that. Each step is its own permission in the admin
(consent.clients.admin); these functions hold the rules whoever calls them.
"""

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.clients.selectors import api_client_with_organisation
from consent.models import ApiClient, ApiClientPurpose, Doelbinding, Organisation

CONFIRM_OWN = _("You made this API client yourself. Someone else must confirm it.")
CONFIRM_OUTSIDER = _(
    "Only someone of this organisation or an administrator of the website can confirm it."
)
ALREADY_CONFIRMED = _("This API client and its purposes are already confirmed.")
CONFIRM_OWN_PURPOSE = _(
    "You added the purposes that wait for confirmation yourself. Someone else must confirm them."
)
REVOKED = _("This API client is revoked.")
OTHER_ORGANISATIONS_PURPOSE = _("This purpose belongs to another organisation.")
TOKEN_ALREADY_SHOWN = _(
    "The token of this API client was already shown. Revoke it and make a new one."
)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# A test client's token starts with "test_", a live one's with "moz_": visible in any config.
LIVE, TEST = "moz", "test"


def _new_token(*, is_test: bool = False) -> tuple[str, str]:
    prefix = secrets.token_hex(6)
    return prefix, f"{TEST if is_test else LIVE}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_client_create(
    *,
    organisation: Organisation,
    name: str,
    created_by: AbstractBaseUser | None = None,
    purposes: Iterable[Doelbinding] = (),
    token_shown: bool = True,
    is_test: bool = False,
) -> tuple[ApiClient, str]:
    """A new client, not usable until someone else confirms it, and its bearer token.

    is_test: a test client, usable at once with its purposes (no four eyes: it reaches only
    the documented test persons, never a real person), its token starting with "test_".

    The token is returned once and never stored. token_shown=False: the caller throws it away
    (its user may not see tokens); api_client_token_issue makes the one to show later.
    """
    prefix, token = _new_token(is_test=is_test)
    now = timezone.now()
    client = ApiClient.objects.create(
        organisation=organisation,
        name=name,
        token_prefix=prefix,
        token_hash=_token_hash(token),
        created_by=created_by,
        token_shown_at=now if token_shown else None,
        is_test=is_test,
        confirmed_at=now if is_test else None,
    )
    for doelbinding in purposes:
        api_client_purpose_add(client=client, doelbinding=doelbinding, actor=created_by)
    return client, token


@transaction.atomic
def api_client_purpose_add(
    *, client: ApiClient, doelbinding: Doelbinding, actor: AbstractBaseUser | None
) -> ApiClientPurpose:
    """Propose one more purpose of its own organisation for the client. The API honours it
    once someone other than `actor` confirms (api_client_confirm)."""
    if doelbinding.organisation_id != client.organisation_id:
        raise ValidationError(OTHER_ORGANISATIONS_PURPOSE, code="other_organisation")
    defaults = {"added_by": actor}
    if client.is_test:
        defaults["confirmed_at"] = timezone.now()  # no four eyes for a test client
    link, _created = ApiClientPurpose.objects.get_or_create(
        api_client=client, doelbinding=doelbinding, defaults=defaults
    )
    return link


@transaction.atomic
def api_client_confirm(*, client: ApiClient, actor: AbstractBaseUser) -> ApiClient:
    """The second pair of eyes: the client (if new) and the purposes others added to it.

    From then on its token works, for those purposes. A purpose `actor` added stays waiting
    for someone else.
    """
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise ValidationError(REVOKED, code="revoked")
    operator = actor.is_superuser
    if not operator and not actor.organisations.filter(pk=client.organisation_id).exists():
        raise ValidationError(CONFIRM_OUTSIDER, code="outsider")
    waiting = client.purpose_links.filter(confirmed_at__isnull=True)
    others = waiting.exclude(added_by=actor)
    now = timezone.now()
    if client.confirmed_at is None:
        if client.created_by_id is not None and client.created_by_id == actor.pk:
            raise ValidationError(CONFIRM_OWN, code="own_client")
        client.confirmed_by = actor
        client.confirmed_at = now
        client.save(update_fields=["confirmed_by", "confirmed_at"])
    elif not others.exists():
        if waiting.exists():
            raise ValidationError(CONFIRM_OWN_PURPOSE, code="own_purpose")
        raise ValidationError(ALREADY_CONFIRMED, code="already_confirmed")
    for link in others:  # one by one, so each lands in the audit trail
        link.confirmed_by = actor
        link.confirmed_at = now
        link.save(update_fields=["confirmed_by", "confirmed_at"])
    return client


@transaction.atomic
def api_client_token_issue(*, client: ApiClient) -> str:
    """The token to show once, for a client whose maker could not see it. Only once: a lost
    token means a new client, so no one can quietly take a working token later."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise ValidationError(REVOKED, code="revoked")
    if client.token_shown_at is not None:
        raise ValidationError(TOKEN_ALREADY_SHOWN, code="token_shown")
    prefix, token = _new_token(is_test=client.is_test)
    client.token_prefix = prefix
    client.token_hash = _token_hash(token)
    client.token_shown_at = timezone.now()
    client.save(update_fields=["token_prefix", "token_hash", "token_shown_at"])
    return token


def api_client_for_token(token: str) -> ApiClient | None:
    """The client this bearer token belongs to, or None (unknown, malformed, revoked).
    Whether it is confirmed is the caller's question (config.api answers 403 when not)."""
    parts = token.split("_")
    if len(parts) < 3 or parts[0] not in (LIVE, TEST):
        return None
    client = api_client_with_organisation(parts[1])
    if client is None or not hmac.compare_digest(client.token_hash, _token_hash(token)):
        return None
    if client.is_test != (parts[0] == TEST):
        return None  # the token's kind is part of the hash anyway; said here in words
    return client


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> ApiClient:
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
    return client
