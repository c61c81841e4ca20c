"""`make run` on SQLite with several tabs and the worker: no "database is locked".

Real processes against one SQLite file, as `make run` has them: writers that read and then
write in one transaction, overlapping, and `manage.py run_worker` writing its task rows and
its heartbeat (here five times a second) beside them.
"""

import subprocess
import sys
import time

from config.integrations.database import SQLITE_OPTIONS, is_sqlite_file
from tests.support.portal_process import REPO, bare_env, manage

WRITERS = 4
ROUNDS = 15
BSNS = ["999993653", "999990019", "999991772", "999992144"]


def test_sqlite_options_are_for_files_only():
    assert is_sqlite_file({"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/db.sqlite3"})
    assert not is_sqlite_file({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    assert not is_sqlite_file(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": "file:memorydb?mode=memory&cache=shared"}
    )
    assert not is_sqlite_file({"ENGINE": "django.db.backends.postgresql", "NAME": "portal"})
    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"


def test_overlapping_writers_and_the_worker_never_meet_a_locked_database(tmp_path):
    env = {
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WORKER_HEARTBEAT_SECONDS": "0.2",
    }
    migrated = manage("migrate", "--no-input", "-v0", env=env, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    journal = manage(
        "shell",
        "-v0",
        "-c",
        "from django.db import connection as c; "
        "print(c.cursor().execute('PRAGMA journal_mode').fetchone()[0])",
        env=env,
    )
    assert journal.stdout.strip() == "wal", journal.stderr

    def start(args):
        return subprocess.Popen(
            args,
            cwd=REPO,
            env=bare_env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    worker = start(
        [
            sys.executable,
            "manage.py",
            "run_worker",
            "--interval",
            "0.05",
            "--no-startup-delay",
            "--no-reload",
        ]
    )
    writers = [
        start([sys.executable, "-m", "tests.support.sqlite_writer", bsn, str(ROUNDS)])
        for bsn in BSNS[:WRITERS]
    ]
    try:
        results = [(w.wait(timeout=240), *w.communicate()) for w in writers]
        time.sleep(1)  # the worker sends the last codes
    finally:
        worker.terminate()
        worker_out, worker_err = worker.communicate(timeout=30)

    for code, out, err in results:
        assert "database is locked" not in err
        assert code == 0, err[-2000:]
        assert f"{ROUNDS} rounds" in out
    assert "database is locked" not in worker_err + worker_out
    sent = manage(
        "shell",
        "-v0",
        "-c",
        "from django_tasks_db.models import DBTaskResult as T; "
        "print(T.objects.filter(status='SUCCESSFUL').count())",
        env=env,
    )
    # Three codes per person in a quarter of an hour: the worker sent every one of them.
    assert sent.stdout.strip() == str(3 * WRITERS), worker_err[-3000:]
