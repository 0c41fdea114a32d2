"""What every figure of the monitor starts from: the acting organisation's scope, the latest
refresh, the episodes in scope, and the rows a figures table is made of (suppressed as they are
made)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.monitor.models import Episode, FiguresRefresh
from inbeeld.monitor.scope import FigureScope, ScopeError
from inbeeld.monitor.suppression import longest_days, median_days, suppress_line
from inbeeld.rules.calendar import school_year_bounds, school_year_start

T = TypeVar("T")


def figure_scope(*, actor: Actor) -> FigureScope | None:
    """The scope of the acting organisation's figures, or None (no VIEW_FIGURES, or an
    organisation that counts nothing: GGD, wijkteam, a school organisation without a school)."""
    if not actor.can(Permission.VIEW_FIGURES):
        return None
    try:
        return FigureScope.for_organisation(actor.organisation)
    except ScopeError:
        return None


def latest_refresh() -> FiguresRefresh | None:
    return (
        FiguresRefresh.objects.filter(finished_at__isnull=False)
        .order_by("-started_at", "-id")
        .first()
    )


def figures_date(refresh: FiguresRefresh | None) -> dt.date:
    """The date the figures are of: the refresh's, or today when there has been none."""
    return refresh.on_date if refresh is not None else timezone.localdate()


def current_school_year(on: dt.date | None = None) -> int:
    return school_year_start(on or timezone.localdate()).year


def episodes_in(scope: FigureScope):
    """The episodes in scope, unordered (Meta.ordering would join the student for nothing), with
    ``counts_from``: the day the child counts as a thuiszitter (see :func:`in_school_year`)."""
    return counting(Episode.objects.filter(scope.episodes).order_by())


def counting(episodes):
    """``episodes`` with the alias ``counts_from``: ``counted_from`` (the start for absoluut
    verzuim, the 20th school day, the day of the melding, for langdurig relatief verzuim), or
    the start for rows from before it was kept."""
    return episodes.alias(counts_from=Coalesce("counted_from", "start_date"))


def in_school_year(year: int) -> Q:
    """The episodes that count in the school year: counting on or before its last day and not
    ended before its first. One definition for the years table, the breakdowns, the pact's
    targets and the leerplichttelling (an LRV run that began in July but reached its 20th school
    day in August counts in the new school year only, everywhere)."""
    first, last = school_year_bounds(year)
    return Q(counts_from__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def new_in(first: dt.date, last: dt.date) -> Q:
    """The episodes that are new between ``first`` and ``last``: counting from a day in it."""
    return Q(counts_from__range=(first, last))


def cached(key: str, seconds: int, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache under ``key`` for ``seconds``."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


@dataclass
class FigureRow:
    """One row of a figures table: a key, its label, and its (suppressed) numbers."""

    key: str
    label: str
    values: dict[str, int | float | None]
    is_total: bool = False

    def as_dict(self) -> dict:
        return {"key": self.key, "label": str(self.label), **self.values}


def rows_with_total(
    items: list[tuple[str, str, dict[str, int]]],
    total_label: str,
    columns: Iterable[str],
    medians: dict[str, tuple[str, dict[str, list[int]]]] | None = None,
    longest: dict[str, tuple[str, dict[str, list[int]]]] | None = None,
) -> list[FigureRow]:
    """Rows of raw counts → suppressed rows plus a total row (secondary suppression per column).

    ``medians``: per median column, the count column it belongs to and, per row key, the
    durations; the total's over all rows. ``longest``: the same for a column of the longest
    duration (``suppression.longest_days``).
    """
    columns = list(columns)
    rows = [FigureRow(key, label, {}) for key, label, _ in items]
    total = FigureRow("total", total_label, {}, is_total=True)
    for column in columns:
        raw = [counts.get(column, 0) for _, _, counts in items]
        shown, shown_total = suppress_line(raw, sum(raw))
        for row, value in zip(rows, shown, strict=True):
            row.values[column] = value
        total.values[column] = shown_total
    summaries = [(column, spec, median_days) for column, spec in (medians or {}).items()]
    summaries += [(column, spec, longest_days) for column, spec in (longest or {}).items()]
    for column, (count_column, per_key), summary in summaries:
        everything: list[int] = []
        for row in [*rows, total]:
            durations = per_key.get(row.key, []) if row is not total else everything
            if row is not total:
                everything.extend(durations)
            # a median only beside a count that is shown (it would tell "at least 5")
            visible = row.values.get(count_column) is not None
            row.values[column] = summary(durations) if visible else None
    return [*rows, total]


def as_plain(obj) -> dict:
    """A dataclass of figures as plain data (for JSON)."""
    return asdict(obj)
