"""The database refuses to change, delete or empty the audit trail, on both databases (issue 9):
on PostgreSQL a statement trigger against TRUNCATE joins the row trigger of 0002 (which refuses
UPDATE and DELETE); SQLite gets triggers against UPDATE and DELETE.

The tests empty tables between transactional tests with ``flush``; the root conftest.py lifts
these triggers around it, as the table's owner (docs/audit.md).
"""

from django.db import migrations

POSTGRESQL_CREATE = """
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""
POSTGRESQL_DROP = "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;"
SQLITE_CREATE = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE refused)'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": [POSTGRESQL_CREATE], "sqlite": SQLITE_CREATE}.get(vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": [POSTGRESQL_DROP], "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_hash_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
