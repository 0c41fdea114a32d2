"""The leerplichttelling as files (issue 5 §2): CSV, XLSX and a printable PDF for the council.

Each function takes a :class:`~inbeeld.monitor.telling.Telling` and returns bytes; by default the
telling is published first (``suppress=True``: counts 1–4 and what would reveal them hidden, shown
as ``x``), because a file leaves the case team. Pass ``suppress=False`` only for a case team's
own use. Nothing in these files leads to a child: they hold counts only.

* :func:`telling_csv`: one line per number (``;``-separated, UTF-8 with a byte-order mark so that
  Excel in Dutch opens it as it is): school year, organisation, part, line, column, number.
* :func:`telling_xlsx`: a sheet with the main figures (title with the school year and the
  organisation), and a sheet per breakdown with headers and totals.
* :func:`telling_pdf`: the report for the council (art. 25 LPW: before 1 October): the year's
  story in a few sentences generated from the numbers (:func:`story`), the figures, charts
  (Vega-Lite, rendered by vl-convert) and the tables.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable
from pathlib import Path

from inbeeld.monitor.suppression import HIDDEN_LEGEND, HIDDEN_TEXT, Cell, shown
from inbeeld.monitor.telling import AV, LRV, Table, Telling
from inbeeld.rules.calendar import MONTH_NAMES_NL

logger = logging.getLogger(__name__)

CSV_HEADER = ("schooljaar", "organisatie", "onderdeel", "regel", "kolom", "aantal")
SUPPRESSION_NOTE = HIDDEN_LEGEND
COLOURS = {AV: "#b3261e", LRV: "#e8a33d"}

#: the report's stylesheet, a file (no template carries inline style, see ui/tests/test_csp.py)
REPORT_CSS = Path(__file__).parent / "templates" / "monitor" / "telling_report.css"


def _published(telling: Telling, suppress: bool) -> Telling:
    return telling.published() if suppress else telling


def title(telling: Telling) -> str:
    return f"Leerplichttelling {telling.label} – {telling.scope_label}"


def _period(telling: Telling) -> str:
    text = (
        f"Schooljaar {telling.label}: 1 augustus {telling.period_start.year} tot en met "
        f"31 juli {telling.period_end.year}."
    )
    if telling.on_date is None:
        return text + " Er zijn nog geen berekende cijfers."
    if not telling.complete:
        return text + f" Het schooljaar loopt nog: cijfers tot en met {_date(telling.on_date)}."
    return text + f" Berekend op {_date(telling.on_date)}."


MONTH_NAMES = MONTH_NAMES_NL


def _date(day) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _number(cell: Cell) -> str:
    """A number in a sentence: Dutch thousands separator; a hidden one is 'minder dan 5'."""
    if cell is None:
        return "minder dan 5"
    return f"{cell:,}".replace(",", ".")


def _cell(cell: Cell) -> int | str:
    return shown(cell)


def _pdf_cell(cell):
    """A cell of a PDF table: a count with the Dutch thousands separator (1.540)."""
    if isinstance(cell, int) and not isinstance(cell, bool):
        return f"{cell:,}".replace(",", ".")
    return cell


def story(telling: Telling) -> list[str]:
    """A few sentences for the council, generated from the (published) numbers."""
    v = telling.value
    scope = telling.scope_label
    lines = [
        f"In {telling.label} zaten in {scope} {_number(v('thuiszitters'))} kinderen thuis: "
        f"{_number(v('absoluut_verzuim'))} waren nergens ingeschreven (absoluut verzuim) en "
        f"{_number(v('lrv_total'))} waren ingeschreven maar vier weken of langer ongeoorloofd "
        f"afwezig (langdurig relatief verzuim).",
        f"{_number(v('thuiszitters_over_3_months'))} van hen zaten langer dan drie maanden thuis; "
        f"voor {_number(v('ended_over_3_months'))} kinderen eindigde zo'n lange periode in het "
        f"schooljaar.",
        f"Op 1 september waren {_number(v('lrv_on_1_september'))} kinderen langdurig relatief "
        f"verzuimer; in de loop van het jaar kwamen er {_number(v('lrv_new'))} bij.",
        f"Voor {_number(v('relatief_verzuim_16_uur'))} leerlingen meldde de school relatief "
        f"verzuim (16 uur in 4 weken), elk kind één keer geteld. In totaal kwamen er "
        f"{_number(v('meldingen'))} verzuimmeldingen binnen.",
        f"{_number(v('exemptions'))} kinderen hadden een vrijstelling van de leerplicht; "
        f"{_number(v('vervangende_leerplicht'))} volgden vervangende leerplicht (artikel 3a of 3b, "
        f"geen vrijstelling).",
    ]
    if telling.suppressed:
        lines.append(SUPPRESSION_NOTE)
    return lines


# -- CSV ----------------------------------------------------------------------------------------


def _table_lines(table: Table) -> Iterable[tuple[str, str, Cell]]:
    """(line, column, cell) of a table, totals included."""
    for row in table.rows:
        for column, cell in zip(table.columns, row.cells, strict=True):
            yield row.label, column, cell
        if table.has_row_totals:
            yield row.label, "totaal", row.total
    if table.column_totals is not None:
        for column, cell in zip(table.columns, table.column_totals, strict=True):
            yield "totaal", column, cell
        if table.has_row_totals:
            yield "totaal", "totaal", table.grand_total


def telling_csv(telling: Telling, *, suppress: bool = True) -> bytes:
    """The telling as CSV: one line per number (see the module docstring)."""
    t = _published(telling, suppress)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for figure in t.figures:
        writer.writerow(
            (t.label, t.scope_label, "kerncijfers", figure.label, "", _cell(figure.value))
        )
    for table in t.tables:
        for line, column, cell in _table_lines(table):
            writer.writerow((t.label, t.scope_label, table.title, line, column, _cell(cell)))
    return out.getvalue().encode("utf-8-sig")


# -- XLSX ---------------------------------------------------------------------------------------


def _sheet_name(text: str, used: set[str]) -> str:
    name = "".join(c for c in text if c not in "[]:*?/\\")[:31]
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def telling_xlsx(telling: Telling, *, suppress: bool = True) -> bytes:
    """The telling as an Excel workbook: main figures, then a sheet per breakdown."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    t = _published(telling, suppress)
    book = Workbook()
    bold = Font(bold=True)
    sheet = book.active
    used: set[str] = set()
    sheet.title = _sheet_name("Kerncijfers", used)
    sheet.append([title(t)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_period(t)])
    if t.suppressed:
        sheet.append([SUPPRESSION_NOTE])
    sheet.append([])
    sheet.append(["Onderwerp", "Aantal kinderen"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for figure in t.figures:
        sheet.append([figure.label, _cell(figure.value)])
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 18
    for table in t.tables:
        ws = book.create_sheet(_sheet_name(table.title, used))
        ws.append([f"{table.title} – {t.label} – {t.scope_label}"])
        ws["A1"].font = Font(bold=True, size=13)
        if table.note:
            ws.append([table.note])
        ws.append([])
        header = [table.row_header, *table.columns]
        if table.has_row_totals:
            header.append("totaal")
        ws.append(header)
        for cell in ws[ws.max_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
        for row in table.rows:
            values = [row.label, *(_cell(c) for c in row.cells)]
            if table.has_row_totals:
                values.append(_cell(row.total))
            ws.append(values)
        if table.column_totals is not None:
            values = ["totaal", *(_cell(c) for c in table.column_totals)]
            if table.has_row_totals:
                values.append(_cell(table.grand_total))
            ws.append(values)
            for cell in ws[ws.max_row]:
                cell.font = bold
        ws.column_dimensions["A"].width = 40
        for letter in "BCDEFG":
            ws.column_dimensions[letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- charts -------------------------------------------------------------------------------------

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: in the PDF instead of a chart with nothing to draw (every number hidden, or none at all)
NO_CHART_TEXT = "Geen grafiek: er zijn geen aantallen om te tekenen (verborgen of geen)."


def chart_specs(telling: Telling) -> dict[str, dict]:
    """Vega-Lite specs of the report's charts (hidden numbers are left out and named so): the
    main figures, thuiszitters through the year, and how the meldingen were handled. Shared with
    the dashboard so that screen and paper tell the same story."""
    t = telling
    figures = [
        (
            "absoluut verzuim",
            t.value("absoluut_verzuim"),
            t.value("absoluut_verzuim_over_3_months"),
        ),
        ("langdurig relatief verzuim", t.value("lrv_total"), t.value("lrv_over_3_months")),
    ]
    main = [
        {"categorie": name, "soort": kind, "kinderen": value}
        for name, total, long in figures
        for kind, value in (("in het schooljaar", total), ("langer dan drie maanden", long))
        if value is not None
    ]
    months = t.table("per_month")
    month_values = [
        {
            "maand": row.label.removeprefix("eind "),
            "volgorde": i,
            "categorie": column,
            "kinderen": cell,
        }
        for i, row in enumerate(months.rows)
        for column, cell in zip(months.columns, row.cells, strict=True)
        if cell is not None
    ]
    handling = t.table("meldingen")
    handled = [
        {"afhandeling": row.label, "melding": column, "aantal": cell}
        for row in handling.rows
        for column, cell in zip(handling.columns, row.cells, strict=True)
        if cell
    ]
    return {
        "main": _bars(
            f"Thuiszitters in {t.label}",
            140,
            main,
            _colour_by("soort", ["#1f5aa6", "#b3261e"]),
            tooltip=True,
            y={"field": "categorie", "type": "nominal", "title": None},
            yOffset={"field": "soort"},
            x={"field": "kinderen", "type": "quantitative", "title": "kinderen"},
        ),
        "per_month": _bars(
            "Thuiszitters aan het eind van elke maand",
            180,
            month_values,
            _colour_by("categorie", [COLOURS[AV], COLOURS[LRV]]),
            x={
                "field": "maand",
                "type": "ordinal",
                "sort": {"field": "volgorde"},
                "title": None,
                "axis": {"labelAngle": -40},
            },
            y={"field": "kinderen", "type": "quantitative", "stack": True},
        ),
        "meldingen": _bars(
            "Afhandeling van de verzuimmeldingen",
            180,
            handled,
            _colour_by("melding"),
            y={"field": "afhandeling", "type": "nominal", "title": None, "sort": None},
            x={"field": "aantal", "type": "quantitative", "stack": True},
        ),
    }


def _bars(
    title: str, height: int, values: list[dict], colour: dict, *, tooltip: bool = False, **axes
) -> dict:
    """A Vega-Lite bar chart of ``values``: its ``axes`` (encoding channels) and the bars' colour."""
    return {
        "$schema": SCHEMA,
        "width": 440,
        "config": {"view": {"stroke": None}},
        "title": title,
        "height": height,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True} if tooltip else {"type": "bar"},
        "encoding": {**axes, "color": colour},
    }


def _colour_by(field: str, colours: list[str] | None = None) -> dict:
    """The bars' colour by ``field`` (in ``colours``, else the theme's), the legend below."""
    scale = {"scale": {"range": colours}} if colours else {}
    return {
        "field": field,
        "type": "nominal",
        **scale,
        "legend": {"orient": "bottom", "title": None},
    }


def chart_png(spec: dict, scale: float = 2.0) -> bytes | None:
    """The chart as a PNG, or None when there is nothing to draw. vl-convert cannot size a chart
    without data ("SVG has an invalid size", finding 14 of issue 9); a chart it still cannot draw
    is logged and left out, so that the report itself never fails."""
    import vl_convert

    if not spec["data"]["values"]:
        return None
    try:
        return vl_convert.vegalite_to_png(spec, scale=scale)
    except ValueError:
        logger.exception("chart %r could not be drawn; left out of the report", spec.get("title"))
        return None


# -- PDF ----------------------------------------------------------------------------------------


def _pdf_table(table: Table) -> dict:
    """One table of the report as the template shows it: header, rows, the totals row."""
    header = [table.row_header, *table.columns] + (["totaal"] if table.has_row_totals else [])
    rows = [
        [row.label, *(_pdf_cell(_cell(c)) for c in row.cells)]
        + ([_pdf_cell(_cell(row.total))] if table.has_row_totals else [])
        for row in table.rows
    ]
    totals = None
    if table.column_totals is not None:
        totals = ["totaal", *(_pdf_cell(_cell(c)) for c in table.column_totals)] + (
            [_pdf_cell(_cell(table.grand_total))] if table.has_row_totals else []
        )
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "header": header,
        "rows": rows,
        "totals": totals,
        # a short table stays on one page; a long one (per school) runs on, its header repeated
        "keep_together": len(table.rows) < 25,
    }


def telling_pdf(telling: Telling, *, suppress: bool = True) -> bytes:
    """The printable report for the council: story, main figures, charts and tables (A4), as a
    tagged PDF/UA-1 (WeasyPrint; docs/adr/0003): headings, tables with their header cells, the
    charts with their description as alternative text, the document's language and title."""
    import base64

    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    t = _published(telling, suppress)
    specs = chart_specs(t)

    def image(spec: dict) -> dict:
        png = chart_png(spec)
        return {
            "title": spec["title"],
            "src": None
            if png is None
            else "data:image/png;base64," + base64.b64encode(png).decode(),
        }

    tables = []
    for table in t.tables:
        if not table.rows:
            continue
        tables.append(_pdf_table(table))
        if table.key == "meldingen" and any(any(r.cells) for r in table.rows):
            tables[-1]["chart"] = image(specs["meldingen"])
    html = render_to_string(
        "monitor/telling_report.html",
        {
            "title": title(t),
            "period": _period(t),
            "story": story(t),
            "figures": [(f.label, _pdf_cell(_cell(f.value))) for f in t.figures],
            "charts": [image(specs["main"])]
            + ([image(specs["per_month"])] if t.table("per_month").rows else []),
            "tables": tables,
            "no_chart": NO_CHART_TEXT,
            "source": (
                "Bron: Inbeeld, berekend volgens de regels in RULES.md (Leerplichtwet 1969, art. "
                "2, 3, 4a, 5, 21, 21a, 25). Unieke kinderen over het hele schooljaar. "
                + SUPPRESSION_NOTE
                if t.suppressed
                else "Bron: Inbeeld. Niet-afgeschermde cijfers: alleen voor het casusteam."
            ),
        },
    )
    return HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(REPORT_CSS))], pdf_variant="pdf/ua-1"
    )


__all__ = [
    "CSV_HEADER",
    "HIDDEN_TEXT",
    "NO_CHART_TEXT",
    "chart_png",
    "chart_specs",
    "story",
    "telling_csv",
    "telling_pdf",
    "telling_xlsx",
    "title",
]
