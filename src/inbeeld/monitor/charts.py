"""Vega-Lite specifications of the dashboard's charts, built from the (already suppressed)
figures. Each chart has a table with the same numbers beside it in the template; a hidden number
is left out of the chart (null), never drawn as zero."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inbeeld.monitor.selectors import NowFigures, TargetFigures, Trends
from inbeeld.rules.calendar import MONTH_NAMES_NL, WEEKDAYS_NL

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: readable on the NL Design System page: dark text, the colours of the inbeeld theme
CONFIG = {
    "font": "system-ui, sans-serif",
    "axis": {
        "labelFontSize": 13,
        "titleFontSize": 13,
        "labelColor": "#1a1a1a",
        "titleColor": "#1a1a1a",
    },
    "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "bottom"},
    "range": {"category": ["#154273", "#d9730d", "#2e7d32", "#6a1b9a"]},
    "view": {"stroke": None},
}


#: Dutch month and day names and number format (d3's nl-NL locale) for the charts in the Dutch UI:
#: "mrt 2025", "1.540"; the English UI keeps Vega's English default (en-US)
LOCALE_NL = {
    "number": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["€\u00a0", ""],
    },
    "time": {
        "dateTime": "%a %e %B %Y %X",
        "date": "%d-%m-%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": [WEEKDAYS_NL[-1], *WEEKDAYS_NL[:-1]],  # d3: Sunday first
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": list(MONTH_NAMES_NL),
        "shortMonths": [
            "jan",
            "feb",
            "mrt",
            "apr",
            "mei",
            "jun",
            "jul",
            "aug",
            "sep",
            "okt",
            "nov",
            "dec",
        ],
    },
}


def _config() -> dict:
    """The charts' look, with the locale of the active language (numbers with thousands
    separators in axes and tooltips: ``numberFormat``)."""
    config = {**CONFIG, "numberFormat": ","}
    if (get_language() or "nl").startswith("nl"):
        config["locale"] = LOCALE_NL
    return config


def has_data(spec: dict) -> bool:
    """Whether a chart has anything to draw (every number hidden: a sentence instead)."""
    return any(row.get("aantal") is not None for row in spec["data"]["values"])


def _spec(description: str, data: list[dict], **rest) -> dict:
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": _config(),
        "data": {"values": data},
        **rest,
    }


def now_chart(now: NowFigures) -> dict:
    """Thuiszitters now, per category, and of them over three months."""
    data = []
    for row in now.thuiszitters:
        data.append(
            {"categorie": str(row.label), "reeks": _("nu thuis"), "aantal": row.values["now"]}
        )
        data.append(
            {
                "categorie": str(row.label),
                "reeks": _("langer dan 3 maanden"),
                "aantal": row.values["over_3_months"],
            }
        )
    return _spec(
        _("Thuiszitters nu, per categorie, en hoeveel van hen langer dan drie maanden"),
        data,
        mark={"type": "bar", "tooltip": True},
        encoding={
            "y": {"field": "categorie", "type": "nominal", "title": None},
            "yOffset": {"field": "reeks"},
            "x": {"field": "aantal", "type": "quantitative", "title": _("aantal kinderen")},
            "color": {"field": "reeks", "type": "nominal", "title": None},
        },
    )


def trend_chart(trends: Trends) -> dict:
    """New thuiszitters and returns to school per month of the school year."""
    data = []
    for row in trends.months[:-1]:
        for key, label in (("new", _("nieuwe thuiszitters")), ("returns", _("terug naar school"))):
            data.append({"maand": row.key, "reeks": label, "aantal": row.values[key]})
    return _spec(
        _("Nieuwe thuiszitters en terugkeer naar school per maand, schooljaar %(year)s")
        % {"year": trends.label},
        data,
        mark={"type": "line", "point": True, "tooltip": True},
        encoding={
            "x": {
                "field": "maand",
                "type": "temporal",
                "timeUnit": "yearmonth",
                "title": None,
                "axis": {"format": "%b %Y", "labelAngle": -40},
            },
            "y": {"field": "aantal", "type": "quantitative", "title": _("aantal kinderen")},
            "color": {"field": "reeks", "type": "nominal", "title": None},
        },
    )


def target_chart(targets: TargetFigures) -> dict:
    """Thuiszitters per school year beside the pact's target for that year."""
    data = []
    for row in targets.rows:
        label = row["label"] + (" " + _("(tot nu toe)") if row["so_far"] else "")
        data.append({"schooljaar": label, "reeks": _("thuiszitters"), "aantal": row["actual"]})
        data.append({"schooljaar": label, "reeks": _("doel"), "aantal": row["target"]})
    return _spec(
        _("Thuiszitters per schooljaar naast het doel van het thuiszitterspact"),
        data,
        mark={"type": "bar", "tooltip": True},
        encoding={
            "x": {"field": "schooljaar", "type": "nominal", "title": None, "sort": None},
            "xOffset": {"field": "reeks"},
            "y": {"field": "aantal", "type": "quantitative", "title": _("aantal kinderen")},
            "color": {"field": "reeks", "type": "nominal", "title": None},
        },
    )


def breakdown_chart(trends: Trends, breakdown_label: str) -> dict:
    """New thuiszitters in the school year per group of the breakdown."""
    data = [
        {"groep": str(row.label), "aantal": row.values["new"]} for row in trends.breakdown_rows[:-1]
    ]
    return _spec(
        _("Nieuwe thuiszitters in schooljaar %(year)s per %(group)s")
        % {"year": trends.label, "group": breakdown_label},
        data,
        height={"step": 22},
        mark={"type": "bar", "tooltip": True, "color": "#154273"},
        encoding={
            "y": {"field": "groep", "type": "nominal", "title": None, "sort": "-x"},
            "x": {"field": "aantal", "type": "quantitative", "title": _("nieuwe thuiszitters")},
        },
    )
