"""Which rows of people.Exemption count as a vrijstelling in the figures, and which as vervangende
leerplicht (RULES.md §7, v2), as conditions on the database.

* **Vervangende leerplicht** (LPW art. 3a, 3b; ``VERVANGENDE_LEERPLICHT_ARTICLES``) is no exemption:
  those rows are counted apart, in their own table.
* **Vrijstellingen** (``EXEMPTION_ARTICLES``: art. 5 onder a/b/c, art. 5a, art. 15) count on the
  days they are in effect:
  - a ``5a`` row (art. 5 onder a) without an end date ends on 31 July of the school year it starts
    in, unless it is ``permanent`` ("nooit geschikt");
  - an art. 15 row only covers days under kwalificatieplicht: the child's duty periods are those of
    its StudentStatus (the latest detection run); without a status it does not count.

The rules read each row with ``rules.exemptions.effective_span``; here the monitor counts rows in
the database, so the same reading is written as Django lookups, and ``tests/test_articles.py``
checks over a grid of rows and duty periods that both select the same rows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from inbeeld.people.exemption_terms import in_effect_between
from inbeeld.people.labels import article_label
from inbeeld.rules.model import (
    EXEMPTION_ARTICLES,
    KWALIFICATIEPLICHT_ONLY_ARTICLES,
    VERVANGENDE_LEERPLICHT_ARTICLES,
)

#: how the figures name each article: the registry's labels (``people.labels``: the citation as
#: ``rules.legal`` gives it, and what it is about)
ARTICLE_LABELS = {
    code: article_label(code) for code in (*EXEMPTION_ARTICLES, *VERVANGENDE_LEERPLICHT_ARTICLES)
}


def _kwalificatieplicht_covered(first: dt.date, last: dt.date) -> Q:
    """Art. 15 rows with a day under kwalificatieplicht from ``first`` to ``last``: kwalificatieplicht
    runs from the day after ``leerplicht_end`` to ``kwalificatieplicht_end``."""
    lp_end = "student__status__leerplicht_end"
    kp_end = "student__status__kwalificatieplicht_end"
    return (
        Q(**{f"{kp_end}__isnull": False, f"{kp_end}__gte": first, f"{lp_end}__lt": last})
        & Q(**{f"{kp_end}__gte": F("start_date")})
        & (Q(end_date__isnull=True) | Q(end_date__gt=F(lp_end)))
    )


def exemptions_in_effect(first: dt.date, last: dt.date) -> Q:
    """Vrijstellingen in effect on some day from ``first`` to ``last`` (RULES.md §7)."""
    duty_limited = Q(article__in=KWALIFICATIEPLICHT_ONLY_ARTICLES)
    return (
        Q(article__in=EXEMPTION_ARTICLES)
        & in_effect_between(first, last)
        & (~duty_limited | (duty_limited & _kwalificatieplicht_covered(first, last)))
    )


def vervangende_leerplicht_in_effect(first: dt.date, last: dt.date) -> Q:
    """Rows of vervangende leerplicht (art. 3a, 3b) running on some day from ``first`` to
    ``last``."""
    return Q(article__in=VERVANGENDE_LEERPLICHT_ARTICLES) & in_effect_between(first, last)


__all__ = [
    "ARTICLE_LABELS",
    "EXEMPTION_ARTICLES",
    "VERVANGENDE_LEERPLICHT_ARTICLES",
    "exemptions_in_effect",
    "vervangende_leerplicht_in_effect",
]
