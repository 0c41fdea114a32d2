"""What the screens' lists share: a list filtered on status (``ui/_status_filter.html``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

#: the most rows a list shows
LIST_LIMIT = 500


def status_list(request: HttpRequest, rows: QuerySet, states: list[tuple[str, str]]) -> dict:
    """The context of a list on status: the (first) ``rows`` in the state ``?status=`` names (all
    when it names none of ``states``, the choices), that ``state`` and the ``states``."""
    state = request.GET.get("status", "")
    if state in dict(states):
        rows = rows.filter(state=state)
    else:
        state = ""
    return {"rows": list(rows[:LIST_LIMIT]), "state": state, "states": states}
