"""The pact's targets (issue 5 §1, Thuiszitterspact): the organisation's target or the pact's
default, per school year from the baseline: the target, the count, and the gap."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation
from inbeeld.monitor.models import Target
from inbeeld.monitor.scope import FigureScope
from inbeeld.monitor.selectors.base import (
    current_school_year,
    episodes_in,
    figure_scope,
    figures_date,
    in_school_year,
    latest_refresh,
)
from inbeeld.monitor.selectors.now import now_figures
from inbeeld.monitor.suppression import suppress_count
from inbeeld.rules.calendar import school_year_label

#: the pact's default yearly reduction (Thuiszitterspact: the four big cities, 25 % a year)
DEFAULT_REDUCTION = 25


def target_for_year(baseline_count: int, reduction_percent: int, years_after: int) -> int:
    """The pact's target: the baseline less ``reduction_percent`` a year, compounded, rounded
    down (at most that many children): 40, 25 %, two years → 40 × 0.75² = 22.5 → 22."""
    if years_after <= 0:
        return baseline_count
    factor = Fraction(100 - reduction_percent, 100) ** years_after
    return floor(baseline_count * factor)


@dataclass
class TargetFigures:
    target: Target | None
    baseline_year: int
    baseline_label: str
    reduction_percent: int
    zero_over_three_months: bool
    is_default: bool
    baseline_count: int | None
    rows: list[dict]
    over_three_months_now: int | None
    current: dict | None
    #: the pact's target as written (issue 12 §7): of them, without a suitable offer
    over_three_months_without_offer_now: int | None = None

    def as_dict(self) -> dict:
        return {
            "baseline_year": self.baseline_year,
            "baseline_label": self.baseline_label,
            "yearly_reduction_percent": self.reduction_percent,
            "zero_over_three_months": self.zero_over_three_months,
            "is_default": self.is_default,
            "baseline_count": self.baseline_count,
            "years": self.rows,
            "over_three_months_now": self.over_three_months_now,
            "over_three_months_without_offer_now": self.over_three_months_without_offer_now,
        }


def current_target(*, organisation: Organisation) -> Target | None:
    return Target.objects.filter(organisation=organisation).order_by("-set_at", "-id").first()


def thuiszitters_in_year(scope: FigureScope, year: int) -> int:
    """Children with an episode in the school year (the count the pact's reduction is about)."""
    return episodes_in(scope).filter(in_school_year(year)).values("student_id").distinct().count()


def target_figures(*, actor: Actor) -> TargetFigures | None:
    """The organisation's target (or the pact's default: 25 % a year from last school year),
    per school year from the baseline: the target, the count, and the gap in plain numbers."""
    scope = figure_scope(actor=actor)
    if scope is None:
        return None
    refresh = latest_refresh()
    on = figures_date(refresh)
    current = current_school_year(on)
    target = current_target(organisation=actor.organisation)
    if target is not None:
        baseline_year, reduction, zero = (
            target.baseline_year,
            target.yearly_reduction_percent,
            target.zero_over_three_months,
        )
    else:
        # the pact's default: 25 % a year from last school year, or from this one when last
        # year has no thuiszitters in the data (the application was not yet in use)
        previous = thuiszitters_in_year(scope, current - 1)
        baseline_year = current - 1 if previous else current
        reduction, zero = DEFAULT_REDUCTION, True
    baseline_raw = thuiszitters_in_year(scope, baseline_year)
    baseline_shown = suppress_count(baseline_raw)
    rows = []
    for year in range(baseline_year, max(current, baseline_year) + 1):
        actual = suppress_count(thuiszitters_in_year(scope, year))
        # the target follows from the baseline: hidden when the baseline is
        goal = (
            target_for_year(baseline_raw, reduction, year - baseline_year)
            if baseline_shown is not None
            else None
        )
        gap = actual - goal if actual is not None and goal is not None else None
        rows.append(
            {
                "school_year": year,
                "label": school_year_label(year),
                "target": goal,
                "actual": actual,
                "gap": gap,
                "met": gap is not None and gap <= 0,
                "so_far": year == current,
            }
        )
    now = now_figures(actor=actor)
    over = now.thuiszitters_total().values["over_3_months"] if now else None
    over = int(over) if over is not None else None
    return TargetFigures(
        target=target,
        baseline_year=baseline_year,
        baseline_label=school_year_label(baseline_year),
        reduction_percent=reduction,
        zero_over_three_months=zero,
        is_default=target is None,
        baseline_count=baseline_shown,
        rows=rows,
        over_three_months_now=over,
        current=rows[-1] if rows else None,
        over_three_months_without_offer_now=now.over_3_months_without_offer if now else None,
    )
