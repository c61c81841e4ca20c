"""`manage.py api_test_key`: a new test API client for a demo organisation, and its token.

For the quickstart on /api/profielen/v1/docs: the token starts with "test_", works at once (no
second person needed) with all the organisation's purposes, and reaches only the documented
test persons (profiles.test_persons). Development only, like the demo data it uses; in
production staff make test clients in the admin.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from consent.clients.services import api_client_create
from consent.models import Organisation

NOT_IN_PRODUCTION = (
    "api_test_key only runs in development (DJANGO_DEBUG=true). In production, make a test "
    "client in the admin: API clients, add, tick 'test client'."
)
DEMO_OIN = "00000001001234567000"  # Gemeente Voorbeeldstad (load_demo_data)


class Command(BaseCommand):
    help = "Make a test API client for a demo organisation and print its token (development)."

    def add_arguments(self, parser):
        parser.add_argument("--oin", default=DEMO_OIN, help="The organisation's OIN.")

    def handle(self, *args, oin: str, **options):
        if not settings.DEBUG:
            raise CommandError(NOT_IN_PRODUCTION)
        organisation = Organisation.objects.filter(oin=oin).first()
        if organisation is None:
            raise CommandError(f"No organisation with OIN {oin}. Run load_demo_data first.")
        purposes = list(organisation.doelbindingen.order_by("pk"))
        client, token = api_client_create(
            organisation=organisation,
            name=f"Test key {timezone.now():%Y-%m-%d %H:%M:%S}",
            purposes=purposes,
            is_test=True,
        )
        self.stdout.write(f"Test API client of {organisation.name}: {client.name}")
        for doelbinding in purposes:
            self.stdout.write(f"  doelbinding {doelbinding.pk}: {doelbinding}")
        self.stdout.write(f"TOKEN={token}")
