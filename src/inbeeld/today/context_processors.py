"""The number on "Vandaag" in the main menu: counted (never listed), and only when the menu is
rendered (the template calls it)."""

from __future__ import annotations

from inbeeld.today.selectors import today_count


def counts(request):
    actor = getattr(request, "actor", None)
    cache: dict[str, int] = {}

    def menu_counts() -> dict[str, int]:
        if "today:index" not in cache:
            cache["today:index"] = today_count(actor=actor)
        return cache

    return {"menu_counts": menu_counts}
