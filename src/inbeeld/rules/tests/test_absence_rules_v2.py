"""RULES.md §7 (v2), what counts on a day: the child's own timetable, luxe verzuim (LPW art. 11
onder f / 13a) and five-year-olds (LPW art. 11a), case by case on both engines.

Every case is one child, checked on the reference (analyse_student) and on the bulk engine with the
same one-child data set; the expected rows are worked out by hand in the comment above each case.
Zuid 2024/25: autumn vacation 19–27 Oct 2024, spring 22 Feb–2 Mar 2025. Schools: ZUID_VO and
ZUID_VO_2 (zuid, 6 h), for the five-year-olds too (the rules do not look at the sector; whole days
are 6 h). FIVE is born 15 March 2019: 5 on 15 March 2024, leerplicht from Tuesday 2 April 2024
(the first school day from 1 April, Tweede Paasdag), 6 on 15 March 2025.
Expected rows are in meldingen.csv order: end_date, rule, start_date.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from inbeeld.rules.absence import melding_order
from inbeeld.rules.analyse import summarise, write_outputs
from inbeeld.rules.engine import analyse
from inbeeld.rules.reference import analyse_student
from inbeeld.rules.tests.builders import (
    CALENDAR,
    SCHOOLS,
    ZUID_VO,
    ZUID_VO_2,
    MeldingRow,
    absent,
    d,
    dataset,
    enrol,
    lrv,
    m16,
    record,
    sick,
    student,
    unexcused,
)
from inbeeld.rules.tests.test_absence_rules import Case, _run

BORN = "2011-05-05"  # 13 in 2024/25: under leerplicht, 11a is never excused
FIVE = "2019-03-15"
#: ongeoorloofd 6 h on Wed 9 and Thu 10 Oct 2024 and 2 h on Fri 11 Oct: 14 hours
REST_OF_THE_WEEK = [
    unexcused("2024-10-09", "2024-10-10", hours=6),
    unexcused("2024-10-11", hours=2),
]


def luxe(start: str, end: str | None = None, hours: float | None = None):
    return absent(start, end, "luxe", hours)


def leave_11a(start: str, end: str | None = None, hours: float | None = None):
    return absent(start, end, "11a", hours)


def luxe_melding(start: str, end: str, brin: str) -> MeldingRow:
    return ("luxe_verzuim", d(start), d(end), None, brin)


SEP_2024 = ("2024-09-02", "2024-09-27")  # Mon 2 – Fri 27 Sep: 20 school days in zuid

CASES_OWN_TIMETABLE = [
    # A pupil on a 2-hour timetable at a 6-hour school misses both hours every school day from
    # Mon 2 to Fri 27 Sep 2024: 20 school days whose unexcused hours (2) reach the day (2) → lrv
    # 2–27 Sep.
    Case(
        "two-hour-timetable-lrv",
        [enrol(ZUID_VO, "2023-08-01", hours=2.0)],
        [unexcused(*SEP_2024, hours=2)],
        "2024-10-04",
        [lrv("2024-09-02", "2024-09-27", ZUID_VO)],
        rules=("lrv",),
    ),
    # The same rows without the own timetable: 2 of the school's 6 hours is no whole day → no lrv.
    Case(
        "school-hours-no-lrv",
        [enrol(ZUID_VO, "2023-08-01")],
        [unexcused(*SEP_2024, hours=2)],
        "2024-10-04",
        [],
        rules=("lrv",),
    ),
    # Rows without hours on the 2-hour timetable are whole days of 2 hours. 16_uur: 2 h a day →
    # 16 on the 8th day, Wed 11 Sep (2–11 Sep); restart 12 Sep: 12, 13, 16–20, 23 Sep → 16 on Mon
    # 23 Sep (12 days later); restart 24 Sep: 24–26 = 6 h, and Fri 27 Sep is LRV day 20
    # (suppressed). lrv 2–27 Sep. (With the school's 6 hours the first 16_uur would be 2–4 Sep.)
    Case(
        "whole-day-rows-take-the-own-timetable",
        [enrol(ZUID_VO, "2023-08-01", hours=2.0)],
        [unexcused(*SEP_2024)],
        "2024-10-04",
        [
            m16("2024-09-02", "2024-09-11", 16, ZUID_VO),
            m16("2024-09-12", "2024-09-23", 16, ZUID_VO),
            lrv("2024-09-02", "2024-09-27", ZUID_VO),
        ],
    ),
    # Capping at the pupil's 3.5 hours: 6 h rows Mon 7–Fri 11 Oct count 3.5 each: 3.5, 7, 10.5,
    # 14, 17.5 → melding 7–11 Oct, 17.5 h (capped at the school's 6 it would be 7–9 Oct, 18 h).
    Case(
        "capped-at-the-pupils-hours",
        [enrol(ZUID_VO, "2023-08-01", hours=3.5)],
        [unexcused("2024-10-07", "2024-10-11", hours=6)],
        "2024-10-18",
        [m16("2024-10-07", "2024-10-11", 17.5, ZUID_VO)],
    ),
    # Two enrolments at the same school: the later one (7–11 Oct, 2 h) nests in the open one
    # (6 h), which resumes on 12 Oct. Whole days 7–14 Oct: 2, 4, 6, 8, 10 (Fri 11 Oct), Mon
    # 14 Oct + 6 = 16 → melding 7–14 Oct, 16 h. (Merged into one 6-hour stretch: 7–9 Oct, 18 h.)
    Case(
        "nested-enrolment-same-school-other-hours",
        [enrol(ZUID_VO, "2023-08-01"), enrol(ZUID_VO, "2024-10-07", "2024-10-11", hours=2.0)],
        [unexcused("2024-10-07", "2024-10-14")],
        "2024-10-18",
        [m16("2024-10-07", "2024-10-14", 16, ZUID_VO)],
    ),
]

CASES_LUXE = [
    # Luxe counts as unexcused, together with ongeoorloofd: luxe whole days Mon 7 and Tue 8 Oct
    # (12 h) + 4 h ongeoorloofd Wed 9 Oct = 16 → 16_uur 7–9 Oct; the luxe row gives luxe_verzuim
    # 7–8 Oct at once (no hours).
    Case(
        "luxe-counts-for-16-uur",
        [enrol(ZUID_VO, "2023-08-01")],
        [luxe("2024-10-07", "2024-10-08"), unexcused("2024-10-09", hours=4)],
        "2024-10-18",
        [
            luxe_melding("2024-10-07", "2024-10-08", ZUID_VO),
            m16("2024-10-07", "2024-10-09", 16, ZUID_VO),
        ],
    ),
    # Luxe and ongeoorloofd on one day are capped together at the day: 4 + 4 on Mon 7 Oct = 6,
    # then 4 h ongeoorloofd on 8, 9 Oct → 14, and 2 h on Thu 10 Oct → 16 → 16_uur 7–10 Oct.
    Case(
        "luxe-and-ongeoorloofd-capped-together",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            luxe("2024-10-07", hours=4),
            unexcused("2024-10-07", "2024-10-09", hours=4),
            unexcused("2024-10-10", hours=2),
        ],
        "2024-10-18",
        [
            luxe_melding("2024-10-07", "2024-10-07", ZUID_VO),
            m16("2024-10-07", "2024-10-10", 16, ZUID_VO),
        ],
    ),
    # A luxe row from Sat 12 Oct to Sun 27 Oct 2024 (a weekend, a school week, the autumn vacation
    # 19–27 Oct): its first school day is Mon 14 Oct, its last Fri 18 Oct → luxe_verzuim 14–18 Oct.
    # Its whole days count for 16_uur: 6, 12, 18 on Wed 16 Oct → 16_uur 14–16 Oct, 18 h; then 17,
    # 18 Oct = 12 h.
    Case(
        "luxe-over-weekend-and-vacation",
        [enrol(ZUID_VO, "2023-08-01")],
        [luxe("2024-10-12", "2024-10-27")],
        "2024-11-08",
        [
            m16("2024-10-14", "2024-10-16", 18, ZUID_VO),
            luxe_melding("2024-10-14", "2024-10-18", ZUID_VO),
        ],
    ),
    # A luxe row of 1 h a day Mon 3–Fri 14 Mar 2025, reference date Sunday 9 Mar: the end is
    # clipped to the last school day up to it, Fri 7 Mar → luxe_verzuim 3–7 Mar (5 h: no 16_uur).
    Case(
        "luxe-clipped-at-the-reference-date",
        [enrol(ZUID_VO, "2023-08-01")],
        [luxe("2025-03-03", "2025-03-14", hours=1)],
        "2025-03-09",
        [luxe_melding("2025-03-03", "2025-03-07", ZUID_VO)],
    ),
    # The same row on Friday 28 Feb (spring vacation 22 Feb–2 Mar): no school day of it up to the
    # reference date yet → nothing.
    Case(
        "luxe-not-yet-begun",
        [enrol(ZUID_VO, "2023-08-01")],
        [luxe("2025-03-03", "2025-03-14", hours=1)],
        "2025-02-28",
        [],
    ),
    # Enrolled until Fri 11 Oct and again from Mon 28 Oct: a luxe row 14–25 Oct lies entirely
    # outside enrolment (school days 14–18 Oct unenrolled, then the vacation) → no melding.
    Case(
        "luxe-outside-enrolment",
        [enrol(ZUID_VO, "2023-08-01", "2024-10-11"), enrol(ZUID_VO_2, "2024-10-28")],
        [luxe("2024-10-14", "2024-10-25")],
        "2024-11-08",
        [],
    ),
    # A luxe row Thu 10–Tue 29 Oct over a change of school (ZUID_VO until Fri 11 Oct, ZUID_VO_2
    # from Mon 14 Oct): first school day 10 Oct, last 29 Oct; brin: the school on 29 Oct.
    Case(
        "luxe-over-a-change-of-school",
        [enrol(ZUID_VO, "2023-08-01", "2024-10-11"), enrol(ZUID_VO_2, "2024-10-14")],
        [luxe("2024-10-10", "2024-10-29")],
        "2024-11-08",
        [luxe_melding("2024-10-10", "2024-10-29", ZUID_VO_2)],
        rules=("luxe_verzuim",),
    ),
    # A luxe row before leerplicht (born 15 Mar 2019: leerplicht from 1 Apr 2024) is no verzuim:
    # enrolled from 1 Sep 2023, luxe Mon 18–Fri 29 Mar 2024 → nothing; a second row Thu 28 Mar–
    # Fri 5 Apr 2024 counts from Tue 2 Apr (Mon 1 Apr is Tweede Paasdag) → luxe_verzuim 2–5 Apr.
    Case(
        "luxe-before-leerplicht",
        [enrol(ZUID_VO, "2023-09-01")],
        [luxe("2024-03-18", "2024-03-29", hours=1), luxe("2024-03-28", "2024-04-05", hours=1)],
        "2024-04-30",
        [luxe_melding("2024-04-02", "2024-04-05", ZUID_VO)],
        birth=FIVE,
    ),
    # Two luxe rows with the same first and last school day (Mon 7–Fri 11 Oct and Sat 5–Sun 13
    # Oct) give one melding 7–11 Oct; a row Tue 8–Wed 9 Oct gives its own.
    Case(
        "luxe-rows-with-the-same-days",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            luxe("2024-10-07", "2024-10-11", hours=1),
            luxe("2024-10-05", "2024-10-13", hours=1),
            luxe("2024-10-08", "2024-10-09", hours=1),
        ],
        "2024-10-18",
        [
            luxe_melding("2024-10-08", "2024-10-09", ZUID_VO),
            luxe_melding("2024-10-07", "2024-10-11", ZUID_VO),
        ],
    ),
]

CASES_11A = [
    # FIVE (5 years old) at a 6-hour school: 11a whole days Mon 7 and Tue 8 Oct 2024 = 6 + 6 h in
    # one lesweek: the first 10 are excused (Mon 6, Tue 4), the later 2 (Tue) unexcused. With
    # ongeoorloofd 6 h Wed 9, Thu 10 and 2 h Fri 11 Oct: 2 + 6 + 6 + 2 = 16 on Fri 11 Oct →
    # 16_uur 8–11 Oct (starting on Tuesday: Monday's 11a hours are excused).
    Case(
        "11a-6-plus-6-in-one-week",
        [enrol(ZUID_VO, "2023-09-01")],
        [
            leave_11a("2024-10-07", "2024-10-08"),
            *REST_OF_THE_WEEK,
        ],
        "2024-10-18",
        [m16("2024-10-08", "2024-10-11", 16, ZUID_VO)],
        birth=FIVE,
    ),
    # Each reason is capped at the day first: two 6 h 11a rows on Mon 7 Oct use 6 of the
    # allowance (not 12), so Tue 8 Oct's 6 h are 4 excused + 2 unexcused, as above → 8–11 Oct.
    Case(
        "11a-capped-at-the-day-before-the-allowance",
        [enrol(ZUID_VO, "2023-09-01")],
        [
            leave_11a("2024-10-07", hours=6),
            leave_11a("2024-10-07", hours=6),
            leave_11a("2024-10-08", hours=6),
            *REST_OF_THE_WEEK,
        ],
        "2024-10-18",
        [m16("2024-10-08", "2024-10-11", 16, ZUID_VO)],
        birth=FIVE,
    ),
    # 10 hours in a week are all excused: 11a 5 h Mon 7 and Tue 8 Oct, ongeoorloofd 6 h Wed 9,
    # Thu 10 and 2 h Fri 11 Oct = 14 → no melding.
    Case(
        "11a-10-hours-all-excused",
        [enrol(ZUID_VO, "2023-09-01")],
        [
            leave_11a("2024-10-07", "2024-10-08", hours=5),
            *REST_OF_THE_WEEK,
        ],
        "2024-10-18",
        [],
        birth=FIVE,
    ),
    # The week a child turns 6: born 13 March 2019, 6 on Thu 13 Mar 2025. 11a 2 h a day Mon 10–Fri 14 Mar: Mon–Wed (aged 5) excused; Thu 13 (the
    # birthday) and Fri 14 unexcused = 4 h. Ongeoorloofd 6 h Mon 17 and Tue 18 Mar → 16 on
    # Tue 18 Mar → 16_uur 13–18 Mar.
    Case(
        "11a-the-week-the-child-turns-6",
        [enrol(ZUID_VO, "2023-09-01")],
        [
            leave_11a("2025-03-10", "2025-03-14", hours=2),
            unexcused("2025-03-17", "2025-03-18", hours=6),
        ],
        "2025-03-28",
        [m16("2025-03-13", "2025-03-18", 16, ZUID_VO)],
        birth="2019-03-13",
    ),
    # 11a whole days (6 h) Thu 10–Wed 16 Oct 2024, across two lesweken; the allowance starts
    # again on Monday. Week of 7 Oct: Thu 6 excused, Fri 4 excused + 2 unexcused. Week of 14 Oct:
    # Mon 6 excused, Tue 4 + 2, Wed 6 unexcused. Unexcused 2 (Fri 11) + 2 (Tue 15) + 6 (Wed 16)
    # = 10; ongeoorloofd 6 h Thu 17 Oct → 16 → 16_uur 11–17 Oct. (One allowance for the whole
    # row would give 11–16 Oct, 20 h.)
    Case(
        "11a-across-two-weeks",
        [enrol(ZUID_VO, "2023-09-01")],
        [leave_11a("2024-10-10", "2024-10-16"), unexcused("2024-10-17", hours=6)],
        "2024-10-25",
        [m16("2024-10-11", "2024-10-17", 16, ZUID_VO)],
        birth=FIVE,
    ),
    # A child of 13: all 11a hours are unexcused. 11a whole days Mon 7, Tue 8 Oct (12 h) + 4 h
    # ongeoorloofd Wed 9 Oct → 16_uur 7–9 Oct.
    Case(
        "11a-aged-6-or-more",
        [enrol(ZUID_VO, "2023-08-01")],
        [leave_11a("2024-10-07", "2024-10-08"), unexcused("2024-10-09", hours=4)],
        "2024-10-18",
        [m16("2024-10-07", "2024-10-09", 16, ZUID_VO)],
    ),
]


@pytest.mark.parametrize(
    "case", [*CASES_OWN_TIMETABLE, *CASES_LUXE, *CASES_11A], ids=lambda c: c.id
)
def test_what_counts_on_a_day_v2(case):
    """Expected rows in meldingen.csv order (end_date, rule, start_date), on both engines."""
    _run(case)


def test_meldingen_order_is_the_same_in_both_engines():
    """Meldingen ending on one day are ordered by rule name, in both engines: whole-day luxe
    Mon 7–Wed 9 Oct 2024 (18 h: 16_uur 7–9 Oct and luxe_verzuim 7–9 Oct) and sick from Tue 1 Oct
    (its 7th school day is Wed 9 Oct: mazl_7_dagen 1–9 Oct)."""
    rec = record(
        student(BORN),
        [enrol(ZUID_VO, "2023-08-01")],
        [luxe("2024-10-07", "2024-10-09"), sick("2024-10-01", "2024-10-09")],
    )
    on = d("2024-10-18")
    expected = [
        ("16_uur", d("2024-10-07"), d("2024-10-09")),
        ("luxe_verzuim", d("2024-10-07"), d("2024-10-09")),
        ("mazl_7_dagen", d("2024-10-01"), d("2024-10-09")),
    ]
    reference = analyse_student(rec, SCHOOLS, CALENDAR, on).meldingen
    assert [(m.rule, m.start_date, m.end_date) for m in reference] == expected
    assert list(reference) == sorted(reference, key=melding_order)
    bulk = analyse(dataset([rec], SCHOOLS), on, CALENDAR).meldingen
    assert bulk.select("rule", "start_date", "end_date").rows() == expected


def test_analyse_writes_and_summarises_luxe_verzuim(tmp_path):
    """`inbeeld analyse`'s outputs: the luxe melding in meldingen.csv (hours empty, brin the school)
    and a line in the summary."""
    rec = record(
        student(BORN),
        [enrol(ZUID_VO, "2023-08-01")],
        [luxe("2024-10-12", "2024-10-27", hours=1)],
    )
    on = dt.date(2024, 11, 8)
    result = analyse(dataset([rec], SCHOOLS), on, CALENDAR)
    write_outputs(result, tmp_path)
    with (tmp_path / "meldingen.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {
            "student_id": "S1",
            "rule": "luxe_verzuim",
            "start_date": "2024-10-14",
            "end_date": "2024-10-18",
            "hours": "",
            "brin": ZUID_VO,
        }
    ]
    summary = summarise(result, on)
    assert summary.meldingen_total == {"luxe_verzuim": 1}
    line = next(x for x in summary.text().splitlines() if "luxe verzuim" in x)
    assert line.split()[-2:] == ["1", "1"]
