"""The day table's prefilter (``engine.days._students_who_may_have_meldingen``) is a sound bound:
leaving out the students it drops changes no output, whatever the data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import numpy as np
import polars as pl
import pytest

from inbeeld.rules.engine import Analysis, analyse
from inbeeld.rules.engine import days as engine_days
from inbeeld.rules.model import SCHEMAS, Dataset
from inbeeld.rules.tests.builders import (
    MIDDEN_PO,
    NOORD_VO,
    ZUID_PO,
    d,
    dataset,
    enrol,
    record,
    sick,
    student,
)
from inbeeld.rules.tests.random_data import random_dataset


def with_sick_spells(dataset: Dataset, seed: int, on: dt.date, *, only: bool) -> Dataset:
    """Short sick spells, a few days to a few weeks apart (around the MAZL thresholds); with
    ``only``, one-day spells at least a week apart replace every other absence, so that the
    4-in-12 bound alone decides."""
    rnd = random.Random(seed)
    lengths = [0] if only else [0, 0, 0, 1, 2, 3, 5, 6]
    gaps = [7, 10, 14, 18, 21, 25, 30, 40] if only else [1, 3, 7, 10, 14, 20, 30, 45, 60]
    rows = []
    for student_id in dataset.students["student_id"]:
        day = on - dt.timedelta(days=rnd.randrange(60, 400))
        while day < on:
            length = rnd.choice(lengths)
            rows.append((student_id, day, day + dt.timedelta(days=length), "ziek", None))
            day += dt.timedelta(days=length + rnd.choice(gaps))
    extra = pl.DataFrame(rows, schema=SCHEMAS["absences"], orient="row")
    absences = extra if only else pl.concat([dataset.absences, extra])
    return dataclasses.replace(dataset, absences=absences)


def _everyone(*args, **kwargs) -> np.ndarray:
    sx = args[3]
    return np.ones(sx.size, dtype=bool)


def with_and_without_prefilter(
    monkeypatch: pytest.MonkeyPatch, data: Dataset, on: dt.date
) -> tuple[Analysis, Analysis, np.ndarray]:
    """The engine's answers with the prefilter and with every student kept, and the rows kept."""
    filtered = engine_days._students_who_may_have_meldingen
    kept: list[np.ndarray] = []

    def keeping(*args, **kwargs):
        kept.append(filtered(*args, **kwargs))
        return kept[-1]

    monkeypatch.setattr(engine_days, "_students_who_may_have_meldingen", keeping)
    fast = analyse(data, on)
    monkeypatch.setattr(engine_days, "_students_who_may_have_meldingen", _everyone)
    full = analyse(data, on)
    monkeypatch.setattr(engine_days, "_students_who_may_have_meldingen", filtered)
    assert fast.status.equals(full.status)
    assert fast.meldingen.equals(full.meldingen)
    return fast, full, kept[0]


@pytest.mark.parametrize(
    "on", [dt.date(2025, 6, 20), dt.date(2024, 11, 15), dt.date(2025, 1, 6), dt.date(2024, 8, 30)]
)
def test_the_prefilter_changes_no_output(monkeypatch: pytest.MonkeyPatch, on: dt.date) -> None:
    dropped = 0
    mazl = 0
    for seed in range(9):
        data = random_dataset(700 + seed, 150, on)
        if seed % 3:
            data = with_sick_spells(data, seed, on, only=seed % 3 == 2)
        _, full, kept = with_and_without_prefilter(monkeypatch, data, on)
        dropped += int((~kept).sum())
        mazl += full.meldingen.filter(
            full.meldingen["rule"].is_in(["mazl_7_dagen", "mazl_4_in_12"])
        ).height
    assert dropped > 0, "the prefilter dropped nothing: the test shows nothing"
    assert mazl > 0, "no MAZL melding in the data: the sick-spell bound was not tested"


def test_the_4_in_12_bound_at_its_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four one-day sick spells, the fourth 60 to 130 days after the first, in every region and
    across the Christmas and the summer vacation: the bound keeps every student whose fourth
    spell falls within 12 lesweken, and drops some whose does not."""
    records = []
    n = 0
    for brin in (ZUID_PO, NOORD_VO, MIDDEN_PO):
        for first in (d("2024-09-09"), d("2024-10-28"), d("2025-05-12")):
            for gap in range(60, 131):
                fourth = first + dt.timedelta(days=gap)
                n += 1
                records.append(
                    record(
                        student("2014-03-01", sid=f"S{n:04d}"),
                        [enrol(brin, "2020-08-01")],
                        [
                            sick(first.isoformat()),
                            sick((first + dt.timedelta(days=14)).isoformat()),
                            sick((first + dt.timedelta(days=28)).isoformat()),
                            sick(fourth.isoformat()),
                        ],
                    )
                )
    _, full, kept = with_and_without_prefilter(monkeypatch, dataset(records), d("2025-10-31"))
    fired = full.meldingen.filter(full.meldingen["rule"] == "mazl_4_in_12").height
    assert 0 < fired < n
    assert 0 < int((~kept).sum()) < kept.size
