"""Dutch month and day names and thousands separators in the monitor (issue 11 §9): the charts'
Vega-Lite locale follows the UI's language, and a figure is written with the language's
thousands separator."""

from __future__ import annotations

from django.utils import translation

from inbeeld.monitor import charts
from inbeeld.monitor.selectors import Trends
from inbeeld.monitor.selectors.base import FigureRow
from inbeeld.monitor.templatetags.monitor_figures import figure, rate


def _trends() -> Trends:
    months = [
        FigureRow(key="2025-03", label="maart 2025", values={"new": 1540, "returns": 7}),
        FigureRow(key="total", label="totaal", values={"new": 1540, "returns": 7}, is_total=True),
    ]
    return Trends(
        school_year=2024,
        label="2024-2025",
        months=months,
        years=[],
        breakdown="school",
        breakdown_rows=[],
    )


def test_the_dutch_charts_name_months_and_days_in_dutch_with_a_thousands_point():
    with translation.override("nl"):
        spec = charts.trend_chart(_trends())
    locale = spec["config"]["locale"]
    assert locale["time"]["shortMonths"][2] == "mrt"
    assert locale["time"]["months"][9] == "oktober"
    assert locale["time"]["days"][1] == "maandag"
    assert locale["number"]["thousands"] == "."
    assert locale["number"]["decimal"] == ","
    assert spec["config"]["numberFormat"] == ","
    assert spec["encoding"]["x"]["axis"]["format"] == "%b %Y"


def test_the_english_charts_keep_english():
    with translation.override("en"):
        spec = charts.trend_chart(_trends())
    assert "locale" not in spec["config"]
    assert spec["config"]["numberFormat"] == ","


def test_figures_have_the_languages_thousands_separator():
    with translation.override("nl"):
        assert figure(1540) == "1.540"
        assert figure(20_000) == "20.000"
        assert figure(7) == "7"
        assert figure(1540.5) == "1.540,5"
        assert rate(1234.567) == "1.234,57"
    with translation.override("en"):
        assert figure(1540) == "1,540"
        assert rate(1234.567) == "1,234.57"
