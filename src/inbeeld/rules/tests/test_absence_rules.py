"""RULES.md §3–§4: the meldingen 16_uur, lrv, mazl_7_dagen and mazl_4_in_12, case by case.

Every case is one child, checked on the reference (analyse_student) and on the bulk engine with the
same one-child data set; the expected rows are worked out by hand in the comment above each case.
Unless said otherwise the child is born 5 May 2011 (under leerplicht throughout 2024/25), and the
schools are ZUID_VO (zuid, 6 h), NOORD_VO (noord, 6 h), ZUID_PO (zuid, 5 h).
Zuid 2024/25: summer until 18 Aug 2024, autumn 19–27 Oct, Christmas 21 Dec–5 Jan.
Noord: summer until 1 Sep 2024, autumn 26 Oct–3 Nov.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from inbeeld.rules.engine import analyse
from inbeeld.rules.reference import analyse_student
from inbeeld.rules.tests.builders import (
    CALENDAR,
    MIDDEN_VO,
    NOORD_VO,
    SCHOOLS,
    ZUID_PO,
    ZUID_VO,
    ZUID_VO_2,
    MeldingRow,
    absent,
    both,
    d,
    dataset,
    enrol,
    from_bulk,
    lrv,
    m16,
    mazl4,
    mazl7,
    record,
    sick,
    student,
    unexcused,
)

BORN = "2011-05-05"
RULES_EXAMPLE = ("2024-10-07", "2024-10-14", "2024-10-28", "2024-11-04")


@dataclass
class Case:
    id: str
    enrolments: list
    absences: list
    on: str
    expected: list[MeldingRow]
    #: compare only these rules (the LRV cases produce 16_uur meldingen along the way)
    rules: tuple[str, ...] = ()
    birth: str = BORN


def four_hours(*days: str, hours: float = 4):
    return [unexcused(x, hours=hours) for x in days]


CASES_16_UUR = [
    # RULES.md's example in a zuid school: 4 h on 7, 14, 28 Oct and 4 Nov 2024. The window of
    # Mon 4 Nov: 4 Nov (1), 28 Oct (2), [21 Oct autumn vacation], 14 Oct (3), 7 Oct (4) → from
    # 7 Oct: 4 × 4 = 16 → melding 7 Oct–4 Nov, 16 h.
    Case(
        "rules-example-zuid",
        [enrol(ZUID_VO, "2023-08-01")],
        four_hours(*RULES_EXAMPLE),
        "2024-11-08",
        [m16("2024-10-07", "2024-11-04", 16, ZUID_VO)],
    ),
    # The same rows in a noord school: 28 Oct is in noord's autumn vacation (26 Oct–3 Nov), so its
    # row covers no school day. Window of 4 Nov: 4 Nov (1), [28 Oct], 21 (2), 14 (3), 7 Oct (4):
    # 4 + 4 + 4 = 12 h → no melding.
    Case(
        "rules-example-noord",
        [enrol(NOORD_VO, "2023-08-01")],
        four_hours(*RULES_EXAMPLE),
        "2024-11-08",
        [],
    ),
    # midden has the same autumn vacation as noord → 12 h, no melding
    Case(
        "rules-example-midden",
        [enrol(MIDDEN_VO, "2023-08-01")],
        four_hours(*RULES_EXAMPLE),
        "2024-11-08",
        [],
    ),
    # 4 h Mon–Thu 7–10 Oct: exactly 16 on Thu 10 Oct → melding
    Case(
        "exactly-16",
        [enrol(ZUID_VO, "2023-08-01")],
        four_hours("2024-10-07", "2024-10-08", "2024-10-09", "2024-10-10"),
        "2024-10-18",
        [m16("2024-10-07", "2024-10-10", 16, ZUID_VO)],
    ),
    # 4 + 4 + 4 + 3.5 = 15.5 → no melding
    Case(
        "15.5-does-not-fire",
        [enrol(ZUID_VO, "2023-08-01")],
        [*four_hours("2024-10-07", "2024-10-08", "2024-10-09"), unexcused("2024-10-10", hours=3.5)],
        "2024-10-18",
        [],
    ),
    # two rows of 2 h on 7 Oct add up to 4; then 4 h on 8, 9, 10 Oct → 16 on 10 Oct
    Case(
        "rows-add-up-per-day",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            unexcused("2024-10-07", hours=2),
            unexcused("2024-10-07", hours=2),
            *four_hours("2024-10-08", "2024-10-09", "2024-10-10"),
        ],
        "2024-10-18",
        [m16("2024-10-07", "2024-10-10", 16, ZUID_VO)],
    ),
    # 4 h + 4 h on one day of a 6 h school is capped at 6: 6 (7 Oct) + 6 (8 Oct) + 4 (9 Oct) = 16
    Case(
        "two-rows-capped-at-day",
        [enrol(ZUID_VO, "2023-08-01")],
        [*four_hours("2024-10-07", "2024-10-07", "2024-10-08", "2024-10-08", "2024-10-09")],
        "2024-10-18",
        [m16("2024-10-07", "2024-10-09", 16, ZUID_VO)],
    ),
    # A po school (5 h): 8 h rows on 7, 8, 9 Oct count 5 each = 15 (uncapped 16 would fire on
    # 8 Oct); 1 h on 10 Oct → 16 → melding 7–10 Oct, 16 h.
    Case(
        "hours-capped-at-school-hours",
        [enrol(ZUID_PO, "2023-08-01")],
        [unexcused("2024-10-07", "2024-10-09", hours=8), unexcused("2024-10-10", hours=1)],
        "2024-10-18",
        [m16("2024-10-07", "2024-10-10", 16, ZUID_PO)],
    ),
    # Whole days (6 h) Mon 7–Fri 18 Oct. 7: 6, 8: 12, 9: 18 → melding 1 (7–9 Oct, 18). Counting
    # restarts 10 Oct: 10: 6, 11: 12, Mon 14: 18 but only 5 days after 9 Oct, 15: 24 (6 days),
    # Wed 16: 30, 7 days → melding 2 (10–16 Oct, 30 h). Restart 17 Oct: 6 + 6 = 12, then vacation.
    Case(
        "seven-day-spacing",
        [enrol(ZUID_VO, "2023-08-01")],
        [unexcused("2024-10-07", "2024-10-18")],
        "2024-10-25",
        [
            m16("2024-10-07", "2024-10-09", 18, ZUID_VO),
            m16("2024-10-10", "2024-10-16", 30, ZUID_VO),
        ],
    ),
    # 4 h on 7–10 Oct → melding (7–10 Oct). Then 4 h on 28–31 Oct: the window of 30 Oct reaches
    # back to 30 Sep, but counting restarted on 11 Oct → 12 h; Thu 31 Oct → 16 (21 days after the
    # first) → melding 28–31 Oct, 16 h.
    Case(
        "restart-day-after-melding",
        [enrol(ZUID_VO, "2023-08-01")],
        four_hours(
            "2024-10-07",
            "2024-10-08",
            "2024-10-09",
            "2024-10-10",
            "2024-10-28",
            "2024-10-29",
            "2024-10-30",
            "2024-10-31",
        ),
        "2024-11-08",
        [
            m16("2024-10-07", "2024-10-10", 16, ZUID_VO),
            m16("2024-10-28", "2024-10-31", 16, ZUID_VO),
        ],
    ),
    # 4 h on 24–26 Jun 2024 (12 h), then 4 h on 19–22 Aug. The window of Mon 19 Aug is
    # 19 Aug, [summer 6 Jul–18 Aug], 1 Jul, 24 Jun, 17 Jun, but counting restarts on 1 Aug → 4 h on
    # 19 Aug (not 16); 16 on Thu 22 Aug → melding 19–22 Aug.
    Case(
        "restart-on-1-august",
        [enrol(ZUID_VO, "2023-08-01")],
        four_hours(
            "2024-06-24",
            "2024-06-25",
            "2024-06-26",
            "2024-08-19",
            "2024-08-20",
            "2024-08-21",
            "2024-08-22",
        ),
        "2024-08-30",
        [m16("2024-08-19", "2024-08-22", 16, ZUID_VO)],
    ),
    # Whole days Mon 2 Sep–Fri 4 Oct 2024 (25 school days; 20th = Fri 27 Sep), then 4 h on
    # 7–10 Oct. 16_uur (3 whole days = 18 h, next at least 7 days later):
    #   2–4 Sep (18), 5–11 Sep (30), 12–18 Sep (30), 19–25 Sep (30); restart 26 Sep: 6 h, then
    #   from 27 Sep (LRV day 20) to 4 Oct suppressed. lrv: 2–27 Sep.
    # The run ends on 4 Oct (7 Oct is a partial day); counting restarts on 5 Oct, so 26 Sep–4 Oct
    # do not count: 4 h on 7, 8, 9, 10 Oct → 16 on 10 Oct → melding 7–10 Oct.
    Case(
        "lrv-suppresses-and-restarts",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            unexcused("2024-09-02", "2024-10-04"),
            *four_hours("2024-10-07", "2024-10-08", "2024-10-09", "2024-10-10"),
        ],
        "2024-10-11",
        [
            m16("2024-09-02", "2024-09-04", 18, ZUID_VO),
            m16("2024-09-05", "2024-09-11", 30, ZUID_VO),
            m16("2024-09-12", "2024-09-18", 30, ZUID_VO),
            m16("2024-09-19", "2024-09-25", 30, ZUID_VO),
            lrv("2024-09-02", "2024-09-27", ZUID_VO),
            m16("2024-10-07", "2024-10-10", 16, ZUID_VO),
        ],
    ),
    # Not enrolled 5–13 Oct. 4 h on 30 Sep, 1, 2 Oct (12 h), on 7 Oct (not enrolled: does not
    # count, and it is no reason to stop either) and on 14 Oct. Window of 14 Oct: 14 Oct, 7 Oct,
    # 30 Sep, 23 Sep → 12 + 4 = 16 → melding 30 Sep–14 Oct (it would fire on 7 Oct if that counted).
    Case(
        "not-enrolled-day-does-not-count",
        [enrol(ZUID_VO, "2023-08-01", "2024-10-04"), enrol(ZUID_VO, "2024-10-14")],
        four_hours("2024-09-30", "2024-10-01", "2024-10-02", "2024-10-07", "2024-10-14"),
        "2024-10-18",
        [m16("2024-09-30", "2024-10-14", 16, ZUID_VO)],
    ),
    # Born 15 Aug 2019: 5th birthday 15 Aug 2024 → 1 Sep (Sun) → leerplicht from Mon 2 Sep 2024.
    # Enrolled (zuid po, 5 h) since 1 Sep 2023; whole days 26 Aug–4 Sep, 1 h on 5 Sep. 26–30 Aug
    # are before leerplicht and never count (they would reach 16 on 29 Aug); 2, 3, 4 Sep = 15,
    # 5 Sep → 16 → melding 2–5 Sep.
    Case(
        "before-leerplicht-start-does-not-count",
        [enrol(ZUID_PO, "2023-09-01")],
        [unexcused("2024-08-26", "2024-09-04"), unexcused("2024-09-05", hours=1)],
        "2024-09-06",
        [m16("2024-09-02", "2024-09-05", 16, ZUID_PO)],
        birth="2019-08-15",
    ),
    # Overlap: ZUID_VO open, ZUID_VO_2 from 1 Oct to 20 Dec started later and counts; the RULES
    # example then fires with the brin of ZUID_VO_2.
    Case(
        "overlap-later-start-counts",
        [enrol(ZUID_VO, "2023-08-01"), enrol(ZUID_VO_2, "2024-10-01", "2024-12-20")],
        four_hours(*RULES_EXAMPLE),
        "2024-11-08",
        [m16("2024-10-07", "2024-11-04", 16, ZUID_VO_2)],
    ),
    # Overlap with a noord school started later: noord's calendar decides → 28 Oct is no school
    # day → 12 h, no melding.
    Case(
        "overlap-noord-school-decides-calendar",
        [enrol(ZUID_VO, "2023-08-01"), enrol(NOORD_VO, "2024-10-01", "2024-12-20")],
        four_hours(*RULES_EXAMPLE),
        "2024-11-08",
        [],
    ),
    # 16 h reached on a day after the reference date: no melding yet (meldingen end ≤ on)
    Case(
        "melding-after-reference-date-not-listed",
        [enrol(ZUID_VO, "2023-08-01")],
        four_hours("2024-10-07", "2024-10-08", "2024-10-09", "2024-10-10"),
        "2024-10-09",
        [],
    ),
]

CASES_LRV = [
    # Whole days from Mon 30 Sep through 8 Nov 2024, zuid: 30 Sep–4 Oct (5), 7–11 (10), 14–18
    # (15), [19–27 Oct vacation: no break], 28 Oct–Fri 1 Nov (20) → lrv 30 Sep–1 Nov.
    # 16_uur: 30 Sep–2 Oct (18), 3–9 Oct (30), 10–16 Oct (30); restart 17 Oct: 17, 18 Oct, 28 Oct
    # → 18 h, 12 days after 16 Oct → 17–28 Oct (18); 29–31 Oct: 18 h but only 3 days after;
    # 1 Nov is LRV day 20 → suppressed.
    Case(
        "lrv-across-vacation-zuid",
        [enrol(ZUID_VO, "2023-08-01")],
        [unexcused("2024-09-30", "2024-11-08")],
        "2024-11-01",
        [
            m16("2024-09-30", "2024-10-02", 18, ZUID_VO),
            m16("2024-10-03", "2024-10-09", 30, ZUID_VO),
            m16("2024-10-10", "2024-10-16", 30, ZUID_VO),
            m16("2024-10-17", "2024-10-28", 18, ZUID_VO),
            lrv("2024-09-30", "2024-11-01", ZUID_VO),
        ],
    ),
    # The same rows in noord (vacation 26 Oct–3 Nov): the 20th school day is Fri 25 Oct.
    # 16_uur as in zuid up to 16 Oct; then 17, 18, 21 (18 h, 5 days), 22 (24 h, 6 days),
    # Wed 23 Oct (30 h, 7 days) → 17–23 Oct; 24 Oct 6 h; 25 Oct is LRV day 20 → suppressed.
    Case(
        "lrv-across-vacation-noord",
        [enrol(NOORD_VO, "2023-08-01")],
        [unexcused("2024-09-30", "2024-11-08")],
        "2024-11-08",
        [
            m16("2024-09-30", "2024-10-02", 18, NOORD_VO),
            m16("2024-10-03", "2024-10-09", 30, NOORD_VO),
            m16("2024-10-10", "2024-10-16", 30, NOORD_VO),
            m16("2024-10-17", "2024-10-23", 30, NOORD_VO),
            lrv("2024-09-30", "2024-10-25", NOORD_VO),
        ],
    ),
    # 20 whole days Mon 2 Sep–Fri 27 Sep → lrv on the 20th
    Case(
        "lrv-20-days",
        [enrol(ZUID_VO, "2023-08-01")],
        [unexcused("2024-09-02", "2024-09-27")],
        "2024-10-04",
        [lrv("2024-09-02", "2024-09-27", ZUID_VO)],
        rules=("lrv",),
    ),
    # 19 whole days (2–26 Sep) → no lrv
    Case(
        "lrv-19-days-not",
        [enrol(ZUID_VO, "2023-08-01")],
        [unexcused("2024-09-02", "2024-09-26")],
        "2024-10-04",
        [],
        rules=("lrv",),
    ),
    # Wed 18 Sep only 5 of 6 hours: breaks the run → 2–17 Sep (12) and 19 Sep–4 Oct (12): none
    Case(
        "partial-day-breaks-lrv",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            unexcused("2024-09-02", "2024-09-17"),
            unexcused("2024-09-18", hours=5),
            unexcused("2024-09-19", "2024-10-04"),
        ],
        "2024-10-04",
        [],
        rules=("lrv",),
    ),
    # 5 h + 1 h on 18 Sep reach the 6 h day: whole-day → the run holds → 20th day 27 Sep
    Case(
        "two-partial-rows-make-a-whole-day",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            unexcused("2024-09-02", "2024-09-17"),
            unexcused("2024-09-18", hours=5),
            unexcused("2024-09-18", hours=1),
            unexcused("2024-09-19", "2024-10-04"),
        ],
        "2024-10-04",
        [lrv("2024-09-02", "2024-09-27", ZUID_VO)],
        rules=("lrv",),
    ),
    # sick on 18 Sep instead of unexcused: breaks the run
    Case(
        "sick-day-breaks-lrv",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            unexcused("2024-09-02", "2024-09-17"),
            sick("2024-09-18"),
            unexcused("2024-09-19", "2024-10-04"),
        ],
        "2024-10-04",
        [],
        rules=("lrv",),
    ),
    # excused (geoorloofd) on 18 Sep: breaks the run as well
    Case(
        "excused-day-breaks-lrv",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            unexcused("2024-09-02", "2024-09-17"),
            absent("2024-09-18", reason="geoorloofd"),
            unexcused("2024-09-19", "2024-10-04"),
        ],
        "2024-10-04",
        [],
        rules=("lrv",),
    ),
    # not enrolled on Wed 18 Sep (a zuid school day): breaks the run
    Case(
        "not-enrolled-day-breaks-lrv",
        [enrol(ZUID_VO, "2023-08-01", "2024-09-17"), enrol(ZUID_VO, "2024-09-19")],
        [unexcused("2024-09-02", "2024-10-04")],
        "2024-10-04",
        [],
        rules=("lrv",),
    ),
    # a change of school over a weekend (out Fri 13 Sep, in Mon 16 Sep) does not break it;
    # the brin is the school of enrolment on the 20th day
    Case(
        "school-change-over-weekend-keeps-lrv",
        [enrol(ZUID_VO, "2023-08-01", "2024-09-13"), enrol(ZUID_VO_2, "2024-09-16")],
        [unexcused("2024-09-02", "2024-09-27")],
        "2024-10-04",
        [lrv("2024-09-02", "2024-09-27", ZUID_VO_2)],
        rules=("lrv",),
    ),
]

CASES_MAZL = [
    # Sick Thu 17 Oct–Fri 1 Nov, zuid: 17 (1), 18 (2), [autumn vacation], 28 (3), 29 (4),
    # 30 (5), 31 (6), 1 Nov (7) → mazl_7_dagen 17 Oct–1 Nov.
    Case(
        "mazl7-across-vacation",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2024-10-17", "2024-11-01")],
        "2024-11-08",
        [mazl7("2024-10-17", "2024-11-01", ZUID_VO)],
    ),
    # ...until 31 Oct: the 6th day → nothing
    Case(
        "mazl7-sixth-day-not",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2024-10-17", "2024-10-31")],
        "2024-11-08",
        [],
    ),
    # Mon 2–Mon 9 Sep is 6 school days (weekend does not break) → nothing; to Tue 10 Sep → 7th
    Case(
        "mazl7-6-days",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2024-09-02", "2024-09-09")],
        "2024-09-20",
        [],
    ),
    Case(
        "mazl7-7-days",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2024-09-02", "2024-09-10")],
        "2024-09-20",
        [mazl7("2024-09-02", "2024-09-10", ZUID_VO)],
    ),
    # Hemelvaart (Thu 29 May 2025) is no school day and does not break the spell: 26, 27, 28,
    # 30 May, 2, 3, 4 Jun → 7th = Wed 4 Jun 2025.
    Case(
        "mazl7-holiday-does-not-break",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2025-05-26", "2025-05-28"), sick("2025-05-30", "2025-06-04")],
        "2025-06-06",
        [mazl7("2025-05-26", "2025-06-04", ZUID_VO)],
    ),
    # 2 sick hours a day is a day with sick hours → counts in the spell
    Case(
        "mazl7-partial-sick-days",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2024-09-02", "2024-09-10", hours=2)],
        "2024-09-20",
        [mazl7("2024-09-02", "2024-09-10", ZUID_VO)],
    ),
    # a 20-day spell gives one mazl_7_dagen (on its 7th day) and counts as one spell
    Case(
        "mazl7-long-spell-once",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2024-09-02", "2024-09-27")],
        "2024-10-04",
        [mazl7("2024-09-02", "2024-09-10", ZUID_VO)],
    ),
    # Not enrolled on Thu 5 Sep: spells 2–4 Sep (3) and 6–16 Sep (6, 9, 10, 11, 12, 13, 16 → 7th
    # on Mon 16 Sep) → mazl_7_dagen 6–16 Sep.
    Case(
        "mazl7-not-enrolled-breaks-spell",
        [enrol(ZUID_VO, "2023-08-01", "2024-09-04"), enrol(ZUID_VO, "2024-09-06")],
        [sick("2024-09-02", "2024-09-16")],
        "2024-09-20",
        [mazl7("2024-09-06", "2024-09-16", ZUID_VO)],
    ),
    # Spells on Mondays 2, 16, 30 Sep and 14 Oct: the 12-lesweken window of 14 Oct starts 17 Jun
    # → 4 spells → mazl_4_in_12 from 2 Sep to 14 Oct.
    Case(
        "mazl4-within-12-lesweken",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick(x) for x in ("2024-09-02", "2024-09-16", "2024-09-30", "2024-10-14")],
        "2024-10-18",
        [mazl4("2024-09-02", "2024-10-14", ZUID_VO)],
    ),
    # 4th spell on 25 Nov: 25 Nov, 18, 11, 4 Nov, 28 Oct, [21 Oct vacation], 14, 7 Oct, 30, 23, 16,
    # 9, 2 Sep = 12 lesweken → window starts 2 Sep → 4 spells → melding 2 Sep–25 Nov.
    Case(
        "mazl4-12th-lesweek-boundary",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick(x) for x in ("2024-09-02", "2024-09-16", "2024-09-30", "2024-11-25")],
        "2024-11-29",
        [mazl4("2024-09-02", "2024-11-25", ZUID_VO)],
    ),
    # 4th spell on 2 Dec: window starts 9 Sep → 2 Sep falls out → 3 spells → nothing
    Case(
        "mazl4-over-12-lesweken-not",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick(x) for x in ("2024-09-02", "2024-09-16", "2024-09-30", "2024-12-02")],
        "2024-12-06",
        [],
    ),
    # Across the summer (choice: no restart on 1 August): window of 2 Sep: 2 Sep, 26 Aug,
    # 19 Aug, [6 summer weeks], 1 Jul, 24 Jun, 17 Jun, 10 Jun, 3 Jun, 27 May, 20 May, 13 May, 6 May
    # → spells 10 Jun, 24 Jun, 19 Aug, 2 Sep → melding 10 Jun–2 Sep 2024.
    Case(
        "mazl4-across-summer",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick(x) for x in ("2024-06-10", "2024-06-24", "2024-08-19", "2024-09-02")],
        "2024-09-06",
        [mazl4("2024-06-10", "2024-09-02", ZUID_VO)],
    ),
    # Spells 2, 9, 16, 23 Sep → melding (2–23 Sep). 30 Sep, 7, 14 Oct: counting from 24 Sep → 3;
    # 28 Oct → 4 → second melding 30 Sep–28 Oct (without the restart 30 Sep would fire).
    Case(
        "mazl4-spells-not-counted-again",
        [enrol(ZUID_VO, "2023-08-01")],
        [
            sick(x)
            for x in (
                "2024-09-02",
                "2024-09-09",
                "2024-09-16",
                "2024-09-23",
                "2024-09-30",
                "2024-10-07",
                "2024-10-14",
                "2024-10-28",
            )
        ],
        "2024-11-01",
        [mazl4("2024-09-02", "2024-09-23", ZUID_VO), mazl4("2024-09-30", "2024-10-28", ZUID_VO)],
    ),
    # sick Mon 2 and Tue 3 Sep is one spell (starting 2 Sep); with 16 Sep, 30 Sep: 3 spells
    Case(
        "mazl4-two-day-spell-counts-once",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2024-09-02", "2024-09-03"), sick("2024-09-16"), sick("2024-09-30")],
        "2024-10-04",
        [],
    ),
    # a spell over a weekend is one spell: Fri 6 + Mon 9 Sep, plus 16, 23 Sep → 3 spells
    Case(
        "mazl4-spell-over-weekend-counts-once",
        [enrol(ZUID_VO, "2023-08-01")],
        [sick("2024-09-06"), sick("2024-09-09"), sick("2024-09-16"), sick("2024-09-23")],
        "2024-10-04",
        [],
    ),
]


def _run(case: Case):
    rec = record(student(case.birth), case.enrolments, case.absences)
    ref, bulk = both(rec, case.on)
    pick = (lambda r: r.rules(*case.rules)) if case.rules else (lambda r: r.meldingen)
    assert {"reference": pick(ref), "bulk": pick(bulk)} == {
        "reference": case.expected,
        "bulk": case.expected,
    }
    return ref, bulk


@pytest.mark.parametrize("case", CASES_16_UUR, ids=lambda c: c.id)
def test_16_uur(case):
    _run(case)


@pytest.mark.parametrize("case", CASES_LRV, ids=lambda c: c.id)
def test_lrv(case):
    _run(case)


@pytest.mark.parametrize("case", CASES_MAZL, ids=lambda c: c.id)
def test_mazl(case):
    _run(case)


@pytest.mark.parametrize(
    "hours",
    [
        # 5.5 + 5.5 + 5 = 16 exactly in binary floating point → melding 7–9 Oct, 16 h
        pytest.param((5.5, 5.5, 5.0), id="half-hours"),
        # 5.1 + 5.3 + 5.6 = 16 as decimals → the same melding is due
        pytest.param((5.1, 5.3, 5.6), id="decimal-hours"),
        pytest.param((4.6, 5.8, 5.6), id="decimal-hours-2"),
    ],
)
def test_16_uur_decimal_hours(hours):
    days = ("2024-10-07", "2024-10-08", "2024-10-09")
    _run(
        Case(
            "decimal",
            [enrol(ZUID_VO, "2023-08-01")],
            [unexcused(x, hours=h) for x, h in zip(days, hours, strict=True)],
            "2024-10-18",
            [m16("2024-10-07", "2024-10-09", 16, ZUID_VO)],
        )
    )


def test_16_uur_melding_lists_its_days():
    # the reference keeps the counted days behind a 16_uur melding (for explanations)
    rec = record(student(BORN), [enrol(ZUID_VO, "2023-08-01")], four_hours(*RULES_EXAMPLE))
    (melding,) = analyse_student(rec, SCHOOLS, CALENDAR, d("2024-11-08")).meldingen
    assert melding.days == tuple((d(x), 4.0) for x in RULES_EXAMPLE)


# Whole unexcused days Mon 2 Sep–Fri 4 Oct 2024 (25 school days) for a child who is not enrolled
# anywhere: hours on days without enrolment never count (RULES.md §3) → no meldingen, and the
# status is absoluut verzuim since the start of leerplicht (born 5 May 2011, home region zuid:
# Wed 1 Jun 2016).
UNENROLLED = record(student(BORN, region="zuid"), [], [unexcused("2024-09-02", "2024-10-04")])


def test_absences_in_a_data_set_without_any_enrolment():
    ref, bulk = both(UNENROLLED, "2024-10-04")
    assert ref == bulk


def test_absences_of_an_unenrolled_child_never_count():
    ref = analyse_student(UNENROLLED, SCHOOLS, CALENDAR, d("2024-10-04"))
    assert ref.meldingen == ()
    assert (ref.status.category, ref.status.since) == ("absoluut_verzuim", d("2016-06-01"))
    # the bulk engine, with a second (enrolled) child in the data set so that it does not crash
    other = record(student(BORN, sid="S2"), [enrol(ZUID_VO, "2023-08-01")])
    bulk = analyse(dataset([UNENROLLED, other]), d("2024-10-04"), CALENDAR)
    got = from_bulk(bulk.status, bulk.meldingen, "S1")
    assert got.meldingen == []
    assert (got.status.category, got.status.since) == ("absoluut_verzuim", d("2016-06-01"))
