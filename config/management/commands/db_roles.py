"""Create the portal's two database roles and give each only what it needs (PostgreSQL).

- The owner role owns the tables: migrations run as it, and nothing else does.
- The runtime role is what the portal (gunicorn and the worker) connects as. It owns nothing and
  may read and write the portal's tables, but on the processing log and the audit trail it may
  only SELECT, INSERT and DELETE: no UPDATE or TRUNCATE, and as a non-owner no ALTER TABLE, so
  it cannot switch the append-only triggers off either. DELETE is for retention and erasure;
  the triggers refuse it for every row but those past the legal minimum and, in the audit
  trail, those of a person being erased (rights migration 0002).

Run it as a PostgreSQL superuser (or a role with CREATEROLE that owns the database), before the
first `migrate` and again after every `migrate`, so new tables get their rights; it is
idempotent. Passwords are not set here: set
them with ALTER ROLE ... PASSWORD from your secret store, so they never pass through the shell.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Tables the runtime role may add to and read, never change or empty (DELETE: see above).
APPEND_ONLY = ("consent_processingrecord", "auditlog_logentry")


def role_statements(*, database: str, owner: str, runtime: str, transfer: bool) -> list[str]:
    q = connection.ops.quote_name
    statements = [
        f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN
    CREATE ROLE {q(owner)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{runtime}') THEN
    CREATE ROLE {q(runtime)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END $$""",
        f"GRANT CONNECT ON DATABASE {q(database)} TO {q(owner)}, {q(runtime)}",
        f"GRANT USAGE, CREATE ON SCHEMA public TO {q(owner)}",
        f"GRANT USAGE ON SCHEMA public TO {q(runtime)}",
        f"REVOKE CREATE ON SCHEMA public FROM {q(runtime)}, PUBLIC",
    ]
    if transfer:
        # An existing database made by another role: hand its tables to the owner role.
        statements.append(
            f"""DO $$ DECLARE item record; BEGIN
  FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO %I', item.tablename, '{owner}');
  END LOOP;
  FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER SEQUENCE public.%I OWNER TO %I', item.sequencename, '{owner}');
  END LOOP;
END $$"""
        )
    statements += [
        # Tables made by later migrations (run as the owner) come with the same rights.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q(runtime)}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {q(runtime)}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q(runtime)}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q(runtime)}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {q(runtime)}",
    ]
    for table in APPEND_ONLY:
        statements.append(
            f"""DO $$ BEGIN
  IF to_regclass('public.{table}') IS NOT NULL THEN
    REVOKE ALL ON public.{q(table)} FROM PUBLIC, {q(runtime)};
    GRANT SELECT, INSERT, DELETE ON public.{q(table)} TO {q(runtime)};
  END IF;
END $$"""
        )
    return statements


class Command(BaseCommand):
    help = "Create the owner and runtime database roles and set their rights (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="moz_owner", help="role that owns the tables")
        parser.add_argument("--runtime", default="moz_portal", help="role the portal runs as")
        parser.add_argument(
            "--transfer-ownership",
            action="store_true",
            help="make the owner role own the tables that exist already (an upgrade)",
        )
        parser.add_argument("--print", action="store_true", help="print the SQL, run nothing")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are for PostgreSQL; this database is not.")
        for name in (options["owner"], options["runtime"]):
            if not name.replace("_", "").isalnum():
                raise CommandError(f"Use letters, digits and _ in a role name, not {name!r}.")
        statements = role_statements(
            database=connection.settings_dict["NAME"],
            owner=options["owner"],
            runtime=options["runtime"],
            transfer=options["transfer_ownership"],
        )
        if options["print"]:
            self.stdout.write(";\n\n".join(statements) + ";")
            return
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"Roles ready: {options['owner']} owns the tables (run migrate as it), "
            f"{options['runtime']} is what the portal connects as."
        )
