"""The demo generator's municipality: bulk engine and simple implementation agree row for row."""

from __future__ import annotations

import datetime as dt

from inbeeld.demo.generator import generate_demo_data
from inbeeld.rules.exchange import read_exchange
from inbeeld.rules.tests.test_engine_matches_reference import assert_same_output


def test_bulk_equals_reference_on_the_demo_municipality(tmp_path):
    """The generator that feeds the demo and the benchmarks, read back through the exchange reader."""
    on = dt.date(2025, 6, 20)
    generate_demo_data(tmp_path, students=1200, seed=11, on=on)
    students, meldingen = assert_same_output(read_exchange(tmp_path), on)
    assert students == 1200
    assert meldingen > 50
