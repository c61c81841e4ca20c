"""The database, from one DATABASE_URL: PostgreSQL in production and CI, a SQLite file on a
developer's machine; and on PostgreSQL a second alias for the organisation API's prepared SQL.

SQLite serves a development portal with a worker beside it when it is told to: WAL lets pages
read while the worker writes, a busy timeout lets a writer wait for the one before it, and
immediate transactions take the write lock at the start of a transaction. Without that last one
a transaction that first reads and then writes cannot wait for another writer: SQLite answers
"database is locked" at once, and the page gives a 500.
"""

from pathlib import Path

from config.env import env, parsed, required

__all__ = ["DATABASES", "DATABASE_PREPARED_STATEMENTS", "DATABASE_ROUTERS"]

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
if is_sqlite_file(_default):
    _default["OPTIONS"] = {**SQLITE_OPTIONS, **_default.get("OPTIONS", {})}
DATABASES = {"default": _default}

# The organisation API's hand-written statements (core/sql.py) are prepared on PostgreSQL, on a
# second alias to the same database (below). Off for a pooler that cannot keep prepared
# statements: then they run on `default`, where nothing is prepared.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
PREPARED = "prepared"  # the name core/sql.py looks for; keep the two the same


def prepared_alias(default: dict, *, enabled: bool) -> dict | None:
    """The settings of the `prepared` alias, or None when the statements go on `default`.

    The same database as `default`, through a connection of its own whose cursors bind
    parameters on the server (`server_side_binding`), so psycopg prepares each statement the
    first time it runs on that connection (`prepare_threshold` 0) and PostgreSQL does not plan
    it again on every read. Django's own queries stay on `default`, bound on the client. In
    tests the alias mirrors `default` (TEST MIRROR): no test database of its own.
    """
    if not enabled or not default["ENGINE"].endswith("postgresql"):
        return None
    options = {
        **default.get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 0,
    }
    return {**default, "OPTIONS": options, "TEST": {"MIRROR": "default"}}


class DefaultOnlyRouter:
    """Models are read, written and migrated on `default` only. `prepared` is the same
    database: a migration there would run a second time, and the ORM's queries there would be
    bound on the server, which not all of them support, and prepared, which none needs."""

    def db_for_read(self, model, **hints):
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


_prepared = prepared_alias(_default, enabled=DATABASE_PREPARED_STATEMENTS)
if _prepared:
    DATABASES[PREPARED] = _prepared
DATABASE_ROUTERS = ["config.integrations.database.DefaultOnlyRouter"]
