"""Dutch labels of the exchange format's codes (RULES.md §6, §7), for people rather than files.

The model choices keep the codes as they are in the files (``5a``, ``luxe``); screens, forms and
the API's descriptions use these labels. Art. 3a/3b are *vervangende leerplicht*, never a
vrijstelling (RULES.md §7), and are labelled so.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inbeeld.rules.model import (
    ARTICLES,
    EXEMPTION_ARTICLES,
    REASONS,
    VERVANGENDE_LEERPLICHT_ARTICLES,
)

#: article code → what it is (LPW 1969), as a person reads it
ARTICLE_LABELS = {
    "5a": _("artikel 5 onder a – lichamelijk of psychisch niet geschikt om naar school te gaan"),
    "5b": _("artikel 5 onder b – bezwaar tegen de richting van alle scholen in de buurt"),
    "5c": _("artikel 5 onder c – ingeschreven bij een school in het buitenland"),
    "5a_trekkend": _("artikel 5a – trekkend bestaan (ouders met een reizend beroep)"),
    "15": _("artikel 15 – ander onderwijs (alleen bij kwalificatieplicht)"),
    "3a": _("artikel 3a – vervangende leerplicht: een vervangend programma vanaf 14 jaar"),
    "3b": _("artikel 3b – vervangende leerplicht: een vervangend programma"),
}

#: short form for tables ("art. 5 onder a")
ARTICLE_SHORT = {
    "5a": _("art. 5 onder a"),
    "5b": _("art. 5 onder b"),
    "5c": _("art. 5 onder c"),
    "5a_trekkend": _("art. 5a (trekkend bestaan)"),
    "15": _("art. 15"),
    "3a": _("art. 3a"),
    "3b": _("art. 3b"),
}

#: absence reason code → label
REASON_LABELS = {
    "ongeoorloofd": _("ongeoorloofd"),
    "ziek": _("ziek"),
    "geoorloofd": _("geoorloofd"),
    "luxe": _("luxe verzuim"),
    "11a": _("vijfjarige thuis, art. 11a"),
}

assert set(ARTICLE_LABELS) == set(ARTICLES) == set(ARTICLE_SHORT)
assert set(REASON_LABELS) == set(REASONS)


def is_vervangende_leerplicht(article: str) -> bool:
    """Art. 3a/3b: vervangende leerplicht, kept and counted apart, no vrijstelling (RULES.md §7)."""
    return article in VERVANGENDE_LEERPLICHT_ARTICLES


def is_exemption(article: str) -> bool:
    """An article that makes a child vrijgesteld (RULES.md §7)."""
    return article in EXEMPTION_ARTICLES


def article_label(article: str) -> str:
    return str(ARTICLE_LABELS.get(article, article))


def article_short(article: str) -> str:
    return str(ARTICLE_SHORT.get(article, article))


def reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


def reason_choices_text() -> str:
    """``ongeoorloofd, ziek, … , 11a (vijfjarige thuis, art. 11a)`` for messages."""
    return ", ".join(
        code if str(REASON_LABELS[code]) == code else f"{code} ({REASON_LABELS[code]})"
        for code in REASONS
    )
