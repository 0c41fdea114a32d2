"""The figures of the monitor (issue 5 §1, §3), already limited to what the acting organisation may
count and already suppressed: nothing here returns a child, only counts.

Scope: ``monitor.scope.FigureScope`` (a gemeente counts the children living in it, a
samenwerkingsverband the pupils of its member schools, a school its own pupils); pupils "per 1,000"
are the students currently enrolled in that scope.

Every count leaves here through ``monitor.suppression`` (counts 1–4 hidden, and one more where a
single hidden count could be worked out from a total): the dashboard is always "beyond a case team".
A hidden number is ``None``.

By concern: ``base`` (the scope of the acting organisation, the latest refresh, the rows of a
table), ``now`` (where things stand), ``trends`` (per month, per year, per group) and ``targets``
(the pact's targets). The views, the API and the reports use the names exported here.
"""

from inbeeld.monitor.models import AV, LRV
from inbeeld.monitor.selectors.base import (
    FigureRow,
    as_plain,
    current_school_year,
    figure_scope,
    latest_refresh,
)
from inbeeld.monitor.selectors.now import NowFigures, now_figures, pupils_in_scope
from inbeeld.monitor.selectors.targets import (
    DEFAULT_REDUCTION,
    TargetFigures,
    current_target,
    target_figures,
    target_for_year,
    thuiszitters_in_year,
)
from inbeeld.monitor.selectors.trends import (
    BREAKDOWNS,
    DEFAULT_BREAKDOWN,
    Trends,
    school_years_available,
    trends,
)

__all__ = [
    "AV",
    "BREAKDOWNS",
    "DEFAULT_BREAKDOWN",
    "DEFAULT_REDUCTION",
    "LRV",
    "FigureRow",
    "NowFigures",
    "TargetFigures",
    "Trends",
    "as_plain",
    "current_school_year",
    "current_target",
    "figure_scope",
    "latest_refresh",
    "now_figures",
    "pupils_in_scope",
    "school_years_available",
    "target_figures",
    "target_for_year",
    "thuiszitters_in_year",
    "trends",
]
