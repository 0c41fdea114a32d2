"""The bulk engine against the simple implementation: every row of both output files equal."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from inbeeld.rules.analyse import meldingen_csv_frame, status_csv_frame
from inbeeld.rules.engine import analyse, calendar_for
from inbeeld.rules.model import Dataset
from inbeeld.rules.reference import analyse_dataset_simply
from inbeeld.rules.tests.random_data import random_dataset


def reference_frames(dataset: Dataset, on: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    statuses, meldingen = analyse_dataset_simply(dataset, calendar_for(dataset), on)
    status = pl.DataFrame(
        [
            {
                "student_id": s.student_id,
                "duty": s.duty,
                "leerplicht_start": s.leerplicht_start,
                "leerplicht_end": s.leerplicht_end,
                "kwalificatieplicht_end": s.kwalificatieplicht_end,
                "category": s.category,
                "since": s.since,
                "over_3_months": s.over_3_months,
            }
            for s in statuses
        ],
        schema={
            "student_id": pl.String,
            "duty": pl.String,
            "leerplicht_start": pl.Date,
            "leerplicht_end": pl.Date,
            "kwalificatieplicht_end": pl.Date,
            "category": pl.String,
            "since": pl.Date,
            "over_3_months": pl.Boolean,
        },
    )
    melding_rows = pl.DataFrame(
        [
            {
                "student_id": m.student_id,
                "rule": m.rule,
                "start_date": m.start_date,
                "end_date": m.end_date,
                "hours": m.hours,
                "brin": m.brin,
            }
            for m in meldingen
        ],
        schema={
            "student_id": pl.String,
            "rule": pl.String,
            "start_date": pl.Date,
            "end_date": pl.Date,
            "hours": pl.Float64,
            "brin": pl.String,
        },
    )
    return status, melding_rows


def assert_same_output(dataset: Dataset, on: dt.date) -> tuple[int, int]:
    bulk = analyse(dataset, on, calendar_for(dataset))
    ref_status, ref_meldingen = reference_frames(dataset, on)
    got_status = status_csv_frame(bulk.status)
    want_status = status_csv_frame(ref_status)
    assert got_status.height == want_status.height
    mismatches = [
        (want, got)
        for want, got in zip(want_status.iter_rows(), got_status.iter_rows(), strict=True)
        if want != got
    ]
    assert not mismatches, f"status rows differ (reference, bulk): {mismatches[:5]}"
    key = ["student_id", "end_date", "rule", "start_date"]
    got_m = sorted(meldingen_csv_frame(bulk.meldingen).rows())
    want_m = sorted(meldingen_csv_frame(ref_meldingen).rows())
    only_ref = sorted(set(want_m) - set(got_m))
    only_bulk = sorted(set(got_m) - set(want_m))
    assert got_m == want_m, (
        f"meldingen differ; only reference: {only_ref[:5]}; only bulk: {only_bulk[:5]} ({key})"
    )
    return got_status.height, len(got_m)


@pytest.mark.parametrize("seed", range(12))
def test_bulk_equals_reference_on_awkward_random_data(seed):
    students, _ = assert_same_output(random_dataset(seed, 70), dt.date(2025, 6, 20))
    assert students == 70


# in the Christmas and summer vacations (RULES.md §7 (v2): gaps without a school day), and after
@pytest.mark.parametrize(
    "on",
    [
        dt.date(2024, 8, 10),
        dt.date(2024, 12, 24),
        dt.date(2025, 1, 5),
        dt.date(2025, 3, 3),
        dt.date(2025, 7, 31),
    ],
)
def test_bulk_equals_reference_on_other_reference_dates(on):
    assert_same_output(random_dataset(100 + on.month, 70, on), on)


def test_random_data_exercises_every_rule_and_category():
    """Guard against a comparison that passes because nothing happens."""
    data = pl.concat(
        [analyse(random_dataset(s, 70), dt.date(2025, 6, 20)).meldingen for s in range(12)]
    )
    assert set(data["rule"].unique()) == {
        "16_uur",
        "lrv",
        "mazl_7_dagen",
        "mazl_4_in_12",
        "luxe_verzuim",
    }
    status = pl.concat(
        [analyse(random_dataset(s, 70), dt.date(2025, 6, 20)).status for s in range(12)]
    )
    assert set(status["category"].drop_nulls().unique()) == {
        "vrijgesteld",
        "absoluut_verzuim",
        "langdurig_relatief_verzuim",
    }


def test_random_data_exercises_own_timetables_luxe_and_11a():
    """RULES.md §7 (v2): the random data sets hold what the comparison must cover: enrolments with
    an own timetable, luxe rows, and 11a rows of children younger than 6 on the row's first day
    and of older ones."""
    young_11a = older_11a = timetables = luxe = 0
    for seed in range(12):
        data = random_dataset(seed, 70)
        timetables += data.enrolments["hours_per_day"].is_not_null().sum()
        luxe += data.absences.filter(pl.col("reason") == "luxe").height
        rows = data.absences.filter(pl.col("reason") == "11a").join(
            data.students.select("student_id", "birth_date"), on="student_id"
        )
        age = pl.col("start_date").dt.year() - pl.col("birth_date").dt.year()
        young_11a += rows.filter(age <= 5).height
        older_11a += rows.filter(age >= 7).height
    assert timetables > 50
    assert luxe > 50
    assert young_11a > 50
    assert older_11a > 0
