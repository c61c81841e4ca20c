"""The request's user, its profile and identity, in one hand-written statement.

Every logged-in page loads them. The ORM's select_related with the menu's unread count cost
about 1 ms of CPU per request to build (bench/pages_cpu.py); the statement itself a tenth of
that. Column lists and value conversion come from the models (core/sql.py), so a new field
needs no change here.

Other apps add a column about the profile (notifications: the unread count for the menu)
through user_column_add in their AppConfig.ready, so profiles imports no app.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from core import sql
from profiles.models import Identity, Profile

PROFILE_ALIAS = "p"


@dataclass(frozen=True)
class UserColumn:
    attribute: str  # set on the user
    expression: str  # SQL; the profile's table is PROFILE_ALIAS, NULL for a user without one
    default: object = None  # the value when the user has no profile


_added: dict[str, UserColumn] = {}


def user_column_add(column: UserColumn) -> None:
    _added[column.attribute] = column
    _statement.cache_clear()


@cache
def _statement() -> str:
    user_model = get_user_model()
    q = sql.quote
    profile_user = q(Profile._meta.get_field("user").column)
    profile_identity = q(Profile._meta.get_field("identity").column)
    pk = q(user_model._meta.pk.column)
    identity_pk = q(Identity._meta.pk.column)
    extra = "".join(f", {column.expression}" for column in _added.values())
    return (
        f"SELECT {sql.columns(user_model, 'u')}, {sql.columns(Profile, PROFILE_ALIAS)}, "
        f"{sql.columns(Identity, 'i')}{extra} "
        f"FROM {sql.table(user_model)} u "
        f"LEFT JOIN {sql.table(Profile)} {PROFILE_ALIAS} "
        f"ON {PROFILE_ALIAS}.{profile_user} = u.{pk} "
        f"LEFT JOIN {sql.table(Identity)} i "
        f"ON i.{identity_pk} = {PROFILE_ALIAS}.{profile_identity} "
        f"WHERE u.{pk} = %s"
    )


def request_user(user_id):
    """The user with its profile (and the profile's identity) attached, or None."""
    user_model = get_user_model()
    try:  # the session keeps the id as text; the ORM converted it the same way
        user_id = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    rows = sql.fetch(_statement(), [user_id])
    if not rows:
        return None
    row = rows[0]
    user = sql.instance(user_model, row)
    start = sql.width(user_model)
    profile = sql.instance(Profile, row, start)
    start += sql.width(Profile)
    # What select_related("profile__identity") caches: no query for user.profile (None for a
    # staff user: the attribute then raises without a query), profile.user or profile.identity.
    user_model.profile.related.set_cached_value(user, profile)
    if profile is not None:
        profile.identity = sql.instance(Identity, row, start)
        Profile.user.field.set_cached_value(profile, user)
    start += sql.width(Identity)
    for offset, column in enumerate(_added.values()):
        value = row[start + offset]
        setattr(user, column.attribute, column.default if profile is None else value)
    return user
