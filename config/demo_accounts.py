"""Admin accounts for the demo organisations, so a developer can open /beheer/ at once.

Development only (load_demo_data refuses outside DEBUG): the passwords are published in
README.md. Each staff account is in the municipal staff group (consent migration 0003,
notifications 0003) and staff of one organisation, which is how the admin scopes what they see.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from consent.models import Organisation

STAFF_GROUP = "Medewerker gemeente"  # made by consent/migrations/0003_municipal_staff_group.py


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    organisation_oin: str = ""  # empty: the portal operator, who sees every organisation

    @property
    def is_operator(self) -> bool:
        return not self.organisation_oin


# Fixed, documented demo values: 12 characters or more and on no list of common passwords.
ACCOUNTS = [
    DemoAccount("portaalbeheerder", "Demo-Sleutelbos-Paars-2041"),
    DemoAccount("medewerker-voorbeeldstad", "Demo-Stadhuis-Tulp-7316", "00000001001234567000"),
    DemoAccount("medewerker-middenland", "Demo-Heuvel-Kompas-5852", "00000001002345678000"),
    DemoAccount("medewerker-depolder", "Demo-Gemaal-Reiger-4627", "00000001003456789000"),
    DemoAccount("medewerker-belastingdienst", "Demo-Aangifte-Meeuw-9183", "00000001004567890000"),
]


@transaction.atomic
def demo_accounts_load() -> list[str]:
    """Make the accounts that are missing; put every one in its place. Returns the new names.

    A password is set only when the account is made: a developer who changed theirs keeps it.
    """
    User = get_user_model()
    group = Group.objects.get(name=STAFF_GROUP)
    made = []
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User.objects.create_user(username=account.username, password=account.password)
            made.append(account.username)
        user.is_active = user.is_staff = True
        user.is_superuser = account.is_operator
        user.save(update_fields=["is_active", "is_staff", "is_superuser"])
        if not account.is_operator:
            user.groups.add(group)
            Organisation.objects.get(oin=account.organisation_oin).staff.add(user)
    return made
