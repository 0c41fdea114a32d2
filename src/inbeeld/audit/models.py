"""The append-only, hash-chained audit trail (issue 3 §1, issue 9): who, for which organisation,
when, what, from where.

Rows are only ever inserted. ``save`` on an existing row and ``delete`` raise, the queryset (also
as ``_base_manager``) refuses ``update`` and ``delete``, and triggers refuse UPDATE, DELETE (and on
PostgreSQL TRUNCATE) in the database. Every insert, one by one or in bulk, is linked into the hash
chain of :mod:`inbeeld.audit.chain` under the append lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

from inbeeld.audit import chain


class AuditAction(models.TextChoices):
    VIEW = "view", "view"
    SEARCH = "search", "search"
    CREATE = "create", "create"
    UPDATE = "update", "update"
    IMPORT = "import", "import"
    DETECT = "detect", "detect"
    LOGIN = "login", "login"
    LOGOUT = "logout", "logout"
    LOGIN_FAILED = "login_failed", "login failed"
    EXPORT = "export", "export"
    #: a user with several organisations chose the one they act for
    CHOOSE_ORGANISATION = "choose_organisation", "choose organisation"
    #: something was withdrawn: a membership deactivated, a token revoked (nothing is deleted)
    REVOKE = "revoke", "revoke"
    #: a request refused for what it carried: an expired API token, one used outside its scopes
    REFUSED = "refused", "refused"


class AppendOnlyError(Exception):
    """The audit trail cannot be edited or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("audit events cannot be changed")

    def _update(self, values: Any) -> Any:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("audit events cannot be deleted")

    def _raw_delete(self, using: Any) -> Any:
        raise AppendOnlyError("audit events cannot be deleted")

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:  # type: ignore[override]
        """Insert new events in the order given, each linked into the chain."""
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise AppendOnlyError("audit events are only ever inserted, every one of them")
        events = list(objs)
        if not events:
            return events
        with transaction.atomic(using=self.db, savepoint=False):
            append_to_chain(events, using=self.db)
            return super().bulk_create(events, *args, **kwargs)

    def head_hash(self) -> str:
        """The hash of the newest event (one read along the primary key), or the chain's start."""
        newest = self.order_by("-id").values_list("hash", flat=True)[:1]
        return next(iter(newest), chain.GENESIS)


def append_to_chain(events: Sequence[AuditEvent], *, using: str) -> None:
    """Link ``events`` (not yet inserted) after the newest event. Call it inside the transaction
    that inserts them: it takes the append lock first, so nobody appends in between."""
    if any(event.pk is not None for event in events):
        raise AppendOnlyError("audit events cannot be changed")
    chain.take_append_lock(connections[using])
    chain.link(events, AuditEvent._base_manager.using(using).head_hash())


class AuditEvent(models.Model):
    #: set when the event is linked into the chain (``chain.link``), just before it is inserted
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    #: what it was about, e.g. "people.Student"; object_id its primary key
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    #: the child concerned, if any: the child's page shows its access history from this
    student = models.ForeignKey(
        "people.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    #: the ``hash`` of the event before this one (by id); ``chain.GENESIS`` for the first
    prev_hash = models.CharField(max_length=64, editable=False)
    #: SHA-256 (hex) over this event's fields and ``prev_hash`` (``chain.canonical``)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["student", "-at"])]
        # Django's internals (and anyone reaching for _base_manager) get the refusing queryset too
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            append_to_chain([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
