"""The audit trail is append-only: nothing in the application can change or delete an event, and
the database itself refuses too: triggers on PostgreSQL (UPDATE, DELETE, TRUNCATE) and on SQLite
(UPDATE, DELETE)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver

from inbeeld.audit.models import AppendOnlyError, AuditAction, AuditEvent
from inbeeld.audit.services import audit_record


@pytest.fixture
def event(db):
    user = get_user_model().objects.create(username="kijker")
    return audit_record(
        actor=None, user=user, action=AuditAction.VIEW, summary="keek", ip="192.0.2.5"
    )


def test_audit_record_keeps_who_when_what_and_where(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.user.username == "kijker"
    assert stored.username == "kijker"
    assert stored.action == "view"
    assert stored.summary == "keek"
    assert stored.ip == "192.0.2.5"
    assert stored.at is not None


@pytest.mark.django_db
def test_audit_record_without_a_user_keeps_the_name_tried():
    stored = audit_record(actor=None, username="onbekend", action=AuditAction.LOGIN_FAILED)
    assert stored.user is None
    assert stored.username == "onbekend"


def test_save_of_an_existing_event_raises(event):
    event.summary = "anders"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).summary == "keek"


def test_delete_of_an_event_raises(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_raise(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="anders")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(summary="anders")
    assert AuditEvent.objects.get(pk=event.pk).summary == "keek"


def test_bulk_update_raises(event):
    event.summary = "anders"
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["summary"])


TABLE = AuditEvent._meta.db_table


def _refused_by_the_database(sql, params=()):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_raw_sql_update_and_delete_are_refused_by_the_database(event):
    _refused_by_the_database(f"UPDATE {TABLE} SET summary = 'anders' WHERE id = %s", [event.pk])
    _refused_by_the_database(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    _refused_by_the_database(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.get(pk=event.pk).summary == "keek"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_by_postgresql(event):
    with connection.cursor() as cursor:  # TRUNCATE waits for no deferred foreign-key check
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _refused_by_the_database(f"TRUNCATE {TABLE}")
    _refused_by_the_database(f"TRUNCATE {TABLE} CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_base_manager_cannot_update_or_delete_either(event):
    """Django's internals use ``_base_manager``; it refuses as ``objects`` does."""
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.update(summary="anders")
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=event.pk).update(summary="anders")
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.all()._raw_delete(connection.alias)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk)._update({"summary": "anders"})
    assert AuditEvent.objects.get(pk=event.pk).summary == "keek"


@pytest.mark.django_db
def test_the_triggers_are_installed():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
                " AND tgenabled = 'O' ORDER BY tgname",
                [TABLE],
            )
            expected = ["audit_event_no_truncate", "audit_event_no_update_delete"]
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
                " ORDER BY name",
                [TABLE],
            )
            expected = ["audit_event_no_delete", "audit_event_no_update"]
        assert [row[0] for row in cursor.fetchall()] == expected


def test_not_in_the_django_admin():
    assert AuditEvent not in admin.site._registry


def test_no_url_is_mounted_for_the_django_admin():
    """No screen changes audit events: the Django admin is not reachable at all."""

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                yield from patterns(entry, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern), entry.lookup_str

    modules = [lookup for _, lookup in patterns(get_resolver())]
    assert not any(lookup.startswith("django.contrib.admin") for lookup in modules)
