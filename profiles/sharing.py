"""What an organisation could receive of a profile: its confirmed details only.

Read for the organisation API in one SQL statement for any number of identifiers (core/sql.py
says why it is SQL). The caller decides with consent.gate.may_process which parts leave.
"""

from dataclasses import dataclass

from core import sql
from profiles.choices import ContactKind
from profiles.models import ContactDetail, Identity, PostalAddress, Profile


@dataclass(frozen=True)
class Shareable:
    identity: Identity
    profile: Profile
    email: ContactDetail | None
    phone: ContactDetail | None
    postal_address: PostalAddress | None

    @property
    def contact_preference(self) -> str | None:
        return self.profile.contact_preference or None


def shareable_by_identity(keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], Shareable]:
    """Per (type, number, branch) that has a profile: the profile and its confirmed details."""
    if not keys:
        return {}
    ordered = sorted(keys)  # the same statement text for the same numbers
    details_table, address_table = sql.table(ContactDetail), sql.table(PostalAddress)
    # ContactDetail.objects.confirmed() in SQL: only a detail with a confirmation time.
    confirmed = "{0}.profile_id = p.id AND {0}.kind = %s AND {0}.verified_at IS NOT NULL"
    statement = (
        f"SELECT {sql.columns(Identity, 'i')}, {sql.columns(Profile, 'p')}, "
        f"{sql.columns(ContactDetail, 'e')}, {sql.columns(ContactDetail, 't')}, "
        f"{sql.columns(PostalAddress, 'a')} "
        f"FROM {sql.table(Identity)} i JOIN {sql.table(Profile)} p ON p.identity_id = i.id "
        f"LEFT JOIN {details_table} e ON {confirmed.format('e')} "
        f"LEFT JOIN {details_table} t ON {confirmed.format('t')} "
        f"LEFT JOIN {address_table} a ON a.profile_id = p.id "
        # The numbers are encrypted: the identity is found by its unique blind index.
        f"WHERE i.lookup_key IN ({', '.join(['%s'] * len(ordered))})"
    )
    lookup_keys = [Identity.lookup_key_for(*key) for key in ordered]
    params = [ContactKind.EMAIL.value, ContactKind.PHONE.value, *lookup_keys]
    rows = sql.fetch(statement, params)
    found = {}
    for row in rows:
        start = 0
        parts = []
        for model in (Identity, Profile, ContactDetail, ContactDetail, PostalAddress):
            parts.append(sql.instance(model, row, start))
            start += sql.width(model)
        identity, profile, email, phone, address = parts
        profile.identity = identity
        found[(identity.type, identity.value, identity.branch)] = Shareable(
            identity, profile, email, phone, address
        )
    return found
