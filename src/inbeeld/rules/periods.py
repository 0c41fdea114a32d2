"""'Over three months': the one test the status, the escalation proposals and the monitor share.

RULES.md §7 (Rules v2): *"Over three months" is one function: status, escalation proposals and the
monitor use the same test (``since`` ≤ date − 3 calendar months).* §5 says how the months are
counted: calendar months, end-of-month clipped (31 May − 3 months = 28/29 February).

The boundary is inclusive: a child at home since 5 October is over three months on 5 January
(5 January − 3 months = 5 October, and 5 October ≤ 5 October). §7 names no article of the
Leerplichtwet for it: the three months are the Thuiszitterspact's norm (no child at home longer
than three months without a suitable offer of education or care); the number is
``choices.THUISZITTER_LONG_MONTHS``.

* :func:`over_three_months` answers "is a child at home since ``since`` over three months on
  ``on``" (the status's ``over_3_months``, the escalation proposal);
* :func:`latest_since_over_three_months` is the latest ``since`` that is over three months on a
  day (the same test as a cut-off, for the bulk engine);
* :func:`first_day_over_three_months` is its inverse: the first day on which a stretch that started
  on ``since`` is over three months (the episodes' ``over_3_months_on``, the monitor and the
  telling); :func:`first_day_over_three_months_days` does the same for an array of day numbers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from inbeeld.rules import choices
from inbeeld.rules.calendar import add_months_clipped


def latest_since_over_three_months(on: dt.date) -> dt.date:
    """``on`` minus 3 calendar months, end-of-month clipped (RULES.md §5, §7): a child at home since
    this day or earlier is over three months on ``on``."""
    return add_months_clipped(on, -choices.THUISZITTER_LONG_MONTHS)


def over_three_months(since: dt.date, on: dt.date) -> bool:
    """True when ``since`` ≤ ``on`` minus 3 calendar months, end-of-month clipped (RULES.md §7,
    "over three months is one function"; §5 ``over_3_months``). The day itself counts: since
    5 October is over three months on 5 January; since 28 February on 31 May."""
    return since <= latest_since_over_three_months(on)


def first_day_over_three_months(since: dt.date) -> dt.date:
    """The first day D with :func:`over_three_months` (``since``, D) (RULES.md §5, §7).

    That is ``since`` plus three months when that date exists, else the 1st of the month after:
    since 30 November passes on 1 March (on 28 February, minus three months is 28 November, still
    before the 30th); since 29 November passes on 29 February in a leap year, on 1 March otherwise.
    """
    months = choices.THUISZITTER_LONG_MONTHS
    target = add_months_clipped(since, months)
    if target.day == since.day:
        return target
    return add_months_clipped(target.replace(day=1), 1)


def first_day_over_three_months_days(since: np.ndarray) -> np.ndarray:
    """:func:`first_day_over_three_months` for an array of day numbers (days since 1970-01-01)."""
    days = np.asarray(since, dtype=np.int64).astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = (month + choices.THUISZITTER_LONG_MONTHS).astype("datetime64[D]")
    after = (month + choices.THUISZITTER_LONG_MONTHS + 1).astype("datetime64[D]")
    length = (after - target).astype(np.int64)
    out = np.where(day_of_month < length, target + day_of_month, after)
    return out.astype(np.int64)


__all__ = [
    "first_day_over_three_months",
    "first_day_over_three_months_days",
    "latest_since_over_three_months",
    "over_three_months",
]
