"""Migration audit/0004 links the events recorded before the chain existed (lifting, on
PostgreSQL, its own append-only trigger for that and restoring it), and 0005 adds the triggers."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inbeeld.audit.models import AuditEvent
from inbeeld.audit.verification import verify_chain

BEFORE_THE_CHAIN = [("audit", "0004_alter_auditevent_action")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_events_recorded_before_the_chain_are_linked_in_id_order():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = migrate(BEFORE_THE_CHAIN)
    try:
        event_before_the_chain = executor.loader.project_state(BEFORE_THE_CHAIN).apps.get_model(
            "audit", "AuditEvent"
        )
        for n in range(7):
            event_before_the_chain.objects.create(
                username=f"vroeger {n}", action="view", detail={"n": n, "x": 1.0}, ip="::1"
            )
    finally:
        migrate(latest)
    result = verify_chain()
    assert result.broken is None
    assert result.count == 7
    assert AuditEvent.objects.exclude(hash="").count() == 7
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'anders'")
