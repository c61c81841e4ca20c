"""The logs hold against any session: no switch lets TRUNCATE through, and the audit trail is
append-only too.

0006 let TRUNCATE through on a database marked `consent.processing_log_disposable = 'on'`; any
session could set that custom setting for itself and then empty the log. Now only a superuser
passes, who could drop the trigger anyway; nothing a session can set makes a role a superuser.
The test suite runs as one (it creates its own databases); the portal must not (see the README
on database roles and `manage.py db_roles`).

The audit trail (django-auditlog's table) gets the same guards on PostgreSQL: no UPDATE, no
DELETE, no TRUNCATE but a superuser's. On SQLite (development only) it stays unguarded, because
Django empties tables there with DELETE between tests.
"""

from django.db import migrations

PROCESSING_LOG = "consent_processingrecord"
AUDIT_TRAIL = "auditlog_logentry"

# True for a superuser; a session cannot become one by SET (SET ROLE needs membership).
SUPERUSER = "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION consent_processingrecord_no_truncate() RETURNS trigger AS $$
BEGIN
  IF {SUPERUSER} THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'processing records are append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portal_audit_trail_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND {SUPERUSER} THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'the audit trail is append-only: ' || TG_OP || ' is refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_audit_trail_no_change BEFORE UPDATE OR DELETE ON {AUDIT_TRAIL}
  FOR EACH ROW EXECUTE FUNCTION portal_audit_trail_append_only();
CREATE TRIGGER portal_audit_trail_no_truncate BEFORE TRUNCATE ON {AUDIT_TRAIL}
  FOR EACH STATEMENT EXECUTE FUNCTION portal_audit_trail_append_only();
"""

POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS portal_audit_trail_no_change ON {AUDIT_TRAIL};
DROP TRIGGER IF EXISTS portal_audit_trail_no_truncate ON {AUDIT_TRAIL};
DROP FUNCTION IF EXISTS portal_audit_trail_append_only();
CREATE OR REPLACE FUNCTION consent_processingrecord_no_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('consent.processing_log_disposable', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'processing records are append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0007_processing_record_staff_view"),
        ("auditlog", "__first__"),
    ]

    operations = [migrations.RunPython(guard, unguard)]
