"""The hash chain over the audit trail (issue 9): ``prev_hash`` and ``hash`` on every event, the
existing events linked in id order, and ``at`` set by the chain instead of ``auto_now_add``.

Linking the existing events changes them, which the append-only trigger of 0002 refuses on
PostgreSQL: this migration (run by the table's owner) lifts that trigger for the update and
restores it in the same transaction.
"""

import django.utils.timezone
from django.db import migrations, models

from inbeeld.audit import chain

TABLE = "audit_auditevent"
TRIGGER = "audit_event_no_update_delete"
BATCH = 2000


def link_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.using(schema_editor.connection.alias).order_by("id")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    head, last_id = chain.GENESIS, 0
    while batch := list(events.filter(id__gt=last_id)[:BATCH]):
        for event in batch:
            event.prev_hash = head
            event.hash = head = chain.digest(event)
        events.bulk_update(batch, ["prev_hash", "hash"])
        last_id = batch[-1].id
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_alter_auditevent_action")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"base_manager_name": "objects", "ordering": ["-at", "-id"]},
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop, elidable=False),
    ]
