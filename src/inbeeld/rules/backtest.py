"""Backtest and fairness audit of the care signals (zorgsignalen, issue 12 §4).

The question: had the signals been running, whom would they have proposed to the school team,
and did those children stay home afterwards? The history is replayed on a series of past
reference days (every ``every_days`` days, by default two weeks), with only the data up to each
day (:mod:`inbeeld.rules.signal_replay`), and the outcome is read from the thuiszitter episodes
(:mod:`inbeeld.rules.episodes`: absoluut verzuim and langdurig relatief verzuim).

Definitions (the same in docs/algoritmeregister.md):

* **in view** on reference day D: enrolled at a school and under duty (leerplicht or
  kwalificatieplicht) on D, and not in a thuiszitter episode on D (a child at home already cannot
  be warned about). Only signals of a child in view count.
* **thuiszitter within the horizon** of D: an episode starts after D and at most
  ``horizon_months`` calendar months after D (the first day at home; for LRV the first day of the
  run, not its 20th).
* per child, over all reference days: **flagged** (the signal fired on some reference day while
  in view); **hit** (on some such day an episode followed within the horizon); **thuiszitter**
  (an episode started within the horizon of some reference day the child was in view).
* **precision** = hits / flagged; **recall** = hits / thuiszitters; **lead time**: per hit child,
  the days from the first reference day it was flagged to the start of the (first) episode that
  followed within the horizon; the median over the hit children. **Flag rate** = flagged / children
  in view.
* **groups**: school type (the sector of the school), age group and postcode area (the first
  ``postcode_digits`` characters of the postcode, PC4 by default), each as on the first reference
  day the child was in view. Per group the same figures and the ratio of its flag rate, precision
  and recall to the overall one (1.0: the same as everyone). Groups of fewer than
  ``min_group_size`` children show no figures.

The group figures are computed with fairlearn's ``MetricFrame`` (custom metrics over the per-child
table; the recall and lead time metrics take the thuiszitter flag and the lead as sample
parameters). The signals use no nationality, origin, religion, gender or family income; the only
attributes here are the three groups above, read only to audit the signals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from inbeeld.rules.calendar import SchoolCalendar, add_months_clipped, day_number
from inbeeld.rules.care_signals import THRESHOLDS, CareSignalThresholds
from inbeeld.rules.engine import calendar_for
from inbeeld.rules.engine.days import effective_segments
from inbeeld.rules.engine.duty import compute_duty
from inbeeld.rules.engine.frames import build_frames, calendar_arrays
from inbeeld.rules.model import Dataset
from inbeeld.rules.signal_replay import SignalHistory, history_from_dataset, signals_on_days

#: the code of "any signal" in the figures
ALL = "alle"
#: the fairness groups: column of the per-child table -> name in the report
GROUPS = {
    "school_type": "schooltype",
    "age_group": "leeftijdsgroep",
    "postcode_area": "postcodegebied",
}
UNKNOWN = "onbekend"


@dataclass(frozen=True)
class BacktestSettings:
    """Every choice of the backtest, in one place (docs/algoritmeregister.md cites them)."""

    #: days between two reference days
    every_days: int = 14
    #: a thuiszitter episode starting at most this many calendar months after a reference day
    #: follows it (the "within 3 months" of issue 12 §4)
    horizon_months: int = 3
    #: groups with fewer children show no figures (cf. the monitor's small-number suppression)
    min_group_size: int = 10
    #: age groups: (lowest age, label), ascending
    age_groups: tuple[tuple[int, str], ...] = (
        (0, "5-7"),
        (8, "8-11"),
        (12, "12-15"),
        (16, "16-17"),
        (18, "18+"),
    )
    #: postcode area: the first this many characters (4: PC4, 2: the region)
    postcode_digits: int = 4


SETTINGS = BacktestSettings()


def warm_up_weeks(t: CareSignalThresholds = THRESHOLDS) -> int:
    """Weeks of history a signal looks back at most (the absence windows)."""
    return max(2 * t.unexcused_window_weeks, t.sick_window_weeks)


def reference_days(
    first: dt.date,
    on: dt.date,
    settings: BacktestSettings = SETTINGS,
    thresholds: CareSignalThresholds = THRESHOLDS,
) -> list[dt.date]:
    """Every ``every_days`` days back from ``on`` minus the horizon (so each reference day has
    its whole horizon in the history) down to ``first`` plus the warm-up (so each has its whole
    absence window), ascending."""
    last = add_months_clipped(on, -settings.horizon_months)
    earliest = first + dt.timedelta(weeks=warm_up_weeks(thresholds))
    out = []
    day = last
    while day >= earliest:
        out.append(day)
        day -= dt.timedelta(days=settings.every_days)
    return sorted(out)


def _age_group(settings: BacktestSettings) -> Callable[[pl.Expr], pl.Expr]:
    def label(age: pl.Expr) -> pl.Expr:
        expr = pl.lit(settings.age_groups[0][1])
        for low, name in settings.age_groups[1:]:
            expr = pl.when(age >= low).then(pl.lit(name)).otherwise(expr)
        return expr

    return label


def population_frame(
    dataset: Dataset,
    days: Sequence[dt.date],
    episodes: pl.DataFrame,
    *,
    calendar: SchoolCalendar | None = None,
    settings: BacktestSettings = SETTINGS,
) -> pl.DataFrame:
    """Per reference day the children in view (see the module docstring), with their school type,
    age group and postcode area on that day: student_id, on, school_type, age_group,
    postcode_area."""
    schema = {
        "student_id": pl.String(),
        "on": pl.Date(),
        "school_type": pl.String(),
        "age_group": pl.String(),
        "postcode_area": pl.String(),
    }
    if not days or dataset.students.height == 0:
        return pl.DataFrame(schema=schema)
    calendar = calendar or calendar_for(dataset)
    frames = build_frames(dataset, calendar.keys)
    cal = calendar_arrays(frames, calendar, max(days))
    duty = compute_duty(frames, cal)
    segments = effective_segments(frames, cal)
    n = frames.students.height
    numbers = np.array([day_number(d) for d in days], dtype=np.int64)
    sx = np.tile(np.arange(n, dtype=np.int64), numbers.size)
    day = np.repeat(numbers, n)
    j, found = segments.locate(sx, day, cal)
    keep = found & duty.under_duty(sx, day)
    sx, day, kx = sx[keep], day[keep], segments.kx[j[keep]]
    sectors = dict(dataset.schools.select("brin", "sector").iter_rows())
    school_type = np.array([sectors.get(b, UNKNOWN) for b in frames.school_brin], dtype=object)
    students = frames.students
    postcode = (
        students["postcode"]
        if "postcode" in students.columns
        else pl.Series([None] * n, dtype=pl.String)
    )
    area = (
        postcode.str.replace_all(r"\s", "")
        .str.slice(0, settings.postcode_digits)
        .fill_null("")
        .replace("", UNKNOWN)
    )
    out = pl.DataFrame(
        {
            "student_id": students["student_id"].gather(sx),
            "on": pl.Series(day, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date),
            "school_type": pl.Series(school_type[kx], dtype=pl.String),
            "birth_date": students["birth_date"].gather(sx),
            "postcode_area": area.gather(sx),
        }
    )
    age = (
        pl.col("on").dt.year()
        - pl.col("birth_date").dt.year()
        - (
            (pl.col("on").dt.month() < pl.col("birth_date").dt.month())
            | (
                (pl.col("on").dt.month() == pl.col("birth_date").dt.month())
                & (pl.col("on").dt.day() < pl.col("birth_date").dt.day())
            )
        ).cast(pl.Int32)
    )
    out = out.with_columns(_age_group(settings)(age).alias("age_group")).drop("birth_date")
    at_home = (
        out.select("student_id", "on")
        .join(episodes.select("student_id", "start", "end"), on="student_id")
        .filter(
            (pl.col("start") <= pl.col("on"))
            & (pl.col("end").is_null() | (pl.col("end") >= pl.col("on")))
        )
        .select("student_id", "on")
        .unique()
    )
    return (
        out.join(at_home, on=["student_id", "on"], how="anti")
        .select(list(schema))
        .sort("on", "student_id")
    )


# -- the figures ----------------------------------------------------------------------------------


def _ratio(numerator, denominator) -> float:
    return float(numerator) / float(denominator) if denominator else float("nan")


def _flag_rate(y_true, y_pred) -> float:
    return _ratio(np.sum(y_pred), len(y_pred))


def _precision(y_true, y_pred) -> float:
    return _ratio(np.sum(y_true), np.sum(y_pred))


def _recall(y_true, y_pred, thuis) -> float:
    return _ratio(np.sum(y_true), np.sum(thuis))


def _lead(y_true, y_pred, lead) -> float:
    values = np.asarray(lead, dtype=np.float64)[np.asarray(y_true, dtype=bool)]
    return float(np.median(values)) if values.size else float("nan")


#: the rates, by fairlearn's MetricFrame: name -> (metric, its sample parameter or None)
RATES: dict[str, tuple[Callable[..., float], str | None]] = {
    "flag_rate": (_flag_rate, None),
    "precision": (_precision, None),
    "recall": (_recall, "thuis"),
    "lead_days_median": (_lead, "lead"),
}
#: the counts, by a Polars group-by (the same rows)
COUNTS = ("children", "flagged", "thuiszitters", "hits")
METRICS = (
    "children",
    "flagged",
    "flag_rate",
    "thuiszitters",
    "hits",
    "precision",
    "recall",
    "lead_days_median",
)
RATIOS = ("flag_rate", "precision", "recall")
METHOD = "fairlearn MetricFrame"


def _metric_frame(table: pl.DataFrame, feature: str):
    """fairlearn's MetricFrame of the rates over the per-child table of one signal, by the
    group column ``feature`` (its ``overall``: everyone)."""
    from fairlearn.metrics import MetricFrame

    params = {
        "thuis": table["thuis"].to_numpy().astype(int),
        "lead": table["lead"].fill_null(float("nan")).to_numpy().astype(np.float64),
    }
    return MetricFrame(
        metrics={name: metric for name, (metric, _) in RATES.items()},
        y_true=table["hit"].to_numpy().astype(int),
        y_pred=table["flagged"].to_numpy().astype(int),
        # as a named column: a bare array of one child is squeezed to nothing by fairlearn
        sensitive_features={feature: table[feature].to_numpy()},
        sample_params={name: {param: params[param]} for name, (_, param) in RATES.items() if param},
    )


def _counts(table: pl.DataFrame, feature: str | None) -> dict[str, dict[str, int]]:
    """The counts per group of ``feature`` (everyone under ``ALL`` when None)."""
    key = pl.col(feature) if feature else pl.lit(ALL)
    counts = table.group_by(key.alias("group")).agg(
        pl.len().alias("children"),
        pl.col("flagged").sum(),
        pl.col("thuis").sum().alias("thuiszitters"),
        pl.col("hit").sum().alias("hits"),
    )
    return {row.pop("group"): row for row in counts.iter_rows(named=True)}


def _as_rows(values: dict[str, float]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, value in values.items():
        if value is None or np.isnan(float(value)):
            out[name] = None
        else:
            out[name] = int(value) if name in COUNTS else float(value)
    return out


@dataclass
class BacktestResult:
    """The figures: ``signals`` (one row per signal and ``alle``), ``groups`` (one row per
    signal, group dimension and group), the reference days and the per-child table."""

    on: dt.date
    days: list[dt.date]
    available: tuple[str, ...]
    signals: pl.DataFrame
    groups: pl.DataFrame
    children: pl.DataFrame
    #: child-days in view over all reference days
    in_view: int
    settings: BacktestSettings = field(default_factory=BacktestSettings)
    method: str = METHOD


def child_table(
    population: pl.DataFrame,
    flags: pl.DataFrame,
    episodes: pl.DataFrame,
    codes: Sequence[str],
    settings: BacktestSettings = SETTINGS,
) -> pl.DataFrame:
    """One row per signal (and ``alle``) and child in view: flagged, hit, thuis, lead (days) and
    the groups on the child's first reference day in view."""
    horizon = {
        d: add_months_clipped(d, settings.horizon_months)
        for d in population["on"].unique().to_list()
    }
    until = pl.DataFrame(
        {"on": list(horizon), "until": list(horizon.values())},
        schema={"on": pl.Date, "until": pl.Date},
    )
    onsets = episodes.select("student_id", pl.col("start").alias("onset")).unique()
    view = population.join(until, on="on")
    within = (pl.col("onset") > pl.col("on")) & (pl.col("onset") <= pl.col("until"))
    thuis = view.join(onsets, on="student_id").filter(within).select("student_id").unique()
    children = (
        population.sort("on")
        .group_by("student_id", maintain_order=True)
        .first()
        .drop("on")
        .join(thuis.with_columns(pl.lit(True).alias("thuis")), on="student_id", how="left")
        .with_columns(pl.col("thuis").fill_null(False))
    )
    flags = flags.join(view, on=["student_id", "on"], how="semi")
    any_flag = flags.select("student_id", "on").unique().with_columns(pl.lit(ALL).alias("code"))
    flags = pl.concat([flags, any_flag])
    flagged = flags.group_by("code", "student_id").agg(pl.col("on").min().alias("first_flag"))
    # per hit: the first episode that followed a flag within the horizon, and the first flag
    # within the horizon before it
    hits = (
        flags.join(until, on="on")
        .join(onsets, on="student_id")
        .filter(within)
        .group_by("code", "student_id", "onset")
        .agg(pl.col("on").min().alias("first"))
        .sort("onset")
        .group_by("code", "student_id", maintain_order=True)
        .first()
        .select(
            "code",
            "student_id",
            pl.lit(True).alias("hit"),
            (pl.col("onset") - pl.col("first")).dt.total_days().cast(pl.Float64).alias("lead"),
        )
    )
    per_code = pl.DataFrame({"code": [*codes, ALL]}, schema={"code": pl.String})
    return (
        per_code.join(children, how="cross")
        .join(flagged, on=["code", "student_id"], how="left")
        .join(hits, on=["code", "student_id"], how="left")
        .with_columns(
            pl.col("first_flag").is_not_null().alias("flagged"),
            pl.col("hit").fill_null(False),
        )
        .drop("first_flag")
    )


def run_backtest(
    history: SignalHistory,
    population: pl.DataFrame,
    days: Sequence[dt.date],
    on: dt.date,
    *,
    thresholds: CareSignalThresholds = THRESHOLDS,
    settings: BacktestSettings = SETTINGS,
) -> BacktestResult:
    """Replay the signals on ``days`` and compute the figures (module docstring)."""
    flags = signals_on_days(history, days, thresholds)
    codes = list(history.available)
    table = child_table(population, flags, history.episodes, codes, settings)
    signal_rows, group_rows = [], []
    for code in [*codes, ALL]:
        rows = table.filter(pl.col("code") == code)
        if rows.height == 0:
            signal_rows.append({"code": code, **dict.fromkeys(METRICS)})  # nobody in view
            continue
        overall: dict[str, float | None] = {}
        for column, dimension in GROUPS.items():
            frame = _metric_frame(rows, column)
            counts = _counts(rows, column)
            if not overall:
                overall = _as_rows({**_counts(rows, None)[ALL], **frame.overall.to_dict()})
                signal_rows.append({"code": code, **overall})
            for group, values in frame.by_group.to_dict(orient="index").items():
                figures = _as_rows({**counts[group], **values})
                small = (figures["children"] or 0) < settings.min_group_size
                row: dict[str, object] = {
                    "code": code,
                    "dimension": dimension,
                    "group": str(group),
                    "suppressed": small,
                }
                for name in METRICS:
                    row[name] = None if small else figures[name]
                for name in RATIOS:
                    mine, all_ = figures[name], overall[name]
                    row[f"{name}_ratio"] = (
                        None if small or mine is None or not all_ else float(mine) / float(all_)
                    )
                group_rows.append(row)
    schema = {"code": pl.String, **dict.fromkeys(METRICS, pl.Float64)}
    schema.update(dict.fromkeys(COUNTS, pl.Int64))
    signals = pl.DataFrame(signal_rows, schema=schema, orient="row")
    group_schema = {
        "code": pl.String,
        "dimension": pl.String,
        "group": pl.String,
        "suppressed": pl.Boolean,
        **{name: schema[name] for name in METRICS},
        **{f"{name}_ratio": pl.Float64 for name in RATIOS},
    }
    ages = {name: i for i, (_, name) in enumerate(settings.age_groups)}
    code_order = {code: i for i, code in enumerate([*codes, ALL])}
    groups = (
        pl.DataFrame(group_rows, schema=group_schema, orient="row")
        .with_columns(
            pl.col("code").replace_strict(code_order, return_dtype=pl.Int64).alias("_code"),
            pl.col("group").replace_strict(ages, default=0, return_dtype=pl.Int64).alias("_age"),
        )
        .sort("_code", "dimension", "_age", "group")
        .drop("_code", "_age")
    )
    return BacktestResult(
        on=on,
        days=sorted(days),
        available=history.available,
        signals=signals,
        groups=groups,
        children=table,
        in_view=population.height,
        settings=settings,
    )


def backtest_dataset(
    dataset: Dataset,
    on: dt.date,
    *,
    calendar: SchoolCalendar | None = None,
    days: Sequence[dt.date] | None = None,
    waiting_lists: pl.DataFrame | None = None,
    meldingen: pl.DataFrame | None = None,
    thresholds: CareSignalThresholds = THRESHOLDS,
    settings: BacktestSettings = SETTINGS,
    progress: Callable[[str], None] | None = None,
) -> BacktestResult:
    """The backtest of a whole data set with history up to ``on`` (an exchange directory, or the
    database through ``attendance.facts.dataset_from_database``)."""
    say = progress or (lambda _m: None)
    calendar = calendar or calendar_for(dataset)
    if days is None:
        first = dataset.absences["start_date"].min() if dataset.absences.height else None
        days = reference_days(first, on, settings, thresholds) if first else []  # type: ignore[arg-type]
    say(f"history up to {on} ({len(days)} reference days)")
    history = history_from_dataset(
        dataset, on, calendar=calendar, waiting_lists=waiting_lists, meldingen=meldingen
    )
    say("children in view")
    population = population_frame(
        dataset, days, history.episodes, calendar=calendar, settings=settings
    )
    say("signals and figures")
    return run_backtest(history, population, days, on, thresholds=thresholds, settings=settings)


__all__ = [
    "ALL",
    "GROUPS",
    "METRICS",
    "SETTINGS",
    "BacktestResult",
    "BacktestSettings",
    "backtest_dataset",
    "child_table",
    "population_frame",
    "reference_days",
    "run_backtest",
]
