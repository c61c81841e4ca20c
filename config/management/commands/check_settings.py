"""`manage.py check_settings`: the settings' problems, as the portal would refuse to start with
them, without starting anything. manage.py lets this command run whatever the settings say."""

from django.core.management.base import BaseCommand

from config.startup import problems_before_start, problems_message


class Command(BaseCommand):
    help = (
        "List every missing or invalid setting at once, and whether the static files are "
        "collected; exit 1 if the portal would refuse to start."
    )
    requires_system_checks = []  # the checks would use the stand-in values this command reports

    def handle(self, *args, **options):
        problems = problems_before_start(serving=True)
        if problems:
            self.stderr.write(problems_message(problems), ending="")
            raise SystemExit(1)
        self.stdout.write("The settings are complete: the portal can start.")
