"""Sending notifications (issue 4 §7): a row per user in the application, and an e-mail for users
whose preference for that kind says so (the console backend in demo, SMTP in production)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from inbeeld.accounts.selectors import members_who_may
from inbeeld.notifications.models import EmailPreference, Notification, NotificationKind

log = logging.getLogger(__name__)


def wants_email(*, user: Any, kind: str) -> bool:
    preference = EmailPreference.objects.filter(user=user, kind=kind).first()
    return True if preference is None else preference.by_email


def notify(
    *,
    users: Iterable[Any],
    kind: NotificationKind | str,
    title: str,
    url: str = "",
    body: str = "",
    organisation: Any = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Tell each user (once per user; with ``dedupe_key`` once ever per user and key).

    Runs inside the caller's transaction; the e-mails go out after it commits, so a rolled-back
    change sends nothing. Never put the content of a worry or a medical detail in ``title`` or
    ``body``: they travel by e-mail.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if dedupe_key and Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
            continue
        created.append(
            Notification.objects.create(
                user=user,
                organisation=organisation,
                kind=str(kind),
                title=title[:200],
                body=body,
                url=url[:300],
                dedupe_key=dedupe_key[:100],
            )
        )
    to_mail = [n for n in created if n.user.email and wants_email(user=n.user, kind=n.kind)]
    if to_mail:
        ids = [n.pk for n in to_mail]
        transaction.on_commit(lambda: _send_emails(ids))
    return created


def notify_who_may(
    organisation: Any, permission: Any, *, kind: NotificationKind | str, title: str, **more: Any
) -> list[Notification]:
    """:func:`notify` every member of ``organisation`` whose role has ``permission`` (nobody when
    ``organisation`` is None), on behalf of that organisation."""
    return notify(
        users=members_who_may(organisation, permission),
        kind=kind,
        title=title,
        organisation=organisation,
        **more,
    )


def _send_emails(ids: list[int]) -> None:
    base = getattr(settings, "INBEELD_BASE_URL", "").rstrip("/")
    for notification in Notification.objects.filter(pk__in=ids).select_related("user"):
        link = f"\n\n{base}{notification.url}" if notification.url else ""
        try:
            send_mail(
                subject=f"Inbeeld: {notification.title}",
                message=(notification.body or notification.title) + link,
                from_email=None,
                recipient_list=[notification.user.email],
            )
        except OSError:  # an unreachable mail server must not undo the change
            log.exception("e-mail for notification %s not sent", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def mark_read(*, user: Any, notification: Notification) -> None:
    if notification.user_id == user.pk and notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())


def set_email_preferences(*, user: Any, by_email: dict[str, bool]) -> None:
    """Store which kinds the user wants by e-mail (kinds not given keep their setting)."""
    with transaction.atomic():
        for kind, wanted in by_email.items():
            if kind not in NotificationKind.values:
                raise ValueError(f"unknown notification kind {kind!r}")
            EmailPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"by_email": bool(wanted)}
            )


def mark_all_read(*, user: Any) -> int:
    """Mark all of the user's unread notifications read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
