"""Demo organisations, identities and admin accounts for development. Running it again changes
nothing. It refuses outside DEBUG: the demo accounts' passwords are published in README.md."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.demo_accounts import ACCOUNTS, DEMO_TOTP_SECRET, demo_accounts_load
from config.demo_review import AWB_2_14, demo_purposes_in_force
from consent.choices import DataField, DoelbindingStatus, LegalBasis, OrganisationKind
from consent.models import Doelbinding, Organisation
from consent.services import doelbinding_version_save
from profiles.choices import IdentityType
from profiles.services import profile_get_or_create

NOT_IN_PRODUCTION = (
    "load_demo_data only runs in development (DJANGO_DEBUG=true), because it makes admin "
    "accounts whose passwords are published in README.md."
)

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


# (organisation OIN, name, description, legal basis, law, data used)
DOELBINDINGEN = [
    (
        "00000001001234567000",
        "Berichten over uw vergunning",
        "Wij sturen u berichten over uw aanvraag voor een vergunning. Bijvoorbeeld als wij een "
        "besluit nemen. Daarvoor gebruiken wij uw e-mailadres en postadres.",
        LegalBasis.LEGAL_TASK,
        "Algemene wet bestuursrecht, artikel 2:14",
        {DataField.EMAIL, DataField.POSTAL_ADDRESS, DataField.CONTACT_PREFERENCE},
    ),
    (
        "00000001001234567000",
        "Nieuwsbrief voor ondernemers",
        "Wij sturen u eens per maand een nieuwsbrief met nieuws voor ondernemers in de gemeente. "
        "Dat doen wij alleen als u daar toestemming voor geeft.",
        LegalBasis.CONSENT,
        "",
        {DataField.EMAIL},
    ),
    (
        "00000001003456789000",
        "Herinnering waterschapsbelasting",
        "Wij sturen u een sms als uw betaling bijna te laat is. Dat doen wij alleen met uw "
        "toestemming.",
        LegalBasis.CONSENT,
        "",
        {DataField.PHONE},
    ),
]


class Command(BaseCommand):
    help = "Load demo organisations, identities and admin accounts (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(NOT_IN_PRODUCTION)
        for name, oin, kind, email in ORGANISATIONS:
            Organisation.objects.update_or_create(
                oin=oin, defaults={"name": name, "kind": kind, "email": email}
            )
        for identity_type, value, branch, display_name in IDENTITIES:
            profile = profile_get_or_create(identity_type=identity_type, value=value, branch=branch)
            if not profile.display_name:
                profile.display_name = display_name
                profile.save(update_fields=["display_name"])
        for oin, name, description, basis, law, fields in DOELBINDINGEN:
            organisation = Organisation.objects.get(oin=oin)
            existing = [d for d in organisation.doelbindingen.all() if str(d) == name]
            doelbinding = (
                existing[0]
                if existing
                else Doelbinding.objects.create(
                    organisation=organisation, status=DoelbindingStatus.CONCEPT
                )
            )
            doelbinding_version_save(
                doelbinding=doelbinding,
                fields=fields,
                name=name,
                description=description,
                legal_basis=basis,
                law=law,
                law_url=AWB_2_14 if basis == LegalBasis.LEGAL_TASK else "",
                retention="Tot 2 jaar na het laatste contact",
            )
        made = demo_accounts_load()
        demo_purposes_in_force()
        self.stdout.write(
            f"Demo data: {len(ORGANISATIONS)} organisations, {len(DOELBINDINGEN)} purposes, "
            f"{len(IDENTITIES)} identities, {len(ACCOUNTS)} admin accounts at /beheer/ "
            f"({len(made)} new; their passwords are in README.md)."
        )
        self.stdout.write(
            f"Second factor of every demo account: authenticator secret {DEMO_TOTP_SECRET}, "
            "or the current code from `python manage.py demo_totp`."
        )
