"""What higher apps add to the monitor's figures, without the monitor importing them (the layers).

The school teams (issue 12 §1, the prevention app) know which children are on a team's list and
which causes their discussions recorded; the monitor counts them by cause beside the thuiszitters
(issue 12 §6). ``PreventionConfig.ready`` registers the reader; without it the table stays empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from inbeeld.monitor.scope import FigureScope

#: ``(scope, on) → (children on a list, {cause: children})``, children as student ids
SchoolTeamCauses = Callable[[FigureScope, dt.date], tuple[set[int], dict[str, set[int]]]]
_school_team_readers: list[SchoolTeamCauses] = []


def register_school_team_causes(reader: SchoolTeamCauses) -> None:
    """Called once by the app that holds the school teams (idempotent: ``ready`` may run twice)."""
    if reader not in _school_team_readers:
        _school_team_readers.append(reader)


def school_team_causes(scope: FigureScope, on: dt.date) -> tuple[set[int], dict[str, set[int]]]:
    """The children in ``scope`` on a school team's list on ``on``, and per cause those whose
    discussions recorded it; nobody when no app holds school teams."""
    children: set[int] = set()
    per_cause: dict[str, set[int]] = {}
    for reader in _school_team_readers:
        on_list, causes = reader(scope, on)
        children |= on_list
        for cause, students in causes.items():
            per_cause.setdefault(cause, set()).update(students)
    return children, per_cause
