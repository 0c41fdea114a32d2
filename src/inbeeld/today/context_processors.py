"""The number on "Vandaag" in the main menu: counted (never listed), only when the menu is
rendered (the template calls it), and kept for :data:`MENU_COUNT_SECONDS` per person and
organisation, so the pages in between do not count again; opening "Vandaag" counts afresh."""

from __future__ import annotations

from django.core.cache import cache as shared_cache

from inbeeld.today.selectors import menu_count_key, today_count

#: how long the menu's number may be reused on other pages
MENU_COUNT_SECONDS = 60


def counts(request):
    actor = getattr(request, "actor", None)
    found: dict[str, int] = {}

    def menu_counts() -> dict[str, int]:
        if "today:index" not in found:
            if actor is None:
                found["today:index"] = 0
            else:
                found["today:index"] = shared_cache.get_or_set(
                    menu_count_key(actor), lambda: today_count(actor=actor), MENU_COUNT_SECONDS
                )
        return found

    return {"menu_counts": menu_counts}
