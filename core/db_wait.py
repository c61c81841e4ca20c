"""Waiting for a database that went away: close the connection, try again with backoff, go on.

For long-running processes (the task worker), never for a request: a page must answer at once
(a 503), not wait. Django does not reconnect a connection the server ended, and inside a
transaction nothing can be reconnected, so these helpers only act outside one; inside, the error
goes up to the code that opened the transaction.

    wait_for_database()                        # returns when the database answers again
    when_database_back(record_sent, rows)      # runs it; lost connection: waits, runs it again

What may be run again this way must be safe to run twice (an UPDATE with a status check, a
transaction that commits all or nothing).
"""

import contextlib
import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What a lost or refused connection raises (psycopg's errors, as Django wraps them). A lock
# timeout or a deadlock on PostgreSQL is an OperationalError too: waiting and trying again is
# right for those as well.
DATABASE_LOST = (OperationalError, InterfaceError)
FIRST_WAIT = 0.5
QUICK_TRIES = 5


def first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def longest_wait() -> float:
    return float(getattr(settings, "WORKER_RECONNECT_MAX_SECONDS", 30.0))


def database_answers(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when a fresh connection runs a query; a broken connection is closed first."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise RuntimeError("cannot reconnect inside a transaction")
    # Closing a connection the server ended can fail; it is gone either way.
    with contextlib.suppress(*DATABASE_LOST):
        connection.close()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DATABASE_LOST:
        return False


def wait_for_database(
    *, using: str = DEFAULT_DB_ALIAS, reason: BaseException | None = None
) -> float:
    """Return when the database answers again; the seconds it took.

    Waits half a second, then twice as long each time up to WORKER_RECONNECT_MAX_SECONDS (with a
    little jitter, so workers do not knock all at once), with a log line for each wait: an
    outage shows in the log, and nobody is hammered. It never gives up: a worker's supervisor
    sees it waiting (worker_health), and a restart would only wait again.
    """
    started = time.monotonic()
    wait = FIRST_WAIT
    if reason is not None:
        logger.warning("database connection lost: %s", first_line(reason))
    while not database_answers(using):
        waited = time.monotonic() - started
        pause = min(wait, longest_wait()) * random.uniform(0.8, 1.0)  # noqa: S311 - jitter
        logger.warning(
            "database unreachable; trying again in %.1f s", pause, extra={"waited": round(waited)}
        )
        time.sleep(pause)
        wait *= 2
    waited = time.monotonic() - started
    if reason is not None or waited >= FIRST_WAIT:
        logger.warning("database reachable again after %.1f s", waited)
    return waited


def connection_lost(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when the connection is gone (ended by the server, or dropped by Django after a
    failed rollback); False when it still works and the error was the query's own."""
    connection = connections[using]
    return connection.connection is None or not connection.is_usable()


def when_database_back(function: Callable[..., T], *args, **kwargs) -> T:
    """Run `function`; when the connection is lost on the way, wait for the database, run again.

    Only outside a transaction (inside one the error goes up as it is). `function` must be safe
    to run twice: it may have done its work just before the connection broke. An error while
    the connection still works (a deadlock, a lock timeout, a fault in the query) is tried
    QUICK_TRIES times with a short pause, then goes up, instead of going round for ever.
    """
    quick = 0
    while True:
        try:
            return function(*args, **kwargs)
        except DATABASE_LOST as error:
            if connections[DEFAULT_DB_ALIAS].in_atomic_block:
                raise
            if connection_lost():
                wait_for_database(reason=error)
                continue
            quick += 1
            if quick >= QUICK_TRIES:
                raise
            time.sleep(FIRST_WAIT * quick)
