"""TRUNCATE is a removal too: PostgreSQL refuses it on the processing log.

Row triggers (0005) do not fire on TRUNCATE, so `manage.py flush` or a stray TRUNCATE would have
emptied the log without a word. A statement trigger refuses it, unless the database is marked
as a throwaway one (ALTER DATABASE ... SET consent.processing_log_disposable = 'on'): the test
suite marks its own test database so, because Django empties tables with TRUNCATE between
transactional tests. SQLite has no TRUNCATE; its DELETE trigger (0005) covers the same ground.
"""

from django.db import migrations

TABLE = "consent_processingrecord"
DISPOSABLE = "consent.processing_log_disposable"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION consent_processingrecord_no_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('{DISPOSABLE}', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'processing records are append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consent_processingrecord_no_truncate BEFORE TRUNCATE ON {TABLE}
  FOR EACH STATEMENT EXECUTE FUNCTION consent_processingrecord_no_truncate();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS consent_processingrecord_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS consent_processingrecord_no_truncate();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("consent", "0005_processing_record_append_only")]

    operations = [migrations.RunPython(guard, unguard)]
