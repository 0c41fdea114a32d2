"""Dutch labels of the exchange format's codes (RULES.md §6, §7), for people rather than files.

The model choices keep the codes as they are in the files (``5a``, ``luxe``); screens, forms and
the API's descriptions use these labels. Art. 3a/3b are *vervangende leerplicht*, never a
vrijstelling (RULES.md §7), and are labelled so.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from inbeeld.rules.legal import article_citation
from inbeeld.rules.model import (
    ARTICLES,
    EXEMPTION_ARTICLES,
    REASONS,
    VERVANGENDE_LEERPLICHT_ARTICLES,
)

#: article code → what it is (LPW 1969): the citation as the law reads (``rules.legal``: the code
#: 5a is "artikel 5, onder a"; "artikel 5a" is trekkend bestaan) and what it is about
ARTICLE_DESCRIPTIONS = {
    "5a": _("lichamelijk of psychisch niet in staat om naar school te gaan"),
    "5b": _("bezwaar tegen de richting van alle scholen in de buurt"),
    "5c": _("ingeschreven bij een school in het buitenland"),
    "5a_trekkend": _("trekkend bestaan (ouders met een reizend beroep)"),
    "15": _("ander onderwijs (alleen kwalificatieplicht)"),
    "3a": _("vervangende leerplicht (vanaf 14 jaar)"),
    "3b": _("vervangende leerplicht (laatste schooljaar)"),
}
ARTICLE_LABELS = {
    code: format_lazy("{} – {}", article_citation(code), description)
    for code, description in ARTICLE_DESCRIPTIONS.items()
}

#: absence reason code → label
REASON_LABELS = {
    "ongeoorloofd": _("ongeoorloofd"),
    "ziek": _("ziek"),
    "geoorloofd": _("geoorloofd"),
    "luxe": _("luxe verzuim"),
    "11a": _("vijfjarige thuis, art. 11a"),
}

assert set(ARTICLE_LABELS) == set(ARTICLES)
assert set(REASON_LABELS) == set(REASONS)


def is_vervangende_leerplicht(article: str) -> bool:
    """Art. 3a/3b: vervangende leerplicht, kept and counted apart, no vrijstelling (RULES.md §7)."""
    return article in VERVANGENDE_LEERPLICHT_ARTICLES


def is_exemption(article: str) -> bool:
    """An article that makes a child vrijgesteld (RULES.md §7)."""
    return article in EXEMPTION_ARTICLES


def article_label(article: str) -> str:
    return str(ARTICLE_LABELS.get(article, article))


def reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


def reason_choices_text() -> str:
    """``ongeoorloofd, ziek, … , 11a (vijfjarige thuis, art. 11a)`` for messages."""
    return ", ".join(
        code if str(REASON_LABELS[code]) == code else f"{code} ({REASON_LABELS[code]})"
        for code in REASONS
    )
