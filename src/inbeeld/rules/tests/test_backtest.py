"""The backtest of the care signals (issue 12 §4) on histories whose answer is known by
construction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import polars as pl
import pytest

from inbeeld.rules.backtest import (
    ALL,
    SETTINGS,
    backtest_dataset,
    reference_days,
    run_backtest,
)
from inbeeld.rules.backtest_report import SYNTHETIC_WARNING, report_html, text, write_report
from inbeeld.rules.care_signals import RISING_UNEXCUSED, WAITING_LIST
from inbeeld.rules.signal_replay import SignalHistory, empty
from inbeeld.rules.tests.builders import (
    MIDDEN_VO,
    d,
    dataset,
    enrol,
    record,
    student,
    unexcused,
)

# reference days every two weeks, Mondays; no vacation of region midden falls in the runs below
DAYS = [d("2025-09-29"), d("2025-10-13"), d("2025-10-27"), d("2025-11-10")]
ON = d("2026-02-02")


def _child(sid: str, *, warning: bool, stays_home: bool):
    """A pupil of a vo school (6 hours a day) born in 2011, enrolled since leerplicht began: ``warning``: two whole days unexcused
    on 25 and 26 September 2025 (12 hours, none before: rising unexcused fires on 29 September and
    13 October); ``stays_home``: whole days unexcused from 3 November to 5 December 2025 (25
    school days: a langdurig relatief verzuim episode starting on 3 November)."""
    absences = []
    if warning:
        absences.append(unexcused("2025-09-25", "2025-09-26"))
    if stays_home:
        absences.append(unexcused("2025-11-03", "2025-12-05"))
    return record(
        student("2011-03-01", sid=sid), [enrol(MIDDEN_VO, "2016-04-01")], absences=absences
    )


@pytest.fixture(scope="module")
def known():
    children = (
        [_child(f"A{i}", warning=True, stays_home=True) for i in range(2)]
        + [_child(f"B{i}", warning=True, stays_home=False) for i in range(3)]
        + [_child("C0", warning=False, stays_home=True)]
        + [_child(f"N{i}", warning=False, stays_home=False) for i in range(4)]
    )
    return backtest_dataset(dataset(children), ON, days=DAYS)


def test_precision_recall_and_lead_time_known_by_construction(known):
    row = known.signals.filter(pl.col("code") == RISING_UNEXCUSED).row(0, named=True)
    assert row["children"] == 10
    # A0, A1 and B0..B2 were flagged; A0 and A1 stayed home within three months
    assert row["flagged"] == 5
    assert row["hits"] == 2
    assert row["precision"] == pytest.approx(2 / 5)
    # A0, A1 and C0 became thuiszitter; C0 was never flagged
    assert row["thuiszitters"] == 3
    assert row["recall"] == pytest.approx(2 / 3)
    # first flagged on 29 September, at home from 3 November: 35 days before
    assert row["lead_days_median"] == 35
    assert row["flag_rate"] == pytest.approx(5 / 10)
    # no other signal fired: all together is the same
    together = known.signals.filter(pl.col("code") == ALL).row(0, named=True)
    assert {k: v for k, v in together.items() if k != "code"} == {
        k: v for k, v in row.items() if k != "code"
    }
    others = known.signals.filter(~pl.col("code").is_in([RISING_UNEXCUSED, ALL]))
    assert others["flagged"].to_list() == [0, 0, 0]  # the three other exchange signals


def test_a_child_at_home_is_not_in_view(known):
    # on 10 November A0, A1 and C0 are at home: 7 of 10 in view; 10 on the three days before
    assert known.in_view == 3 * 10 + 7


def test_only_the_exchange_signals_without_a_database(known):
    assert WAITING_LIST not in known.available
    assert "Op een wachtlijst" in text(known)


def test_the_report_says_synthetic_data_says_nothing(known, tmp_path):
    assert SYNTHETIC_WARNING in text(known)
    page = report_html(known, "test")
    assert page.count(SYNTHETIC_WARNING) == 2
    assert "<svg" in page
    assert "vega-lite-spec" in page
    assert "<script src" not in page  # no script, no network: works offline
    paths = write_report(known, tmp_path / "out", "test")
    assert sorted(p.name for p in paths) == [
        "groepen.csv",
        "peildata.csv",
        "rapport.html",
        "signalen.csv",
    ]
    signals = pl.read_csv(tmp_path / "out" / "signalen.csv")
    assert signals.filter(pl.col("code") == RISING_UNEXCUSED)["hits"].to_list() == [2]
    assert pl.read_csv(tmp_path / "out" / "peildata.csv").height == 4


def test_reference_days_leave_room_for_the_windows_and_the_horizon():
    days = reference_days(d("2025-08-01"), d("2026-07-31"))
    assert days[-1] == d("2026-04-30")  # three months before the end of the history
    assert days[0] >= d("2025-08-01") + dt.timedelta(weeks=12)
    assert {(b - a).days for a, b in itertools.pairwise(days)} == {14}
    assert reference_days(d("2026-06-01"), d("2026-07-31")) == []


# -- the fairness groups ------------------------------------------------------------------------


def _fairness_case(min_group_size: int = 10):
    """20 children in view on one day: 10 at po, 10 at vo. Flagged (an open waiting list): 2 at
    po, 6 at vo. Thuiszitter within three months: 1 flagged at po; 3 flagged and 1 not at vo."""
    on = d("2025-10-06")
    population = pl.DataFrame(
        {
            "student_id": [f"P{i}" for i in range(10)] + [f"V{i}" for i in range(10)],
            "on": [on] * 20,
            "school_type": ["po"] * 10 + ["vo"] * 10,
            "age_group": ["8-11"] * 10 + ["12-15"] * 10,
            "postcode_area": ["9711"] * 20,
        }
    )
    flagged = ["P0", "P1", *(f"V{i}" for i in range(6))]
    home = ["P0", "V0", "V1", "V2", "V9"]
    history = SignalHistory(
        school_days=empty("school_days"),
        enrolments=empty("enrolments"),
        episodes=pl.DataFrame(
            {
                "student_id": home,
                "start": [on + dt.timedelta(days=30)] * len(home),
                "end": [on + dt.timedelta(days=60)] * len(home),
            },
            schema=empty("episodes").schema,
        ),
        waiting_lists=pl.DataFrame(
            {
                "student_id": flagged,
                "since": [d("2025-09-01")] * len(flagged),
                "ended": [None] * len(flagged),
            },
            schema=empty("waiting_lists").schema,
        ),
        meldingen=empty("meldingen"),
        available=(WAITING_LIST,),
    )
    settings = dataclasses.replace(SETTINGS, min_group_size=min_group_size)
    return run_backtest(history, population, [on], on, settings=settings)


def test_group_ratios_on_a_constructed_case():
    result = _fairness_case()
    overall = result.signals.filter(pl.col("code") == ALL).row(0, named=True)
    assert overall["flag_rate"] == pytest.approx(8 / 20)
    assert overall["precision"] == pytest.approx(4 / 8)
    assert overall["recall"] == pytest.approx(4 / 5)
    groups = result.groups.filter(
        (pl.col("code") == WAITING_LIST) & (pl.col("dimension") == "schooltype")
    )
    po = groups.filter(pl.col("group") == "po").row(0, named=True)
    vo = groups.filter(pl.col("group") == "vo").row(0, named=True)
    assert (po["children"], po["flagged"], po["hits"], po["thuiszitters"]) == (10, 2, 1, 1)
    assert (vo["children"], vo["flagged"], vo["hits"], vo["thuiszitters"]) == (10, 6, 3, 4)
    assert po["flag_rate_ratio"] == pytest.approx((2 / 10) / (8 / 20))  # 0.5
    assert vo["flag_rate_ratio"] == pytest.approx((6 / 10) / (8 / 20))  # 1.5
    assert po["precision_ratio"] == pytest.approx(1.0)
    assert vo["precision_ratio"] == pytest.approx(1.0)
    assert po["recall_ratio"] == pytest.approx(1 / (4 / 5))  # 1.25
    assert vo["recall_ratio"] == pytest.approx((3 / 4) / (4 / 5))  # 0.9375
    assert po["lead_days_median"] == 30
    postcode = result.groups.filter(
        (pl.col("code") == ALL) & (pl.col("dimension") == "postcodegebied")
    ).row(0, named=True)
    assert (postcode["group"], postcode["flag_rate_ratio"]) == ("9711", pytest.approx(1.0))


def test_small_groups_show_no_figures():
    result = _fairness_case(min_group_size=11)
    schooltype = result.groups.filter(pl.col("dimension") == "schooltype")
    assert schooltype["suppressed"].all()
    assert schooltype["flagged"].null_count() == schooltype.height
    assert schooltype["flag_rate_ratio"].null_count() == schooltype.height
    # everyone's figures stay
    assert result.signals.filter(pl.col("code") == ALL)["flagged"].to_list() == [8]
