"""The database task worker, in this process or as a process of its own.

run_worker() runs every task that is due in this process: it does what `manage.py db_worker
--batch` does. On PostgreSQL it commits for real, so tests that use it are marked
django_db(transaction=True) there (see tests/test_delivery.py).

start_worker() starts `manage.py run_worker` as a real process on the test database, as
production runs it (PostgreSQL only: a second process cannot see SQLite's database in memory).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings as django_settings
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]


def run_worker():
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def database_url() -> str:
    """The test database (test_<name>), as the worker process must see it."""
    db = django_settings.DATABASES["default"]
    login = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        login += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{login}@{host}/{db['NAME']}"


def start_worker(server, log: Path, **environment: str) -> subprocess.Popen:
    # The production settings, as the worker runs there, fed the test environment: the test
    # settings keep mail in memory, and this worker must talk SMTP to the test's server.
    env = (
        os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "EMAIL_URL": f"smtp://{server.host}:{server.port}",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_DEBUG": "false",
        }
        | environment
    )
    command = [sys.executable, "manage.py", "run_worker", "--interval", "0.05"]
    command += ["--no-startup-delay", "--no-reload", "--verbosity", "0"]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=out)


def wait_for(condition, *, seconds: float, what: str, log: Path, every: float = 0.2) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{log.read_text()}")
        time.sleep(every)


def stop(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if worker.poll() is None:
        worker.send_signal(sig)
        worker.wait(timeout=30)
