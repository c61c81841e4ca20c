"""Admin accounts for the demo organisations, so a developer can open /beheer/ at once.

Development only (load_demo_data refuses outside DEBUG): the passwords and the authenticator
secret are published in README.md. Each organisation's staff account is in the municipal staff
group (consent migration 0003, notifications 0003) and staff of one organisation, which is how
the admin scopes what they see. The portal operator's accounts belong to no organisation: the
superuser, the reviewer of purposes and the handler of register reports.

Every staff login asks for a second factor: each demo account has an authenticator (TOTP)
with the one published secret below. `manage.py demo_totp` prints its current code.
"""

import base64
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from consent.models import Organisation
from profiles.staff.roles import REGISTER_REPORT_HANDLERS

STAFF_GROUP = "Medewerker gemeente"  # made by consent/migrations/0003_municipal_staff_group.py
# The portal operator's privacy staff who approve purposes (four-eyes): made by consent's
# migration of that work; made here too when it is not there yet.
REVIEWER_GROUP = "Toetser doelbinding"

# The authenticator secret of every demo account (20 bytes, as django-otp makes them), published
# in README.md: add DEMO_TOTP_SECRET to an authenticator app, or run `manage.py demo_totp`.
DEMO_TOTP_KEY = "4d6f7a2d64656d6f2d6f6e6c792d6e6f742d6f6b"
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    organisation_oin: str = ""  # empty: the portal operator's staff
    group: str = ""  # for the operator's staff: their role
    superuser: bool = False

    @property
    def is_operator(self) -> bool:
        """The portal operator, who sees every organisation."""
        return self.superuser


# Fixed, documented demo values: 12 characters or more and on no list of common passwords.
ACCOUNTS = [
    DemoAccount("portaalbeheerder", "Demo-Sleutelbos-Paars-2041", superuser=True),
    DemoAccount("medewerker-voorbeeldstad", "Demo-Stadhuis-Tulp-7316", "00000001001234567000"),
    DemoAccount("medewerker-middenland", "Demo-Heuvel-Kompas-5852", "00000001002345678000"),
    DemoAccount("medewerker-depolder", "Demo-Gemaal-Reiger-4627", "00000001003456789000"),
    DemoAccount("medewerker-belastingdienst", "Demo-Aangifte-Meeuw-9183", "00000001004567890000"),
    DemoAccount("toetser-doelbinding", "Demo-Weegschaal-Uil-3507", group=REVIEWER_GROUP),
    DemoAccount(
        "behandelaar-terugmeldingen", "Demo-Postbus-Zwaluw-6241", group=REGISTER_REPORT_HANDLERS
    ),
]


def demo_totp_code() -> str:
    """The code an authenticator with DEMO_TOTP_SECRET shows now."""
    device = TOTPDevice(key=DEMO_TOTP_KEY)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def demo_accounts_load() -> list[str]:
    """Make the accounts that are missing; put every one in its place. Returns the new names.

    A password and the authenticator are set only when missing: a developer who changed
    theirs keeps them.
    """
    User = get_user_model()
    staff_group = Group.objects.get(name=STAFF_GROUP)
    made = []
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User.objects.create_user(username=account.username, password=account.password)
            made.append(account.username)
        user.is_active = user.is_staff = True
        user.is_superuser = account.superuser
        user.save(update_fields=["is_active", "is_staff", "is_superuser"])
        if account.organisation_oin:
            user.groups.add(staff_group)
            Organisation.objects.get(oin=account.organisation_oin).staff.add(user)
        if account.group:
            user.groups.add(Group.objects.get_or_create(name=account.group)[0])
        if not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name="default", key=DEMO_TOTP_KEY, confirmed=True)
    return made
