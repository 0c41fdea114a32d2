"""The number of unread notifications, for the menu (counted only when a template uses it)."""

from __future__ import annotations

from inbeeld.notifications.selectors import unread_count


def unread(request):
    user = getattr(request, "user", None)
    cache: list[int] = []

    def count() -> int:
        if not cache:
            cache.append(unread_count(user=user))
        return cache[0]

    return {"unread_notifications": count}
