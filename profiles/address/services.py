"""Changing the postal address: a Dutch one from the BAG, or one abroad."""

from django.db import transaction

from profiles.errors import Conflict
from profiles.locks import person_lock
from profiles.models import PostalAddress, Profile


@transaction.atomic
def postal_address_update(*, profile: Profile, seen_version: int, **fields) -> PostalAddress:
    """Replace the postal address with a Dutch (BAG) or foreign one; `fields` are its columns."""
    person_lock(profile)
    address = PostalAddress.objects.select_for_update().filter(profile=profile).first()
    version = address.version if address else 0
    if version != seen_version:
        raise Conflict(
            current=str(address) if address else "",
            yours=" / ".join(str(v) for v in fields.values() if v),
        )
    empty = {
        "country": "NL",
        "street": "",
        "house_number": "",
        "house_letter": "",
        "addition": "",
        "postcode": "",
        "city": "",
        "foreign_lines": "",
        "bag_id": "",
    }
    if address is None:
        address = PostalAddress(profile=profile, version=0)
    for name, value in (empty | fields).items():
        setattr(address, name, value)
    address.version = version + 1
    address.full_clean(exclude=["profile"])
    address.save()
    return address
