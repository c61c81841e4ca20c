"""Demo organisations and identities for development. Running it again changes nothing."""

from django.core.management.base import BaseCommand

from consent.choices import OrganisationKind
from consent.models import Organisation
from profiles.choices import IdentityType
from profiles.services import profile_get_or_create

ORGANISATIONS = [
    (
        "Gemeente Voorbeeldstad",
        "00000001001234567000",
        OrganisationKind.GEMEENTE,
        "contact@voorbeeldstad.example",
    ),
    (
        "Provincie Middenland",
        "00000001002345678000",
        OrganisationKind.PROVINCIE,
        "info@middenland.example",
    ),
    (
        "Waterschap De Polder",
        "00000001003456789000",
        OrganisationKind.WATERSCHAP,
        "post@depolder.example",
    ),
    (
        "Belastingdienst (demo)",
        "00000001004567890000",
        OrganisationKind.RIJKSOVERHEID,
        "demo@belasting.example",
    ),
]

# The same identities the development broker offers on its login page.
IDENTITIES = [
    (IdentityType.BSN, "999993653", "", "Burger (demo)"),
    (IdentityType.BSN, "999990019", "", "Eenmanszaak De Fietsenmaker (demo)"),
    (IdentityType.KVK, "69599084", "", "Test BV Donald (demo)"),
    (IdentityType.KVK, "69599084", "000038509490", "Test BV Donald, vestiging Utrecht (demo)"),
    (IdentityType.KVK, "68750110", "", "Test Stichting Bolderbast (demo)"),
]


class Command(BaseCommand):
    help = "Load demo organisations and identities (development only)."

    def handle(self, *args, **options):
        for name, oin, kind, email in ORGANISATIONS:
            Organisation.objects.update_or_create(
                oin=oin, defaults={"name": name, "kind": kind, "email": email}
            )
        for identity_type, value, branch, display_name in IDENTITIES:
            profile = profile_get_or_create(identity_type=identity_type, value=value, branch=branch)
            if not profile.display_name:
                profile.display_name = display_name
                profile.save(update_fields=["display_name"])
        self.stdout.write(
            f"Demo data: {len(ORGANISATIONS)} organisations, {len(IDENTITIES)} identities."
        )
