"""The backtest's report (issue 12 §4): a table on screen, CSV files and one HTML file with
charts that works offline.

Files written to the output directory (each first under a temporary name, then moved into place):

* ``signalen.csv``: per signal and for all signals together (``alle``): children in view, flagged,
  flag rate, thuiszitters, hits, precision, recall, median lead time in days;
* ``groepen.csv``: the same per signal, group dimension (schooltype, leeftijdsgroep,
  postcodegebied) and group, with the ratio of flag rate, precision and recall to everyone's;
* ``peildata.csv``: the reference days;
* ``rapport.html``: the figures, the definitions, and charts as Vega-Lite specs (embedded as JSON)
  drawn beforehand as SVG with vl-convert, so the page needs no script and no network.

Every report says plainly that figures on synthetic data say nothing about real children.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl

from inbeeld.rules.backtest import ALL, GROUPS, RATIOS, BacktestResult
from inbeeld.rules.care_signals import NAMES
from inbeeld.rules.signal_replay import SIGNAL_CODES

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
SYNTHETIC_WARNING = (
    "Let op: cijfers over synthetische gegevens (zoals de demo-gemeente van Inbeeld) zeggen niets "
    "over echte kinderen. Ze laten alleen zien dat de berekening werkt."
)
LABELS = {**NAMES, ALL: "Alle signalen samen"}


def label(code: str) -> str:
    return LABELS.get(code, code)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%".replace(".", ",")


def _number(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", ",")


def text(result: BacktestResult, source: str = "") -> str:
    """The table on screen (Dutch)."""
    days = result.days
    lines = [
        f"Backtest zorgsignalen, geschiedenis tot {result.on:%d-%m-%Y}"
        + (f" ({source})" if source else ""),
        (
            f"{len(days)} peildata, om de {result.settings.every_days} dagen, "
            f"van {days[0]:%d-%m-%Y} tot {days[-1]:%d-%m-%Y}; "
            f"thuiszitter binnen {result.settings.horizon_months} maanden na de peildatum"
            if days
            else "Geen peildata: de geschiedenis is te kort."
        ),
        "",
        f"{'Signaal':<38}{'kinderen':>9}{'gesign.':>9}{'thuisz.':>9}{'terecht':>9}"
        f"{'precisie':>10}{'recall':>9}{'dagen vooraf':>14}",
    ]
    for row in result.signals.iter_rows(named=True):
        lines.append(
            f"{label(row['code']):<38}{_number(row['children']):>9}{_number(row['flagged']):>9}"
            f"{_number(row['thuiszitters']):>9}{_number(row['hits']):>9}"
            f"{_percent(row['precision']):>10}{_percent(row['recall']):>9}"
            f"{_number(row['lead_days_median']):>14}"
        )
    missing = [code for code in SIGNAL_CODES if code not in result.available]
    if missing:
        lines += [
            "",
            "Niet na te spelen uit deze bron (geen wachtlijsten of afhandeling van meldingen): "
            + ", ".join(label(c) for c in missing)
            + ".",
        ]
    lines += [
        "",
        "Alle signalen samen, per groep (verhouding tot iedereen; postcodegebieden: groepen.csv "
        "en rapport.html):",
    ]
    lines.append(
        f"  {'groep':<28}{'kinderen':>9}{'gesign.':>9}{'signalering':>13}{'precisie':>10}"
        f"{'recall':>9}"
    )
    groups = result.groups.filter(pl.col("code") == ALL)
    for dimension in (GROUPS["school_type"], GROUPS["age_group"]):
        for row in groups.filter(pl.col("dimension") == dimension).iter_rows(named=True):
            name = f"{dimension} {row['group']}"
            if row["suppressed"]:
                lines.append(
                    f"  {name:<28}{'minder dan ' + str(result.settings.min_group_size):>18}"
                )
                continue
            lines.append(
                f"  {name:<28}{_number(row['children']):>9}{_number(row['flagged']):>9}"
                f"{_ratio(row['flag_rate_ratio']):>13}{_ratio(row['precision_ratio']):>10}"
                f"{_ratio(row['recall_ratio']):>9}"
            )
    lines += ["", SYNTHETIC_WARNING]
    return "\n".join(lines)


# -- charts ---------------------------------------------------------------------------------------


def chart_specs(result: BacktestResult) -> dict[str, dict]:
    """Vega-Lite specs: precision and recall per signal; per group dimension the flag rate's
    ratio to everyone's (all signals together)."""
    per_signal = [
        {"signaal": label(row["code"]), "maat": maat, "waarde": row[key]}
        for row in result.signals.iter_rows(named=True)
        for maat, key in (("precisie", "precision"), ("recall", "recall"))
        if row[key] is not None
    ]
    specs = {
        "signalen": {
            "$schema": SCHEMA,
            "title": "Precisie en recall per signaal",
            "data": {"values": per_signal},
            "mark": "bar",
            "encoding": {
                "y": {"field": "signaal", "type": "nominal", "title": None, "sort": None},
                "yOffset": {"field": "maat"},
                "x": {
                    "field": "waarde",
                    "type": "quantitative",
                    "axis": {"format": "%"},
                    "title": None,
                },
                "color": {"field": "maat", "type": "nominal", "title": None},
            },
            "width": 420,
        }
    }
    groups = result.groups.filter((pl.col("code") == ALL) & ~pl.col("suppressed"))
    for dimension in GROUPS.values():
        values = [
            {"groep": row["group"], "verhouding": row["flag_rate_ratio"]}
            for row in groups.filter(pl.col("dimension") == dimension).iter_rows(named=True)
            if row["flag_rate_ratio"] is not None
        ]
        specs[dimension] = {
            "$schema": SCHEMA,
            "title": f"Signaleringsgraad per {dimension}, verhouding tot iedereen",
            "data": {"values": values},
            "layer": [
                {
                    "mark": "bar",
                    "encoding": {
                        "y": {"field": "groep", "type": "nominal", "title": None, "sort": None},
                        "x": {"field": "verhouding", "type": "quantitative", "title": None},
                    },
                },
                {
                    "mark": {"type": "rule", "color": "black"},
                    "encoding": {"x": {"datum": 1}},
                },
            ],
            "width": 420,
        }
    return specs


def chart_svg(spec: dict) -> str | None:
    """The chart drawn as SVG (vl-convert, no network), or None when there is nothing to draw."""
    import vl_convert

    values = spec["data"]["values"]
    if not values:
        return None
    try:
        return vl_convert.vegalite_to_svg(spec)
    except ValueError:
        return None


# -- files ----------------------------------------------------------------------------------------


def _write(path: Path, write: Callable[[str], object]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _table_html(frame: pl.DataFrame, columns: dict[str, Callable[[dict], str]]) -> str:
    head = "".join(f"<th scope='col'>{html.escape(name)}</th>" for name in columns)
    body = []
    for row in frame.iter_rows(named=True):
        cells = "".join(f"<td>{html.escape(show(row))}</td>" for show in columns.values())
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


SIGNAL_COLUMNS: dict[str, Callable[[dict], str]] = {
    "Signaal": lambda r: label(r["code"]),
    "Kinderen in beeld": lambda r: _number(r["children"]),
    "Gesignaleerd": lambda r: _number(r["flagged"]),
    "Signaleringsgraad": lambda r: _percent(r["flag_rate"]),
    "Thuiszitters": lambda r: _number(r["thuiszitters"]),
    "Terecht": lambda r: _number(r["hits"]),
    "Precisie": lambda r: _percent(r["precision"]),
    "Recall": lambda r: _percent(r["recall"]),
    "Dagen vooraf (mediaan)": lambda r: _number(r["lead_days_median"]),
}


def _group_columns(min_size: int) -> dict[str, Callable[[dict], str]]:
    def small(show: Callable[[dict], str]) -> Callable[[dict], str]:
        return lambda r: f"minder dan {min_size}" if r["suppressed"] else show(r)

    return {
        "Groep": lambda r: r["group"],
        "Kinderen": small(lambda r: _number(r["children"])),
        "Gesignaleerd": small(lambda r: _number(r["flagged"])),
        "Signaleringsgraad": small(lambda r: _percent(r["flag_rate"])),
        "…t.o.v. iedereen": small(lambda r: _ratio(r["flag_rate_ratio"])),
        "Precisie": small(lambda r: _percent(r["precision"])),
        "…t.o.v. iedereen ": small(lambda r: _ratio(r["precision_ratio"])),
        "Recall": small(lambda r: _percent(r["recall"])),
        "…t.o.v. iedereen  ": small(lambda r: _ratio(r["recall_ratio"])),
    }


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
  color: #1a1a1a; line-height: 1.5; }
.warning { border: 3px solid #b00020; padding: 1rem; font-weight: bold; background: #fff4f4; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
figure { margin: 1.5rem 0; }
"""


def report_html(result: BacktestResult, source: str = "") -> str:
    s = result.settings
    days = result.days
    period = (
        f"{len(days)} peildata, om de {s.every_days} dagen, van {days[0]:%d-%m-%Y} "
        f"tot {days[-1]:%d-%m-%Y}"
        if days
        else "geen peildata (de geschiedenis is te kort)"
    )
    parts = [
        "<!DOCTYPE html>",
        "<html lang='nl'><head><meta charset='utf-8'>",
        "<title>Backtest en eerlijkheidstoets zorgsignalen</title>",
        f"<style>{STYLE}</style></head><body><main>",
        "<h1>Backtest en eerlijkheidstoets van de zorgsignalen</h1>",
        f"<p class='warning' role='note'>{html.escape(SYNTHETIC_WARNING)}</p>",
        f"<p>Geschiedenis tot {result.on:%d-%m-%Y}"
        + (f", bron: {html.escape(source)}" if source else "")
        + f". {html.escape(period)}. Groepscijfers: {html.escape(result.method)}.</p>",
        "<h2>Hoe te lezen</h2><ul>",
        "<li><strong>In beeld</strong> op een peildatum: ingeschreven op een school, leerplichtig "
        "of kwalificatieplichtig, en niet op dat moment thuiszitter.</li>",
        f"<li><strong>Terecht</strong>: het kind werd binnen {s.horizon_months} maanden na een "
        "peildatum waarop het signaal afging thuiszitter (absoluut verzuim of langdurig relatief "
        "verzuim; de eerste dag thuis telt).</li>",
        "<li><strong>Precisie</strong>: terecht / gesignaleerd. <strong>Recall</strong>: terecht / "
        f"kinderen die binnen {s.horizon_months} maanden na een peildatum in beeld thuiszitter "
        "werden. <strong>Dagen vooraf</strong>: van de eerste signalering tot de eerste dag thuis, "
        "de mediaan.</li>",
        "<li>Een verhouding die op een handvol thuiszitters rust, is ruis: lees haar met de "
        "aantallen ernaast.</li>",
        "<li><strong>Groepen</strong>: schooltype, leeftijdsgroep en postcodegebied (de eerste "
        f"{s.postcode_digits} tekens) op de eerste peildatum waarop het kind in beeld was. Een "
        "verhouding van 1 is gelijk aan iedereen; groepen kleiner dan "
        f"{s.min_group_size} kinderen tonen geen cijfers. De signalen gebruiken geen "
        "nationaliteit, afkomst, geloof, geslacht of gezinsinkomen.</li>",
        "</ul>",
        "<h2>Per signaal</h2>",
        _table_html(result.signals, SIGNAL_COLUMNS),
    ]
    missing = [code for code in SIGNAL_CODES if code not in result.available]
    if missing:
        parts.append(
            "<p>Niet na te spelen uit deze bron (geen wachtlijsten of afhandeling van meldingen): "
            + html.escape(", ".join(label(c) for c in missing))
            + ".</p>"
        )
    specs = chart_specs(result)
    for name, spec in specs.items():
        svg = chart_svg(spec)
        parts.append(f"<figure aria-label='{html.escape(spec['title'])}'>")
        parts.append(svg if svg else f"<p>{html.escape(spec['title'])}: niets te tekenen.</p>")
        spec_json = json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")
        parts.append(
            f"<script type='application/json' class='vega-lite-spec' data-chart='{name}'>"
            f"{spec_json}</script></figure>"
        )
        if name == "signalen":
            parts.append("<h2>Per groep</h2>")
    columns = _group_columns(s.min_group_size)
    for code in [*result.available, ALL]:
        rows = result.groups.filter(pl.col("code") == code)
        parts.append(f"<h3>{html.escape(label(code))}</h3>")
        for dimension in GROUPS.values():
            parts.append(f"<h4>{html.escape(dimension)}</h4>")
            parts.append(_table_html(rows.filter(pl.col("dimension") == dimension), columns))
    parts += [f"<p class='warning'>{html.escape(SYNTHETIC_WARNING)}</p>", "</main></body></html>"]
    return "\n".join(parts)


def write_report(result: BacktestResult, out: Path, source: str = "") -> list[Path]:
    """Write the CSV files and the HTML report to ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    ratio_columns = [f"{name}_ratio" for name in RATIOS]
    files = {
        "signalen.csv": lambda p: result.signals.write_csv(p),
        "groepen.csv": lambda p: result.groups.select(
            "code", "dimension", "group", "suppressed", *result.signals.columns[1:], *ratio_columns
        ).write_csv(p),
        "peildata.csv": lambda p: pl.DataFrame(
            {"on": result.days}, schema={"on": pl.Date}
        ).write_csv(p),
        "rapport.html": lambda p: Path(p).write_text(report_html(result, source), encoding="utf-8"),
    }
    paths = []
    for name, write in files.items():
        path = out / name
        _write(path, write)
        paths.append(path)
    return paths
