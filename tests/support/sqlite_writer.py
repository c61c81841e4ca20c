"""One of several processes that write to the same SQLite file at once, as browser tabs do.

    python -m tests.support.sqlite_writer <bsn> <rounds>

Each round asks for an e-mail code (the worker beside it sends the code and writes its task),
types a wrong code, and changes the contact preference: transactions that read first and write
after, the kind SQLite refuses with "database is locked" unless it is set up for it. Exits
non-zero with the error if any write fails.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from profiles.choices import ContactKind, ContactPreference, IdentityType  # noqa: E402
from profiles.contact.services import (  # noqa: E402
    contact_change_confirm,
    contact_change_request,
)
from profiles.errors import ContactChangeError  # noqa: E402
from profiles.models import Profile  # noqa: E402
from profiles.preference.services import contact_preference_update  # noqa: E402
from profiles.services import profile_get_or_create  # noqa: E402


def main(bsn: str, rounds: int) -> None:
    profile = profile_get_or_create(identity_type=IdentityType.BSN, value=bsn)
    for round_ in range(rounds):
        try:
            verification = contact_change_request(
                profile=profile,
                kind=ContactKind.EMAIL,
                new_value=f"ronde{round_}@example.nl",
                seen_version=0,
                language="nl",
            )
            contact_change_confirm(
                profile=profile, verification_id=verification.pk, code="000000", language="nl"
            )
        except ContactChangeError:
            pass  # three codes per quarter of an hour: the refusal is a read, then nothing
        seen = Profile.objects.get(pk=profile.pk).contact_preference_version
        contact_preference_update(
            profile=profile, preference=ContactPreference.POST, seen_version=seen
        )
    print(f"{bsn}: {rounds} rounds")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
