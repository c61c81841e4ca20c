"""May the portal start? One answer for every entry point, as one readable message.

Settings note what is missing or invalid (config/env.py) instead of stopping at the first. The
entry points ask here before they do anything: manage.py for every command but the checks,
config/wsgi.py, config/asgi.py and config/gunicorn.py (the last also before gunicorn forks).
A server additionally needs its static files collected, unless in DEBUG: without the manifest
every page would fail with a 500, so the server does not start at all.
"""

import sys

from django.conf import settings

from config.env import env

# Commands that must run whatever the settings: they only report.
REPORTING_COMMANDS = frozenset({"check", "check_settings", "help", "version"})
# Commands that serve pages and so need the collected static files too.
SERVING_COMMANDS = frozenset({"runserver"})

COLLECTSTATIC = "python manage.py collectstatic --no-input"


def settings_problems() -> list[str]:
    """What reading the settings (and any value read since, such as gunicorn's) noted."""
    settings.DEBUG  # noqa: B018 - loads the settings module, which reads the environment
    return [str(problem) for problem in env.problems.values()]


def static_files_problems() -> list[str]:
    """The manifest of hashed static file names, if the storage needs one and it is not there."""
    if settings.DEBUG:
        return []  # DEBUG serves the files under their own names, no manifest needed
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    if staticfiles_storage.manifest_storage.exists(staticfiles_storage.manifest_name):
        return []
    return [
        f"The static files are not collected in {settings.STATIC_ROOT}: run `{COLLECTSTATIC}` "
        "with the same settings (the production image has done this when it was built)."
    ]


def problems_message(problems: list[str]) -> str:
    count = "this problem" if len(problems) == 1 else f"these {len(problems)} problems"
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return (
        f"The portal cannot start. Solve {count}, then start it again:\n{lines}\n"
        "Settings come from the environment: the table in README.md says what each one means, "
        ".env.example lists them all, and DJANGO_DEBUG=true gives development values on a "
        "developer's machine.\n"
    )


def problems_before_start(*, serving: bool) -> list[str]:
    return settings_problems() + (static_files_problems() if serving else [])


# For config/wsgi.py and config/asgi.py: gunicorn stops when a worker exits with 3 ("failed to
# boot"); with any other code it starts the worker again, forever. Other servers see non-zero.
WORKER_BOOT_ERROR = 3


def stop_on_problems(*, serving: bool, exit_code: int = 1) -> None:
    """Print every problem at once to stderr and exit, without a traceback; else return."""
    problems = problems_before_start(serving=serving)
    if problems:
        sys.stderr.write(problems_message(problems))
        sys.stderr.flush()
        raise SystemExit(exit_code)


def stop_before_command(argv: list[str]) -> None:
    """For manage.py: the reporting commands always run; the others only on sound settings."""
    command = argv[1] if len(argv) > 1 else "help"
    if command in REPORTING_COMMANDS or command.startswith("-"):
        return
    stop_on_problems(serving=command in SERVING_COMMANDS)
