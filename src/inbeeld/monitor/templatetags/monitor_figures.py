"""Showing a figure: a number, or the mark for a hidden one (never an empty cell); and the
dashboard's tables of figure rows (``{% figures_table %}``), each from one description of its
columns."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()


def _hidden():
    return format_html(
        '<span class="monitor-hidden" data-testid="hidden-figure">x<span class="inbeeld-visually-hidden"> ({})</span></span>',
        _("verborgen"),
    )


@register.filter
def figure(value):
    """A count or a median: ``None`` is hidden (fewer than 5, or derivable from a total)."""
    if value is None:
        return _hidden()
    if isinstance(value, float):
        return floatformat(value, "-1g")
    if isinstance(value, int) and not isinstance(value, bool):
        return floatformat(value, "0g")  # with the language's thousands separator: 1.540
    return value


@register.filter
def rate(value):
    """Per 1,000 pupils, two decimals (Dutch decimal comma)."""
    if value is None:
        return _hidden()
    return floatformat(value, "2g")


@register.filter
def get(mapping, key):
    """``row.values|get:"now"`` for templates."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


# -- the dashboard's tables of figure rows (``monitor.selectors.FigureRow``) ------------------


@dataclass(frozen=True)
class Column:
    """A column of numbers: its heading, the key in ``FigureRow.values``, and whether it is a rate
    per 1,000 pupils (else a count or a median)."""

    label: str
    key: str
    rate: bool = False


@dataclass(frozen=True)
class Table:
    """A table of figure rows: the heading of the rows' labels, the columns, the default
    caption, and whether a total row's label is printed in bold."""

    header: str
    columns: tuple[Column, ...]
    caption: str = ""
    bold_total: bool = False


_PER_1000 = gettext_lazy("Per 1.000 leerlingen")
_NEW = Column(gettext_lazy("Nieuwe thuiszitters"), "new")
_RETURNS = Column(gettext_lazy("Terug naar school"), "returns")
_MEDIAN_RETURN = Column(gettext_lazy("Mediaan dagen tot terugkeer"), "median_days_to_return")
_RELAPSES = Column(gettext_lazy("Terugval"), "relapses")
_OVER_3_MONTHS = Column(gettext_lazy("Langer dan 3 maanden"), "over_3_months")

TABLES = {
    "now": Table(
        gettext_lazy("Categorie"),
        (
            Column(gettext_lazy("Nu thuis"), "now"),
            Column(_PER_1000, "now_per_1000", rate=True),
            _OVER_3_MONTHS,
            Column(_PER_1000, "over_3_months_per_1000", rate=True),
        ),
        caption=gettext_lazy("Thuiszitters nu per categorie"),
        bold_total=True,
    ),
    "articles": Table(
        gettext_lazy("Artikel"),
        (Column(gettext_lazy("Aantal"), "now"), Column(_PER_1000, "now_per_1000", rate=True)),
    ),
    "meldingen": Table(
        gettext_lazy("Regel"),
        (Column(gettext_lazy("Open"), "now"),),
        caption=gettext_lazy("Open meldingen per regel"),
    ),
    "cases": Table(
        gettext_lazy("Stap"),
        (Column(gettext_lazy("Open zaken"), "now"),),
        caption=gettext_lazy("Open zaken per stap van de escalatieladder"),
    ),
    "referrals": Table(
        gettext_lazy("Verwezen naar"),
        (
            Column(gettext_lazy("Wachtend"), "waiting"),
            Column(gettext_lazy("Mediaan dagen gewacht"), "median_days_waiting"),
        ),
        caption=gettext_lazy("Verwijzingen die wachten, en hoe lang"),
    ),
    "barriers": Table(
        gettext_lazy("Belemmering"),
        (
            Column(gettext_lazy("Open"), "open"),
            Column(gettext_lazy("Mediaan dagen open"), "median_days_open"),
            Column(gettext_lazy("Langst open (dagen)"), "longest_days_open"),
        ),
        caption=gettext_lazy("Open belemmeringen (vervoer, wachtlijst, plek), en hoe lang"),
    ),
    "causes": Table(
        gettext_lazy("Oorzaak"),
        (Column(gettext_lazy("Nu thuis"), "now"),),
        caption=gettext_lazy(
            "Thuiszitters nu per oorzaak; een kind met meer oorzaken telt in elke rij mee, dus de "
            "rijen tellen niet op tot het totaal"
        ),
        bold_total=True,
    ),
    "school_team_causes": Table(
        gettext_lazy("Oorzaak"),
        (Column(gettext_lazy("Op de lijst"), "now"),),
        caption=gettext_lazy(
            "Kinderen op de lijst van een schoolteam nu per oorzaak; een kind met meer oorzaken "
            "telt in elke rij mee, dus de rijen tellen niet op tot het totaal"
        ),
        bold_total=True,
    ),
    "months": Table(
        gettext_lazy("Maand"), (_NEW, _RETURNS, _MEDIAN_RETURN, _RELAPSES), bold_total=True
    ),
    "years": Table(
        gettext_lazy("Schooljaar"),
        (
            Column(gettext_lazy("Thuiszitters"), "thuiszitters"),
            _OVER_3_MONTHS,
            _NEW,
            _RETURNS,
            _MEDIAN_RETURN,
            _RELAPSES,
        ),
        caption=gettext_lazy("Per schooljaar"),
    ),
    "breakdown": Table(
        "", (_NEW, _RETURNS, _MEDIAN_RETURN, _RELAPSES, _OVER_3_MONTHS), bold_total=True
    ),
}


@register.inclusion_tag("monitor/_figures_table.html")
def figures_table(kind: str, rows, testid: str, caption: str = "", header: str = "") -> dict:
    """``{% figures_table "meldingen" now.meldingen "table-meldingen" %}``: the rows as the table
    :data:`TABLES` describes (``caption`` and ``header`` replace its own when given)."""
    table = TABLES[kind]
    return {
        "table": table,
        "rows": rows,
        "testid": testid,
        "caption": caption or table.caption,
        "header": header or table.header,
    }


@register.filter
def cell(row, column: Column):
    """The printed value of ``column`` in a figure row: a rate or a count (hidden when None)."""
    value = row.values.get(column.key)
    return rate(value) if column.rate else figure(value)
