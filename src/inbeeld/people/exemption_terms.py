"""How long an exemption runs (RULES.md §7), shared by the register, the requests, the renewal
reminder and the pages.

* Art. 5 onder a (``5a``) without an end date ends on 31 July of the school year it starts in:
  an exemption under LPW art. 5 onder a is renewed yearly (RULES.md §7), unless it is
  ``permanent`` ("nooit geschikt").
* ``permanent`` means something only for art. 5 onder a; on any other article it is refused.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from inbeeld.rules.calendar import school_year_start
from inbeeld.rules.exemptions import YEARLY_ARTICLE, effective_end
from inbeeld.rules.legal import article_citation
from inbeeld.rules.model import Exemption

#: the only article for which "permanent" (nooit geschikt) means something (RULES.md §7)
PERMANENT_ARTICLE = YEARLY_ARTICLE


def lapses_on(
    *, article: str, start_date: dt.date, end_date: dt.date | None, permanent: bool
) -> dt.date | None:
    """The last day the exemption runs: its end date; for a ``5a`` without one and not permanent,
    31 July of the school year it starts in (RULES.md §7, ``rules.exemptions.effective_end``);
    else None (until the duty ends)."""
    return effective_end(Exemption(article, start_date, end_date, bool(permanent)))


def in_effect_between(first: dt.date, last: dt.date) -> Q:
    """Exemption rows with a day from ``first`` to ``last``, as a condition on the database: the
    dates of :func:`lapses_on` (a ``5a`` without end date and not permanent runs only in the
    school year it starts in, RULES.md §7). The one database form of it: the register's API, the
    renewal reminder and the figures (``monitor.articles``) filter with it."""
    lapsing = Q(article=PERMANENT_ARTICLE, end_date__isnull=True, permanent=False)
    return Q(start_date__lte=last) & (
        (lapsing & Q(start_date__gte=school_year_start(first)))
        | (~lapsing & (Q(end_date__isnull=True) | Q(end_date__gte=first)))
    )


def lapses_yearly(*, article: str, end_date: dt.date | None, permanent: bool) -> bool:
    """A ``5a`` without end date that is not permanent: it lapses on 31 July (RULES.md §7)."""
    return article == PERMANENT_ARTICLE and end_date is None and not permanent


def check_permanent(*, article: str, permanent: bool) -> None:
    """Refuse ``permanent`` on an article other than art. 5 onder a (ValidationError on the
    field ``permanent``)."""
    if permanent and article != PERMANENT_ARTICLE:
        raise ValidationError(
            {
                "permanent": [
                    _(
                        "Alleen een vrijstelling op grond van artikel 5, onder a kan blijvend "
                        "zijn (nooit geschikt); dit is %(citation)s."
                    )
                    % {"citation": article_citation(article)}
                ]
            }
        )
