"""Runs of consecutive school days (rules/runs.py): the one definition of a sick spell that the
engine's MAZL meldingen, the langdurig-ziek report and the care signal "vaak kort ziek" share."""

from __future__ import annotations

import numpy as np

from inbeeld.rules.runs import consecutive_runs, sick_spells


def test_sick_spells_follow_the_childs_own_school_days():
    # student 0: eff 1, 2 (one spell), 4 (a new one: school day 3 between); student 1: eff 5, 6
    # are consecutive, but not with student 0's last day
    student = np.array([0, 0, 0, 0, 1, 1])
    eff = np.array([1, 2, 3, 4, 5, 6])
    sick = np.array([6.0, 1.5, 0.0, 6.0, 6.0, 6.0])
    spells = sick_spells(student, eff, sick)
    assert spells.rows.tolist() == [0, 1, 3, 4, 5]
    assert spells.length.tolist() == [2, 1, 2]
    assert spells.start_rows.tolist() == [0, 3, 4]
    assert spells.position.tolist() == [1, 2, 1, 1, 2]
    assert spells.run_id.tolist() == [0, 0, 1, 2, 2]


def test_a_gap_in_the_rows_is_no_gap_in_school_days():
    # the rows hold only days with absence: eff 7 and 8 follow each other however many calendar
    # days lie between; eff 8 and 10 do not
    student = np.array(["K", "K", "K"], dtype=object)
    spells = sick_spells(student, np.array([7, 8, 10]), np.array([1.0, 1.0, 1.0]))
    assert spells.length.tolist() == [2, 1]


def test_no_rows_no_runs():
    runs = consecutive_runs(
        np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([], dtype=bool)
    )
    assert runs.rows.size == runs.length.size == runs.position.size == 0
