"""Before db_worker starts and every few minutes: deliveries whose task died are queued again."""

from django.core.management.base import BaseCommand

from notifications.delivery.services import deliveries_recover


class Command(BaseCommand):
    help = "Enqueue again deliveries whose task died with a killed worker."

    def handle(self, *args, **options):
        self.stdout.write(f"{deliveries_recover()} deliveries enqueued again")
