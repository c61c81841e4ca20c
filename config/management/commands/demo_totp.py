"""The code the demo accounts' authenticator shows now, for logging in at /beheer/ without an
authenticator app. Development only, like the demo accounts themselves."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.demo_accounts import DEMO_TOTP_SECRET, demo_totp_code

NOT_IN_PRODUCTION = (
    "demo_totp only runs in development (DJANGO_DEBUG=true), because the demo accounts' "
    "authenticator secret is published in README.md."
)


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo staff accounts (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(NOT_IN_PRODUCTION)
        self.stdout.write(demo_totp_code())
        if options["verbosity"] > 1:
            self.stdout.write(f"(authenticator secret {DEMO_TOTP_SECRET}, 30 seconds a code)")
