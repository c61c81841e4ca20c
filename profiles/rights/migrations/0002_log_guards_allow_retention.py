"""The log guards let retention and erasure through, and nothing else.

The processing log and the audit trail stay append-only (consent 0005, 0006, 0008) with two
exceptions the law asks for:

- retention: a row older than LOG_FLOOR_DAYS (the legal minimum; settings may keep longer,
  never shorter: config/integrations/rights.py) may be deleted;
- erasure (audit trail only): a transaction that has recorded an erasure in rights_erasure may
  delete audit entries; they hold the erased person's old values. The erasure row is the trace
  that it happened. It is known by its transaction_began_at, the database's now() (the start
  of the transaction, the same in every savepoint of it).

UPDATE and TRUNCATE stay refused as before. The runtime role gets DELETE on both tables
(`manage.py db_roles`) so the worker can apply retention; these triggers decide which rows.
"""

from django.db import migrations

LOG_FLOOR_DAYS = 365  # keep in step with config/integrations/rights.py
SUPERUSER = "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"

PROCESSING_LOG_UP = f"""
CREATE OR REPLACE FUNCTION consent_processingrecord_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.started_at < now() - interval '{LOG_FLOOR_DAYS} days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'processing records are append-only';
END;
$$ LANGUAGE plpgsql;
"""
PROCESSING_LOG_DOWN = """
CREATE OR REPLACE FUNCTION consent_processingrecord_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'processing records are append-only';
END;
$$ LANGUAGE plpgsql;
"""

AUDIT_TRAIL_UP = f"""
CREATE OR REPLACE FUNCTION portal_audit_trail_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND {SUPERUSER} THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' AND (
    OLD.timestamp < now() - interval '{LOG_FLOOR_DAYS} days'
    OR EXISTS (SELECT 1 FROM rights_erasure e WHERE e.transaction_began_at = now())
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'the audit trail is append-only: ' || TG_OP || ' is refused';
END;
$$ LANGUAGE plpgsql;
"""
AUDIT_TRAIL_DOWN = f"""
CREATE OR REPLACE FUNCTION portal_audit_trail_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND {SUPERUSER} THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'the audit trail is append-only: ' || TG_OP || ' is refused';
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_TABLE = "consent_processingrecord"
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS consent_processingrecord_no_delete;",
    f"CREATE TRIGGER consent_processingrecord_no_delete BEFORE DELETE ON {SQLITE_TABLE} "
    f"WHEN OLD.started_at >= datetime('now', '-{LOG_FLOOR_DAYS} days') "
    "BEGIN SELECT RAISE(ABORT, 'processing records are append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS consent_processingrecord_no_delete;",
    f"CREATE TRIGGER consent_processingrecord_no_delete BEFORE DELETE ON {SQLITE_TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'processing records are append-only'); END;",
]

UP = {"postgresql": [PROCESSING_LOG_UP, AUDIT_TRAIL_UP], "sqlite": SQLITE_UP}
DOWN = {"postgresql": [PROCESSING_LOG_DOWN, AUDIT_TRAIL_DOWN], "sqlite": SQLITE_DOWN}


def guard(apps, schema_editor):
    for statement in UP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def unguard(apps, schema_editor):
    for statement in DOWN.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0001_initial"),
        ("consent", "0008_log_guards_hold_against_sessions"),
    ]

    operations = [migrations.RunPython(guard, unguard)]
