"""The documented test persons a test API client reads and sends to, and nobody else.

A test client (consent.models.ApiClient.is_test, token "test_...") works against its
organisation's real purposes, but every number it names is answered from this fixed list:
any other number is unknown to it, also a real person's. The BSNs lie in 999990000-999999999,
the range the RvIG keeps for testing (never given to a person); the KvK-nummer is made up.
All pass the checks a live number must pass (elfproef, length).

Reads are built from this list in memory: no row is read. Messages need a recipient row, so
the first message to a test person makes its Profile, flagged is_test: live reads and live
messages leave flagged profiles out, and their deliveries go to a sink, never out
(notifications.delivery.batch).
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from profiles.choices import ContactKind, ContactPreference
from profiles.models import ContactDetail, Identity, PostalAddress, Profile
from profiles.sharing import Shareable

# When the test data were "confirmed" and "changed": fixed, so answers are the same every time.
FIXED_AT = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class TestPerson:
    type: str
    number: str
    name: str
    email: str
    phone: str
    street: str
    house_number: str
    postcode: str
    city: str
    consents: bool  # to every consent purpose of the organisation; False: to none

    __test__ = False  # not a pytest class

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.number, "")


TEST_PERSONS = [
    TestPerson(
        "bsn", "999990123", "Testpersoon Anna", "anna@test.example", "+31600000001",
        "Teststraat", "1", "9999XA", "Testdorp", consents=True,
    ),
    TestPerson(
        "bsn", "999990135", "Testpersoon Bram (geen toestemming)", "bram@test.example",
        "+31600000002", "Teststraat", "2", "9999XA", "Testdorp", consents=False,
    ),
    TestPerson(
        "kvk", "90000013", "Testbedrijf Cees BV", "cees@test.example", "+31600000003",
        "Proefweg", "10", "9999XB", "Testdorp", consents=True,
    ),
]  # fmt: skip
BY_KEY = {person.key: person for person in TEST_PERSONS}


def shareable_for_test_persons(keys: set[tuple]) -> dict[tuple, Shareable]:
    """What a read would find for the test persons among these keys, made in memory (no query).

    Each profile gets a negative id, so it can never be taken for a stored one."""
    found = {}
    for key in keys:
        person = BY_KEY.get(key)
        if person is None:
            continue
        index = TEST_PERSONS.index(person) + 1
        profile = Profile(
            pk=-index, is_test=True, contact_preference=ContactPreference.DIGITAL.value
        )
        found[key] = Shareable(
            identity=Identity(type=person.type, value=person.number),
            profile=profile,
            email=ContactDetail(kind=ContactKind.EMAIL, value=person.email, verified_at=FIXED_AT),
            phone=ContactDetail(kind=ContactKind.PHONE, value=person.phone, verified_at=FIXED_AT),
            postal_address=_address(person, updated_at=FIXED_AT),
        )
    return found


def _address(person: TestPerson, **extra) -> PostalAddress:
    return PostalAddress(
        country="NL",
        street=person.street,
        house_number=person.house_number,
        postcode=person.postcode,
        city=person.city,
        **extra,
    )


@transaction.atomic
def profile_for_test_person(key: tuple[str, str, str]) -> Profile | None:
    """The stored profile of a test person (made on first use, flagged is_test, with its
    confirmed test details), or None when `key` is not a test person's. Never a real one: if a
    real profile ever held a test number, the answer is None, as for an unknown number."""
    person = BY_KEY.get(key)
    if person is None:
        return None
    identity, _created = Identity.objects.get_or_create(
        lookup_key=Identity.lookup_key_for(*key),
        defaults={"type": person.type, "value": person.number, "branch": ""},
    )
    profile = Profile.objects.filter(identity=identity).first()
    if profile is not None:
        return profile if profile.is_test else None
    # Random, as for real people (profiles.services): a username says nothing about whom.
    user = get_user_model().objects.create_user(username=f"test-{secrets.token_hex(12)}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    profile = Profile.objects.create(
        identity=identity,
        user=user,
        display_name=person.name,
        contact_preference=ContactPreference.DIGITAL,
        is_test=True,
    )
    for kind, value in ((ContactKind.EMAIL, person.email), (ContactKind.PHONE, person.phone)):
        ContactDetail.objects.create(profile=profile, kind=kind, value=value, verified_at=FIXED_AT)
    _address(person, profile=profile).save()
    return profile
