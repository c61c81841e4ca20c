"""Database roles for tests on PostgreSQL: the test database is made by a superuser, so tests
take a lesser role with SET LOCAL ROLE inside a transaction."""

from django.db import connection

RUNTIME = "moz_test_portal"
# The owner of the tables, as migrations make them in production: every right, no superuser.
OWNER = "moz_test_owner"


def owner_role() -> str:
    """Make OWNER own every table, for the rest of the test's transaction (it rolls back)."""
    with connection.cursor() as cursor:
        # Rows written earlier in the test wait for their foreign keys until commit, and
        # PostgreSQL changes no table with such checks pending: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER}') "
            f"THEN CREATE ROLE {OWNER}; END IF; END $$"
        )
        cursor.execute(
            "DO $$ DECLARE item record; BEGIN "
            "FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP "
            f"EXECUTE format('ALTER TABLE public.%I OWNER TO {OWNER}', item.tablename); "
            "END LOOP; END $$"
        )
    return OWNER


def run_as(role: str, statement: str) -> None:
    """One statement (or several, separated by ;) as `role`, in a transaction of its own."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Records written earlier in the test wait for their foreign keys until commit, and
        # PostgreSQL refuses a TRUNCATE while they wait: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(statement)
