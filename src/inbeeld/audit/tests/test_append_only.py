"""The audit trail is append-only: nothing in the application can change or delete an event, and
on PostgreSQL the database itself refuses (trigger of migration audit/0002)."""

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_raw_sql_update_and_delete_are_refused_by_postgresql(event):
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET summary = 'anders' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "keek"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.django_db
def test_the_trigger_is_installed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [AuditEvent._meta.db_table],
        )
        assert [row[0] for row in cursor.fetchall()] == ["audit_event_no_update_delete"]


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
