"""When an exemption must be renewed, and which renewals are due (issue 4 §4).

* 5a (art. 5 onder a): the request for the next school year comes before 1 July (LPW art. 6
  lid 2 onder b; ``rules.exemption_review.RENEWAL_DEADLINE``); when the exemption ends earlier, before its end.
  A 5a without end date lapses on 31 July of the school year it starts in (RULES.md §7,
  ``people.exemption_terms.lapses_on``), so it is due once, in that school year; a *permanent*
  5a ("nooit geschikt") without end date never lapses: nothing to renew.
* any other exemption with an end date: before it ends.
* others (no end date, 5a_trekkend included) run until the duty ends: nothing to renew.
* art. 3a/3b rows are vervangende leerplicht, no vrijstelling (RULES.md §7): with an end date
  they are due like any other row, as before.

A renewal is **due** from ``NOTICE_MONTHS`` before its deadline **(choice)** as long as the
exemption still runs and no request for the same child and article starting after it exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import Q, QuerySet

from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.people.exemption_terms import PERMANENT_ARTICLE, in_effect_between, lapses_on
from inbeeld.people.models import Exemption
from inbeeld.rules.calendar import add_months_clipped, school_year_start
from inbeeld.rules.exemption_review import RENEWAL_DEADLINE

#: (choice) the reminder starts this many months before the deadline
NOTICE_MONTHS = 3


def renewal_deadline(exemption: Exemption, on: dt.date) -> dt.date | None:
    """The day before which the renewal of ``exemption`` must be asked (seen on ``on``); None when
    there is nothing to renew (no end, or a permanent 5a)."""
    end = lapses_on(
        article=exemption.article,
        start_date=exemption.start_date,
        end_date=exemption.end_date,
        permanent=exemption.permanent,
    )
    if exemption.article == PERMANENT_ARTICLE and end is not None:
        month, day = RENEWAL_DEADLINE
        deadline = dt.date(school_year_start(on).year + 1, month, day)
        return end if end < deadline else deadline
    return end


def _running(queryset: QuerySet[Exemption], on: dt.date) -> QuerySet[Exemption]:
    """Running on ``on`` and with something to renew; a 5a without end date that is not
    permanent runs only in the school year it starts in (RULES.md §7)."""
    lapsing_5a = Q(article=PERMANENT_ARTICLE, end_date__isnull=True, permanent=False)
    return queryset.filter(in_effect_between(on, on), lapsing_5a | Q(end_date__isnull=False))


def renewals_due_among(
    exemptions: QuerySet[Exemption], *, on: dt.date
) -> Iterator[tuple[Exemption, dt.date]]:
    """The exemptions (of those given) whose renewal is due on ``on``, with the deadline."""
    candidates: list[tuple[Exemption, dt.date]] = []
    for exemption in _running(exemptions, on).order_by("start_date", "pk"):
        deadline = renewal_deadline(exemption, on)
        if deadline is not None and add_months_clipped(deadline, -NOTICE_MONTHS) <= on:
            candidates.append((exemption, deadline))
    yield from _not_yet_asked(candidates)


def _not_yet_asked(
    candidates: Iterable[tuple[Exemption, dt.date]],
) -> Iterator[tuple[Exemption, dt.date]]:
    candidates = list(candidates)
    if not candidates:
        return
    asked = set(
        ExemptionRequest.objects.filter(
            student_id__in={e.student_id for e, _ in candidates}
        ).values_list("student_id", "article", "start_date")
    )
    for exemption, deadline in candidates:
        if not any(
            student == exemption.student_id
            and article == exemption.article
            and start > exemption.start_date
            for student, article, start in asked
        ):
            yield exemption, deadline
