"""A guard in the database itself: processing records can be added, never changed or removed."""

from django.db import migrations

TABLE = "consent_processingrecord"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION consent_processingrecord_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'processing records are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consent_processingrecord_no_change BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION consent_processingrecord_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS consent_processingrecord_no_change ON {TABLE};
DROP FUNCTION IF EXISTS consent_processingrecord_append_only();
"""
SQLITE_UP = [
    f"CREATE TRIGGER consent_processingrecord_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'processing records are append-only'); END;",
    f"CREATE TRIGGER consent_processingrecord_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'processing records are append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS consent_processingrecord_no_update;",
    "DROP TRIGGER IF EXISTS consent_processingrecord_no_delete;",
]


def guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_UP], "sqlite": SQLITE_UP}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_DOWN], "sqlite": SQLITE_DOWN}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("consent", "0004_processing_record")]

    operations = [migrations.RunPython(guard, unguard)]
