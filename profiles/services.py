"""Writes for identities and profiles."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from profiles.models import Identity, Profile


@transaction.atomic
def profile_get_or_create(*, identity_type: str, value: str, branch: str = "") -> Profile:
    """The profile of one identity, made on first login. Safe against two logins at once."""
    identity, _created = Identity.objects.get_or_create(
        type=identity_type, value=value, branch=branch
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
