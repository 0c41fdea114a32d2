"""The append-only audit trail (issue 3 §1): who, for which organisation, when, what, from where.

Rows are only ever inserted. ``save`` on an existing row and ``delete`` raise, the queryset refuses
``update`` and ``delete``, and on PostgreSQL a trigger refuses UPDATE and DELETE as well.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


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

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
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

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["student", "-at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
