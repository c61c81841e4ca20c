"""The second connection on which the organisation API's hand-written SQL is prepared.

core/sql.py runs a few statements on the hot path of the organisation API. On PostgreSQL they
go through the database alias `prepared`: the same database as `default`, through a connection
of its own whose cursors bind parameters on the server (`server_side_binding`), so psycopg
prepares each statement the first time it runs on that connection (`prepare_threshold` 0) and
PostgreSQL does not plan it again on every read. Django's own queries stay on `default`, where
parameters are bound on the client and nothing is prepared.

There is no `prepared` alias, and core/sql.py uses `default`, when
- the database is not PostgreSQL (SQLite for `make run` and the local test runs), or
- DATABASE_PREPARED_STATEMENTS=false: behind a pooler that cannot keep prepared statements
  (PgBouncer before 1.21 in transaction mode), which also saves the second connection.

In tests the alias is a mirror of `default` (TEST MIRROR): no test database of its own, no
transaction or flush of its own, but still its own connection with the options above.
"""

PREPARED = "prepared"  # the name core/sql.py looks for; keep the two the same


def prepared_alias(default: dict, *, enabled: bool) -> dict | None:
    """The settings of the `prepared` alias, or None when the statements go on `default`."""
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
