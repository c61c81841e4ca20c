"""Writes for identities and profiles."""

import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from core.request_context import current_request_id
from profiles.models import Identity, LoginEvent, Profile

logger = logging.getLogger(__name__)


@transaction.atomic
def profile_get_or_create(*, identity_type: str, value: str, branch: str = "") -> Profile:
    """The profile of one identity, made on first login. Safe against two logins at once."""
    identity, _created = Identity.objects.get_or_create(
        lookup_key=Identity.lookup_key_for(identity_type, value, branch),
        defaults={"type": identity_type, "value": value, "branch": branch},
    )
    try:
        return Profile.objects.select_related("identity", "user").get(identity=identity)
    except Profile.DoesNotExist:
        pass
    # The username is random on purpose: it must say nothing about who this is.
    user = get_user_model().objects.create_user(username=f"p-{secrets.token_hex(12)}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return Profile.objects.create(identity=identity, user=user)


def profile_language_set(*, profile: Profile, language: str) -> Profile:
    """Remember the language the person uses the portal in: e-mail and SMS come in it.

    Called when the person switches language and at login. Writes only when the language
    changes, so a login in the same language costs no query. A language the portal does not
    offer is ignored, as the language middleware ignores it.
    """
    if language == profile.language or language not in dict(settings.LANGUAGES):
        return profile
    profile.language = language
    profile.save(update_fields=["language", "updated_at"])
    return profile


def pseudonymise(value: str) -> str:
    """A keyed hash: the same person gets the same pseudonym, nobody can reverse it."""
    if not value:
        return ""
    digest = hmac.new(settings.PSEUDONYM_KEY.encode(), value.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def login_event_record(
    *,
    kind: str,
    method: str = "",
    level: str = "",
    identity: Identity | None = None,
    acting_person: str = "",
    success: bool = True,
    reason: str = "",
) -> LoginEvent:
    """Audit one login, failed login, step-up, logout or expiry; the acting person pseudonymised."""
    event = LoginEvent.objects.create(
        kind=kind,
        method=method,
        level=level,
        identity=identity,
        acting_person=pseudonymise(acting_person),
        success=success,
        reason=reason,
        request_id=current_request_id(),
    )
    logger.info(
        "login event",
        extra={
            "event": kind,
            "method": method,
            "level": level,
            "success": success,
            "reason": reason,
        },
    )
    return event
