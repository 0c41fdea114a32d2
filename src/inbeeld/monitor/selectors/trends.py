"""How things went (issue 5 §1): per month of a school year, per school year, and per school,
samenwerkingsverband, postcode area or gemeente: new thuiszitters, returns, relapses, the median
days to return and those over three months.

New means counting from a day in the period (``base.new_in``: the start of absoluut verzuim, the
20th school day of langdurig relatief verzuim), and the school year's episodes are those of
``base.in_school_year``, as in the pact's targets and the leerplichttelling; a return is an end in
the period. Over three months is a child, counted once (in the group of its first such episode).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.attendance.explanations import MONTHS
from inbeeld.monitor.models import Episode
from inbeeld.monitor.scope import FigureScope
from inbeeld.monitor.selectors.base import (
    FigureRow,
    cached,
    current_school_year,
    episodes_in,
    figure_scope,
    figures_date,
    in_school_year,
    latest_refresh,
    new_in,
    rows_with_total,
)
from inbeeld.monitor.suppression import median_days, suppress_count
from inbeeld.people.models import School
from inbeeld.rules.calendar import school_year_bounds, school_year_label, school_year_start

BREAKDOWNS = {
    "school": _("school"),
    "swv": _("samenwerkingsverband"),
    "postcode": _("postcodegebied"),
    "gemeente": _("gemeente"),
}
DEFAULT_BREAKDOWN = "school"
_BREAKDOWN_FIELDS = {
    "school": "school_id",
    "swv": "partnership_id",
    "postcode": "postcode_area",
    "gemeente": "municipality_code",
}


def school_years_available(*, actor: Actor) -> list[int]:
    """The school years with episodes in scope, plus the current one; newest first."""
    scope = figure_scope(actor=actor)
    current = current_school_year(figures_date(latest_refresh()))
    if scope is None:
        return [current]
    first = episodes_in(scope).order_by("start_date").values_list("start_date", flat=True)[:1]
    start = school_year_start(first[0]).year if first else current
    return list(range(current, min(start, current) - 1, -1))


def _relapse() -> Exists:
    """An episode is a relapse when the same child had an episode that ended before it began."""
    return Exists(
        Episode.objects.filter(
            student_id=OuterRef("student_id"), end_date__lt=OuterRef("start_date")
        )
    )


def _month_keys(year: int) -> list[dt.date]:
    return [dt.date(year + (m < 8), m, 1) for m in (*range(8, 13), *range(1, 8))]


@dataclass
class Trends:
    school_year: int
    label: str
    months: list[FigureRow]
    years: list[FigureRow]
    breakdown: str
    breakdown_rows: list[FigureRow]

    def as_dict(self) -> dict:
        return {
            "school_year": self.school_year,
            "label": self.label,
            "months": [r.as_dict() for r in self.months],
            "years": [r.as_dict() for r in self.years],
            "breakdown": self.breakdown,
            "breakdown_rows": [r.as_dict() for r in self.breakdown_rows],
        }


TREND_COLUMNS = ("new", "returns", "relapses")


def _monthly(scope: FigureScope, year: int) -> list[FigureRow]:
    first, last = school_year_bounds(year)
    episodes = episodes_in(scope)
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TREND_COLUMNS, 0))
    for row in (
        episodes.filter(new_in(first, last))
        .annotate(month=TruncMonth("counts_from"), relapse=_relapse())
        .values("month")
        .annotate(n=Count("id"), relapses=Count("id", filter=Q(relapse=True)))
    ):
        month = _as_date(row["month"])
        counts[month]["new"] = row["n"]
        counts[month]["relapses"] = row["relapses"]
    durations: dict[str, list[int]] = defaultdict(list)
    for start, end in episodes.filter(end_date__range=(first, last)).values_list(
        "start_date", "end_date"
    ):
        month = end.replace(day=1)
        counts[month]["returns"] += 1
        durations[month.isoformat()].append((end - start).days + 1)
    return rows_with_total(
        [(m.isoformat(), f"{MONTHS[m.month - 1]} {m.year}", counts[m]) for m in _month_keys(year)],
        _("heel het schooljaar"),
        TREND_COLUMNS,
        medians={"median_days_to_return": ("returns", durations)},
    )


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _yearly(scope: FigureScope, years: list[int]) -> list[FigureRow]:
    """Per school year: new, returns, relapses, median days to return, thuiszitters in the year
    (children with an episode in it) and of them over three months."""
    raw: list[tuple[str, str, dict[str, int]]] = []
    durations: dict[str, list[int]] = {}
    for year in sorted(years):
        counts = _year_counts(scope, year)
        durations[str(year)] = counts.pop("_durations")
        raw.append((str(year), school_year_label(year), counts))
    rows = [FigureRow(key, label, {}) for key, label, _ in raw]
    # the years do not add up to anything shown, so each count is suppressed on its own
    for row, (_key, _label, counts) in zip(rows, raw, strict=True):
        row.values = {k: suppress_count(v) for k, v in counts.items()}
        row.values["median_days_to_return"] = (
            median_days(durations[row.key]) if row.values["returns"] is not None else None
        )
    return rows


def _year_counts(scope: FigureScope, year: int) -> dict:
    first, last = school_year_bounds(year)
    started = new_in(first, last)
    counts = (
        episodes_in(scope)
        .filter(in_school_year(year))
        .annotate(relapse=_relapse())
        .aggregate(
            thuiszitters=Count("student_id", distinct=True),
            new=Count("id", filter=started),
            relapses=Count("id", filter=started & Q(relapse=True)),
        )
    )
    counts["over_3_months"] = len(_over_three_months_in_year(episodes_in(scope), year))
    returns = list(
        episodes_in(scope)
        .filter(end_date__range=(first, last))
        .values_list("start_date", "end_date")
    )
    return {
        **counts,
        "returns": len(returns),
        "_durations": [(end - start).days + 1 for start, end in returns],
    }


def _over_three_months_in_year(episodes, year: int, group: str = "student_id") -> dict:
    """The children over three months in the school year (an episode in it that passed three
    months by its last day), each with the ``group`` of the first such episode.

    One definition for the years table and every breakdown: a child over three months twice in a
    year (at two schools, say) is one child, counted in one group, so the groups add up to the
    year's figure.
    """
    last = school_year_bounds(year)[1]
    found: dict[int, object] = {}
    for student, key in (
        episodes.filter(in_school_year(year), over_3_months_on__lte=last)
        .order_by("student_id", "start_date", "id")
        .values_list("student_id", group)
    ):
        found.setdefault(student, key)
    return found


def _breakdown(scope: FigureScope, year: int, breakdown: str) -> list[FigureRow]:
    """The school year's figures per school, SWV, postcode area or municipality."""
    group = _BREAKDOWN_FIELDS[breakdown]
    first, last = school_year_bounds(year)
    episodes = episodes_in(scope)
    counts: dict[object, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys((*TREND_COLUMNS, "over_3_months"), 0)
    )
    for row in (
        episodes.filter(new_in(first, last))
        .annotate(relapse=_relapse())
        .values(group)
        .annotate(n=Count("id"), relapses=Count("id", filter=Q(relapse=True)))
    ):
        counts[row[group]]["new"] = row["n"]
        counts[row[group]]["relapses"] = row["relapses"]
    durations: dict[str, list[int]] = defaultdict(list)
    for key, start, end in episodes.filter(end_date__range=(first, last)).values_list(
        group, "start_date", "end_date"
    ):
        counts[key]["returns"] += 1
        durations[str(key)].append((end - start).days + 1)
    for key in _over_three_months_in_year(episodes, year, group).values():
        counts[key]["over_3_months"] += 1
    labels = _group_labels(breakdown, list(counts))
    items = sorted(
        ((str(k), labels.get(k) or str(_("onbekend")), c) for k, c in counts.items()),
        key=lambda item: item[1].lower(),
    )
    return rows_with_total(
        items,
        _("totaal"),
        (*TREND_COLUMNS, "over_3_months"),
        medians={"median_days_to_return": ("returns", durations)},
    )


def _group_labels(breakdown: str, keys: list) -> dict:
    present = [k for k in keys if k]
    if breakdown == "school":
        return dict(School.objects.filter(pk__in=present).values_list("pk", "name"))
    if breakdown == "swv":
        return dict(Organisation.objects.filter(pk__in=present).values_list("pk", "name"))
    if breakdown == "gemeente":
        names = dict(
            Organisation.objects.filter(
                type=OrganisationType.GEMEENTE, code__in=present
            ).values_list("code", "name")
        )
        return {k: names.get(k, k) for k in present}
    return {k: k for k in present}


def trends(*, actor: Actor, school_year: int, breakdown: str = DEFAULT_BREAKDOWN) -> Trends | None:
    """Per month of the school year, per school year, and per group of the breakdown."""
    scope = figure_scope(actor=actor)
    if scope is None:
        return None
    if breakdown not in BREAKDOWNS:
        breakdown = DEFAULT_BREAKDOWN
    refresh = latest_refresh()
    key = f"monitor:trends:{scope.key}:{refresh.pk if refresh else 0}:{school_year}:{breakdown}"
    return cached(
        key,
        300,
        lambda: Trends(
            school_year=school_year,
            label=school_year_label(school_year),
            months=_monthly(scope, school_year),
            years=_yearly(scope, school_years_available(actor=actor)[:6]),
            breakdown=breakdown,
            breakdown_rows=_breakdown(scope, school_year, breakdown),
        ),
    )
