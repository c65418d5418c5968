"""On PostgreSQL the database itself refuses UPDATE and DELETE on the access log, so not even
raw SQL from the application can rewrite history. (SQLite is only for the demo.)
TRUNCATE is left to the table owner (test flushes need it); in production the application role
should own nothing and get only INSERT and SELECT on this table."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_accesslog_no_update BEFORE UPDATE OR DELETE ON core_accesslog
    FOR EACH ROW EXECUTE FUNCTION core_accesslog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_accesslog_no_update ON core_accesslog;
DROP FUNCTION IF EXISTS core_accesslog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
