"""Which days a row of exemptions.csv exempts a child: RULES.md §5 and §7 (v2).

One reading, used by the status (``vrijgesteld`` and the absoluut-verzuim stretch), the thuiszitter
episodes and, in bulk form, by ``rules.engine.exemptions``:

* ``3a``/``3b`` (vervangende leerplicht, LPW art. 3a, 3b) exempt no day: the child stays a pupil
  whose enrolment, absences and status count as for any other (RULES.md §7 (v2)).
* ``5a``, ``5b``, ``5c`` (LPW art. 5 onder a/b/c) and ``5a_trekkend`` (art. 5a, trekkend bestaan)
  exempt every day from ``start_date`` to ``end_date`` (both included). A ``5a`` row without
  ``end_date`` ends on 31 July of the school year it starts in (art. 5 onder a is renewed every
  school year, art. 6), unless ``permanent`` ("nooit geschikt").
* ``15`` (LPW art. 15: vrijstelling van de kwalificatieplicht) exempts only the days of its span
  that are under kwalificatieplicht; on days under leerplicht it has no effect.
"""

from __future__ import annotations

import datetime as dt

from inbeeld.rules.calendar import ONE_DAY, school_year_end
from inbeeld.rules.duty import DutyPeriod
from inbeeld.rules.model import (
    EXEMPTION_ARTICLES,
    KWALIFICATIEPLICHT_ONLY_ARTICLES,
    Exemption,
)

#: RULES.md §7 (v2): the article whose open rows lapse on 31 July unless ``permanent``.
YEARLY_ARTICLE = "5a"


def effective_end(exemption: Exemption) -> dt.date | None:
    """The last day of a row as RULES.md §7 (v2) reads it (LPW art. 5 onder a, art. 6): a
    ``5a`` row without end date ends on 31 July of the school year it starts in unless it is
    ``permanent``; every other row ends on its ``end_date`` (None: open)."""
    if exemption.end is None and exemption.article == YEARLY_ARTICLE and not exemption.permanent:
        return school_year_end(exemption.start)
    return exemption.end


def effective_span(
    exemption: Exemption, period: DutyPeriod
) -> tuple[dt.date, dt.date | None] | None:
    """First and last day (None: open) on which ``exemption`` exempts the child, or None when it
    exempts no day: RULES.md §7 (v2), LPW art. 3a/3b (no exemption), 5, 5a, 15 (kwalificatieplicht
    only). A row of art. 15 starts, in effect, on the first day of kwalificatieplicht at the
    earliest and ends on its last day at the latest (``choices.READINGS``)."""
    if exemption.article not in EXEMPTION_ARTICLES:
        return None
    start, end = exemption.start, effective_end(exemption)
    if exemption.article in KWALIFICATIEPLICHT_ONLY_ARTICLES:
        kp_end = period.kwalificatieplicht_end
        if kp_end is None:
            return None
        start = max(start, period.leerplicht_end + ONE_DAY)
        end = kp_end if end is None else min(end, kp_end)
    if end is not None and end < start:
        return None
    return start, end


def exempts_on(exemption: Exemption, period: DutyPeriod, day: dt.date) -> bool:
    """Whether ``exemption`` exempts the child on ``day`` (RULES.md §7 (v2)): the one test the
    status, the absoluut-verzuim stretch and the episodes use."""
    span = effective_span(exemption, period)
    return span is not None and span[0] <= day and (span[1] is None or day <= span[1])


def first_day_in_effect(exemption: Exemption, period: DutyPeriod) -> dt.date:
    """The first day ``exemption`` exempts the child (the ``since`` of ``vrijgesteld``, RULES.md §5,
    §7 (v2)); only for a row that exempts some day."""
    span = effective_span(exemption, period)
    assert span is not None, exemption
    return span[0]


def without_effect_on_leerplicht(exemption: Exemption, period: DutyPeriod, on: dt.date) -> bool:
    """An art. 15 row that covers, up to ``on``, a day under leerplicht, where it has no effect
    (RULES.md §7 (v2): the summary of ``inbeeld analyse`` counts these rows)."""
    if exemption.article not in KWALIFICATIEPLICHT_ONLY_ARTICLES:
        return False
    last = min(period.leerplicht_end, on)
    end = exemption.end
    return exemption.start <= last and (end is None or end >= period.leerplicht_start)
