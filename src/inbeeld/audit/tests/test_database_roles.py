"""The PostgreSQL role set-up of docs/audit.md: the application's role, made with the documented
privileges, appends to the trail but cannot UPDATE, DELETE or TRUNCATE it, not even while the
owner has the append-only triggers lifted, and cannot lift them itself."""

import re
import secrets
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, connections

from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.audit.verification import verify_chain

DOCS = Path(__file__).resolve().parents[4] / "docs" / "audit.md"
TABLE = AuditEvent._meta.db_table

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's"
)


def documented_privileges() -> str:
    """The SQL block of docs/audit.md marked as the privileges of the application's role."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(
        r"<!-- the privileges of the application's role.*?-->\n```sql\n(.*?)```", text, re.S
    )
    assert found, "docs/audit.md lost the block of the application's privileges"
    return found.group(1)


def execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def application_role(transactional_db):
    """A login role with exactly the documented privileges, and a connection as that role."""
    role, password = f"inbeeld_app_test_{secrets.token_hex(4)}", secrets.token_hex(16)
    execute(f"CREATE ROLE {role} LOGIN PASSWORD %s", [password])
    alias = "as_application_role"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (owner,) = cursor.fetchone()
        grants = documented_privileges().replace("inbeeld_owner", owner)
        execute(grants.replace("inbeeld_app", role))
        connections[alias] = type(connections["default"])(
            {**connection.settings_dict, "USER": role, "PASSWORD": password}, alias
        )
        yield alias
    finally:
        try:
            if hasattr(connections._connections, alias):
                connections[alias].close()
                del connections[alias]
        finally:
            execute(f"DROP OWNED BY {role}")
            execute(f"DROP ROLE {role}")


def refused_as(alias: str, sql: str, reason: str) -> None:
    app = connections[alias]
    with pytest.raises(DatabaseError, match=reason), app.cursor() as cursor:
        cursor.execute(sql)


def test_the_application_role_appends_but_cannot_change_delete_or_empty(application_role):
    event = AuditEvent(username="app", action=AuditAction.LOGIN)
    event.save(using=application_role)
    assert AuditEvent.objects.using(application_role).filter(pk=event.pk).exists()
    for sql in (
        f"UPDATE {TABLE} SET summary = 'anders'",
        f"DELETE FROM {TABLE}",
        f"TRUNCATE {TABLE}",
    ):
        refused_as(application_role, sql, "permission denied")
    refused_as(application_role, f"ALTER TABLE {TABLE} DISABLE TRIGGER USER", "must be owner")
    refused_as(application_role, f"DROP TABLE {TABLE}", "must be owner")

    # the owner has lifted the triggers (committed, so the other connection sees it)
    execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    try:
        for sql in (
            f"UPDATE {TABLE} SET summary = 'anders'",
            f"DELETE FROM {TABLE}",
            f"TRUNCATE {TABLE}",
        ):
            refused_as(application_role, sql, "permission denied")
    finally:
        execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
    assert verify_chain().count == 1


def test_the_application_role_may_still_write_other_tables(application_role):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.db_manager(application_role).create(username="gewoon")
    get_user_model().objects.db_manager(application_role).filter(pk=user.pk).update(
        first_name="Gewoon"
    )
    assert get_user_model().objects.get(pk=user.pk).first_name == "Gewoon"
