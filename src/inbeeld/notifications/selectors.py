"""Reads of notifications: always a user's own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inbeeld.notifications.models import EmailPreference, Notification, NotificationKind


def notifications_of(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user).select_related("organisation")


def notification_of(*, user: Any, pk: int) -> Notification | None:
    return Notification.objects.filter(user=user, pk=pk).first()


def unread_count(*, user: Any) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_preferences_of(*, user: Any) -> dict[str, bool]:
    """Per kind whether the user wants it by e-mail too (default: yes)."""
    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "by_email"))
    return {kind: stored.get(kind, True) for kind in NotificationKind.values}
