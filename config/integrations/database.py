"""The database, from one DATABASE_URL: PostgreSQL in production and CI, a SQLite file on a
developer's machine.

SQLite serves a development portal with a worker beside it when it is told to: WAL lets pages
read while the worker writes, a busy timeout lets a writer wait for the one before it, and
immediate transactions take the write lock at the start of a transaction. Without that last one
a transaction that first reads and then writes cannot wait for another writer: SQLite answers
"database is locked" at once, and the page gives a 500.
"""

from pathlib import Path

from config.env import env, parsed, required

__all__ = ["DATABASES", "DATABASE_PREPARED_STATEMENTS"]

BASE_DIR = Path(__file__).resolve().parents[2]

# Seconds a SQLite writer waits for the one before it.
SQLITE_BUSY_TIMEOUT = 20
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT,
    # Committed writes reach the disk at checkpoints, not at every commit: fine for development.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def is_sqlite_file(database: dict) -> bool:
    """A SQLite database in a file; an in-memory one (tests) has no other connection to wait for."""
    name = str(database.get("NAME", ""))
    return (
        database["ENGINE"].endswith("sqlite3")
        and name not in ("", ":memory:")
        and "mode=memory" not in name
    )


_url = required(
    "DATABASE_URL",
    remedy="set the database, e.g. postgres://portal:password@db.example.nl:5432/portal",
    dev_default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
)
_default = parsed(
    "DATABASE_URL",
    _url,
    env.db_url_config,
    example="postgres://portal:password@db.example.nl:5432/portal",
    # Django's dummy backend: every query fails, so a missing database cannot go unnoticed.
    stand_in={"ENGINE": "django.db.backends.dummy"},
)
_default["ATOMIC_REQUESTS"] = False
_default["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# No check query before each request's first query: it cost the API read a round trip. A
# connection the server dropped fails one request (a 503 for the API), then Django replaces it.
_default["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=False)
# The organisation API's hand-written statements are prepared on PostgreSQL (config/sql.py).
# Django's own queries bind on the client, which psycopg never prepares, so this threshold
# only reaches those statements. Off for a pooler that cannot keep prepared statements.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASE_PREPARED_STATEMENTS and _default["ENGINE"].endswith("postgresql"):
    _default.setdefault("OPTIONS", {})["prepare_threshold"] = 0
if is_sqlite_file(_default):
    _default["OPTIONS"] = {**SQLITE_OPTIONS, **_default.get("OPTIONS", {})}

DATABASES = {"default": _default}
