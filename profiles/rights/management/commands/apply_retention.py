"""Apply the retention periods now: what the daily task does, for operators. Idempotent."""

from django.core.management.base import BaseCommand

from profiles.rights.retention import retention_apply
from profiles.rights.tasks import apply_retention


class Command(BaseCommand):
    help = "Remove every kind of record past its retention period (README: Retention)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="put the run on the task queue for the worker instead of running it here",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            apply_retention.enqueue()
            self.stdout.write("Retention run queued for the worker.")
            return
        counts = retention_apply()
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{kind}: {count}")
