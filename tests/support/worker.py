"""The database task worker, in this process: run_worker() runs every task that is due.

It does what `manage.py db_worker --batch` does. On PostgreSQL it commits for real, so tests
that use it are marked django_db(transaction=True) there (see tests/test_delivery.py).
"""

import signal

from django.core.management import call_command


def run_worker():
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
