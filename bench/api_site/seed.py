"""Test data for the API benchmark: one organisation with a legal-task purpose, and N profiles.

The organisation side goes through the consent services. The profiles are written with SQL
(COPY and INSERT ... SELECT), which the brief allows for speed: a million profiles through the
ORM would take most of the time budget. Every profile has a confirmed e-mail address and phone.
"""

import contextlib
import random
import time

from django.db import DatabaseError, connection

from bench.four_eyes import client_confirmed, purpose_in_force
from consent.choices import DataField, LegalBasis, OrganisationKind
from consent.models import Organisation
from core import crypto
from profiles.choices import ContactKind, IdentityType
from profiles.models import ContactDetail, Identity, Profile
from profiles.validators import passes_elfproef

_IDENTITY_PLACE = Identity._meta.get_field("value").place
_DETAIL_PLACE = ContactDetail._meta.get_field("value").place
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
_FIRST_PREFIX = 10_000_000  # 8-digit prefixes from here; the check digit makes the 9th


def bsn_for_prefix(prefix: int) -> str | None:
    """The one BSN with these first 8 digits, or None when no check digit passes the elfproef."""
    digits = f"{prefix:08d}"
    check = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    return None if check == 10 else f"{digits}{check}"


_known: list[str] = []  # the sequence so far: growing and sampling need it more than once


def bsns(count: int) -> list[str]:
    """The first `count` BSNs of a fixed sequence: profile n always has the same number."""
    prefix = _FIRST_PREFIX + (int(_known[-1][:8]) - _FIRST_PREFIX + 1 if _known else 0)
    new = []
    while len(_known) + len(new) < count:
        bsn = bsn_for_prefix(prefix)
        if bsn is not None:
            new.append(bsn)
        prefix += 1
    # Cheap next to the inserts, and a wrong BSN would turn every read into a 400.
    assert all(passes_elfproef(b) for b in new)
    _known.extend(new)
    return _known[:count]


def organisation_setup() -> tuple[int, str]:
    """An active organisation, an active legal-task purpose for e-mail and phone, and a token."""
    organisation = Organisation.objects.create(
        name="Gemeente Benchdorp", oin="00000001234567890000", kind=OrganisationKind.GEMEENTE
    )
    doelbinding = purpose_in_force(
        organisation,
        fields={DataField.EMAIL, DataField.PHONE},
        name="Berichten over uw aanvraag",
        description="Wij sturen u bericht als er nieuws is over uw aanvraag.",
        legal_basis=LegalBasis.LEGAL_TASK,
        law="Algemene wet bestuursrecht, artikel 2:14",
        retention="Tot 1 jaar na het besluit",
    )
    return doelbinding.pk, client_confirmed(organisation, [doelbinding])


def profile_count() -> int:
    return Profile.objects.count()


def profiles_grow(to: int) -> float:
    """Add profiles until there are `to`; return the seconds it took (inserts and VACUUM)."""
    started = time.perf_counter()
    have = profile_count()
    if to <= have:
        return 0.0
    numbers = bsns(to)[have:]
    identity, profile = Identity._meta.db_table, Profile._meta.db_table
    detail, user = ContactDetail._meta.db_table, "auth_user"
    # S608 below: the table names come from the models' own metadata, never from input.
    with connection.cursor() as cursor:
        # Only this loading session; the server under test keeps its normal durability.
        cursor.execute("SET synchronous_commit = off")
        # The numbers, addresses and their blind indexes are sealed here, as the portal stores
        # them (core.crypto): SQL cannot encrypt, so each row is made in Python first.
        cursor.execute(
            "CREATE TEMP TABLE bench_new (n bigint PRIMARY KEY, lookup_key text NOT NULL, "
            "number_index text NOT NULL, bsn text NOT NULL, kind text NOT NULL, "
            "value text NOT NULL, value_index text NOT NULL)"
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_detail (n bigint, kind text, value text, value_index text)"
        )
        with cursor.cursor.copy(
            "COPY bench_new (n, lookup_key, number_index, bsn, kind, value, value_index) FROM STDIN"
        ) as copy:
            for n, bsn in enumerate(numbers, start=have):
                email = f"persoon{n}@voorbeeld.nl"
                copy.write_row(
                    (
                        n,
                        Identity.lookup_key_for(IdentityType.BSN, bsn),
                        Identity.number_index_for(bsn),
                        crypto.seal(bsn, place=_IDENTITY_PLACE),
                        ContactKind.EMAIL.value,
                        crypto.seal(email, place=_DETAIL_PLACE),
                        ContactDetail.value_index_for(ContactKind.EMAIL, email),
                    )
                )
        with cursor.cursor.copy(
            "COPY bench_detail (n, kind, value, value_index) FROM STDIN"
        ) as copy:
            for n in range(have, have + len(numbers)):
                phone = f"+316{n % 100_000_000:08d}"
                copy.write_row(
                    (
                        n,
                        ContactKind.PHONE.value,
                        crypto.seal(phone, place=_DETAIL_PLACE),
                        ContactDetail.value_index_for(ContactKind.PHONE, phone),
                    )
                )
        cursor.execute("INSERT INTO bench_detail SELECT n, kind, value, value_index FROM bench_new")
        cursor.execute("ANALYZE bench_new")
        cursor.execute(
            f"""INSERT INTO {user} (password, is_superuser, username, first_name, last_name,
                    email, is_staff, is_active, date_joined)
                SELECT '!', false, 'p-bench-' || n, '', '', '', false, true, now()
                FROM bench_new"""  # noqa: S608
        )
        cursor.execute(
            f"""INSERT INTO {identity} (type, value, branch, lookup_key, number_index, created_at)
                SELECT %s, bsn, '', lookup_key, number_index, now() FROM bench_new""",  # noqa: S608
            [IdentityType.BSN.value],
        )
        cursor.execute(
            f"""INSERT INTO {profile} (identity_id, user_id, display_name, contact_preference,
                    contact_preference_version, language, is_test, created_at, updated_at)
                SELECT i.id, u.id, '', 'digitaal', 0, 'nl', false, now(), now()
                FROM bench_new b
                JOIN {identity} i ON i.lookup_key = b.lookup_key
                JOIN {user} u ON u.username = 'p-bench-' || b.n""",  # noqa: S608
        )
        cursor.execute(
            f"""INSERT INTO {detail} (profile_id, kind, value, value_index, verified_at, version,
                    updated_at)
                SELECT p.id, d.kind, d.value, d.value_index, now(), 1, now()
                FROM bench_detail d
                JOIN bench_new b ON b.n = d.n
                JOIN {identity} i ON i.lookup_key = b.lookup_key
                JOIN {profile} p ON p.identity_id = i.id""",  # noqa: S608
        )
        cursor.execute("DROP TABLE bench_detail")
        cursor.execute("DROP TABLE bench_new")
        # VACUUM as well: otherwise autovacuum takes up the fresh million rows in the middle of
        # a measurement (seen: the read 25 % slower at a million, only in those runs).
        for table in (user, identity, profile, detail):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("SET synchronous_commit = on")
        # Flush the loading's dirty pages now, not in the middle of a measurement. It needs a
        # superuser (or pg_checkpoint); without one the flush may land in a measurement.
        with contextlib.suppress(DatabaseError):
            cursor.execute("CHECKPOINT")
    assert profile_count() == to
    return time.perf_counter() - started


def sample_bsns(size: int, k: int, seed: int) -> list[str]:
    """k numbers drawn evenly from all `size` profiles, so the reads touch the whole table."""
    everyone = bsns(size)
    return random.Random(seed).sample(everyone, min(k, size))
