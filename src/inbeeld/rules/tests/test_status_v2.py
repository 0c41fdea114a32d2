"""RULES.md §7 (v2), the bullets on status and exemptions, hand-worked on both engines.

* absoluut verzuim only where school is missed: since = the first school day (home region) of the
  stretch; a gap of weekends, holidays or a summer vacation is no status and no episode;
* 3a/3b are vervangende leerplicht: never vrijgesteld, no break of the absoluut-verzuim stretch;
* which duty an exemption covers: 15 only under kwalificatieplicht (the summary counts rows on
  leerplicht days), an open 5a row lapses on 31 July unless permanent, 5a_trekkend as 5b/5c.

Calendar facts used (region zuid, the shipped vacations): summer 2024 6 Jul–18 Aug (last school
day Fri 5 Jul, first Mon 19 Aug), autumn 19–27 Oct 2024, Christmas 21 Dec 2024–5 Jan 2025 (first
school day Mon 6 Jan), summer 2025 5 Jul–17 Aug (first school day Mon 18 Aug).
"""

from __future__ import annotations

import datetime as dt
import itertools

import polars as pl
import pytest

from inbeeld.rules.analyse import summarise
from inbeeld.rules.calendar import day_number, from_day_number
from inbeeld.rules.duty import duty_period
from inbeeld.rules.engine import analyse, calendar_for
from inbeeld.rules.engine.duty import compute_duty
from inbeeld.rules.engine.exemptions import effective_exemptions
from inbeeld.rules.engine.frames import OPEN_END, build_frames, calendar_arrays
from inbeeld.rules.exemptions import effective_span, without_effect_on_leerplicht
from inbeeld.rules.tests.builders import (
    CALENDAR,
    SCHOOLS,
    ZUID_PO,
    ZUID_VO,
    ZUID_VO_2,
    d,
    dataset,
    enrol,
    exemption,
    record,
    student,
    unexcused,
)
from inbeeld.rules.tests.random_data import random_dataset
from inbeeld.rules.tests.test_episodes import both as both_episodes
from inbeeld.rules.tests.test_episodes import ep
from inbeeld.rules.tests.test_status import Case, Child, check_status

LP, KP, NONE = "leerplicht", "kwalificatieplicht", "none"
VRIJ, AV, LRV = "vrijgesteld", "absoluut_verzuim", "langdurig_relatief_verzuim"

#: born 5 May 2011, home region zuid: leerplicht until 31 July 2027
BORN = "2011-05-05"
#: born 10 March 2014: 10 years old in 2024, leerplicht until 31 July 2030
TEN = "2014-03-10"
#: born 10 September 2007: 16 on 10 Sep 2023, so leerplicht ends 31 July 2024; kwalificatieplicht
#: from 1 August 2024 to 9 September 2025 (the day before the 18th birthday)
SEVENTEEN = "2007-09-10"


WEEKEND = [enrol(ZUID_VO, "2016-06-01", "2024-10-04"), enrol(ZUID_VO_2, "2024-10-07")]
WEEKEND_DAY = [enrol(ZUID_VO, "2016-06-01", "2024-10-03"), enrol(ZUID_VO_2, "2024-10-07")]
SUMMER = [enrol(ZUID_VO, "2016-06-01", "2024-07-05"), enrol(ZUID_VO_2, "2024-08-19")]
SUMMER_LATE = [enrol(ZUID_VO, "2016-06-01", "2024-07-05"), enrol(ZUID_VO_2, "2024-08-21")]
LEFT_BEFORE_SUMMER = [enrol(ZUID_VO, "2016-06-01", "2024-07-05")]
LEFT_BEFORE_CHRISTMAS = [enrol(ZUID_VO, "2016-06-01", "2024-12-20")]
LEFT_END_OF_JUNE = [enrol(ZUID_VO, "2016-06-01", "2024-06-30")]  # Sunday; Mon 1 Jul at school
LEFT_END_OF_MARCH = [enrol(ZUID_VO, "2016-06-01", "2024-03-31")]  # Sunday (Easter)
LEFT_END_OF_SEPTEMBER = [enrol(ZUID_VO, "2016-06-01", "2024-09-30")]
TEN_LEFT = [enrol(ZUID_PO, "2019-04-01", "2024-06-30")]
SEVENTEEN_LEFT = [enrol(ZUID_VO, "2012-08-01", "2024-06-30")]
OPEN_5A = exemption("5a", "2024-04-01")
AUTUMN_15 = exemption("15", "2024-10-01", "2024-12-31")
OPEN_15 = exemption("15", "2024-07-01")


def case(name, on, duty, category, since, over, enrolments, exemptions=(), **kw) -> Case:
    """A row of the table: the child born ``BORN`` (or ``birth=``) in region zuid."""
    child = Child(enrolments=tuple(enrolments), exemptions=tuple(exemptions), **kw)
    return Case(name, on, duty, category, since, over, child)


def at_17(name, on, duty, category, since, over, row, **kw) -> Case:
    """Born ``SEVENTEEN``, out of school from Mon 1 Jul 2024, one exemption row."""
    return case(name, on, duty, category, since, over, SEVENTEEN_LEFT, [row], birth=SEVENTEEN, **kw)


def out_from_april(name, on, duty, category, since, over, row) -> Case:
    """Born ``BORN``, out of school from Mon 1 Apr 2024 (Tweede Paasdag), one exemption row."""
    return case(name, on, duty, category, since, over, LEFT_END_OF_MARCH, [row])


CASES = [
    # -- absoluut verzuim only where school is missed ------------------------------------------
    # school change over a weekend: out Fri 4 Oct, in Mon 7 Oct; Sat and Sun are no verzuim
    case("weekend-saturday", "2024-10-05", LP, None, None, False, WEEKEND),
    case("weekend-sunday", "2024-10-06", LP, None, None, False, WEEKEND),
    case("weekend-monday-enrolled", "2024-10-07", LP, None, None, False, WEEKEND),
    # the same gap with a school day in it (out Thu 3 Oct): since Fri 4 Oct, also on Saturday
    case("weekend-with-a-school-day", "2024-10-05", LP, AV, "2024-10-04", False, WEEKEND_DAY),
    # school change over the summer: out Fri 5 Jul, in Mon 19 Aug 2024
    case("summer-first-day", "2024-07-06", LP, None, None, False, SUMMER),
    case("summer-middle", "2024-08-01", LP, None, None, False, SUMMER),
    case("summer-last-day", "2024-08-18", LP, None, None, False, SUMMER),
    # ... back only on Wed 21 Aug: the gap starts in the summer and runs into school days
    case("summer-late-still-vacation", "2024-08-18", LP, None, None, False, SUMMER_LATE),
    case("summer-late-first-school-day", "2024-08-19", LP, AV, "2024-08-19", False, SUMMER_LATE),
    case("summer-late-second-day", "2024-08-20", LP, AV, "2024-08-19", False, SUMMER_LATE),
    # ... never back: since Mon 19 Aug; 18 Nov − 3 months = 18 Aug < 19 Aug, 19 Nov: over
    case("summer-left-before-3m", "2024-11-18", LP, AV, "2024-08-19", False, LEFT_BEFORE_SUMMER),
    case("summer-left-3m", "2024-11-19", LP, AV, "2024-08-19", True, LEFT_BEFORE_SUMMER),
    # out Fri 20 Dec: Christmas vacation and Nieuwjaarsdag are no verzuim; Mon 6 Jan is
    case("christmas-vacation", "2025-01-03", LP, None, None, False, LEFT_BEFORE_CHRISTMAS),
    case("christmas-first-day", "2025-01-06", LP, AV, "2025-01-06", False, LEFT_BEFORE_CHRISTMAS),
    # -- 3a/3b: vervangende leerplicht, no exemption ----------------------------------------------
    # (enrolled with an LRV run and a 3a row: test_status.test_exemption_and_meldingen)
    # not enrolled from Mon 1 Jul with an open 3b row: absoluut verzuim since 1 Jul
    case(
        "3b-not-enrolled",
        "2024-11-15",
        *(LP, AV, "2024-07-01", True, LEFT_END_OF_JUNE, [exemption("3b", "2024-07-01")]),
    ),
    # a 3a row from 1 Jul to 30 Sep does not break the stretch (a 5b row would: since 1 Oct)
    case(
        "3a-does-not-break-the-stretch",
        "2024-11-15",
        *(LP, AV, "2024-07-01", True, LEFT_END_OF_JUNE),
        [exemption("3a", "2024-07-01", "2024-09-30")],
    ),
    # -- art. 15: only under kwalificatieplicht ---------------------------------------------------
    # at 10: no effect; not enrolled → absoluut verzuim since Mon 1 Jul 2024
    case(
        "15-at-10-not-enrolled",
        "2024-11-15",
        *(LP, AV, "2024-07-01", True, TEN_LEFT, [exemption("15", "2024-07-01")]),
        birth=TEN,
    ),
    case(
        "15-at-10-enrolled",
        "2024-10-01",
        *(LP, None, None, False, [enrol(ZUID_PO, "2019-04-01")], [exemption("15", "2024-09-01")]),
        birth=TEN,
    ),
    # at 17, row from 1 Jul 2024, leerplicht until 31 Jul: in July the row has no effect (and the
    # summer holiday does not matter: 1 Jul was a school day) → absoluut verzuim since 1 Jul
    at_17("15-at-17-leerplicht", "2024-07-15", LP, AV, "2024-07-01", False, OPEN_15),
    # ... from 1 Aug (kwalificatieplicht) vrijgesteld, since its first day in effect: 1 Aug;
    # 15 Nov − 3 months = 15 Aug ≥ 1 Aug → over
    at_17("15-at-17-kwalificatieplicht", "2024-08-05", KP, VRIJ, "2024-08-01", False, OPEN_15),
    at_17("15-at-17-over-3-months", "2024-11-15", KP, VRIJ, "2024-08-01", True, OPEN_15),
    # a row from 1 Oct to 31 Dec 2024: before it, absoluut verzuim since 1 Jul (16 Sep − 3 months
    # = 16 Jun < 1 Jul: not over); inside it vrijgesteld since 1 Oct; after it the stretch starts
    # on Wed 1 Jan 2025 (holiday, vacation) → since Mon 6 Jan
    at_17("15-at-17-before-the-row", "2024-09-16", KP, AV, "2024-07-01", False, AUTUMN_15),
    at_17("15-at-17-inside-the-row", "2024-11-15", KP, VRIJ, "2024-10-01", False, AUTUMN_15),
    at_17("15-at-17-after-the-row", "2025-01-06", KP, AV, "2025-01-06", False, AUTUMN_15),
    # a startkwalificatie before the end of leerplicht: no kwalificatieplicht, 15 never counts
    at_17("15-no-kp", "2024-07-15", LP, AV, "2024-07-01", False, OPEN_15, skq="2024-06-01"),
    # -- art. 5 onder a without end date: lapses on 31 July unless permanent ---------------------
    out_from_april("5a-open-on-31-july", "2024-07-31", LP, VRIJ, "2024-04-01", True, OPEN_5A),
    # from 1 Aug out of school, but the summer vacation runs to 18 Aug: no status yet
    out_from_april("5a-lapsed-in-summer", "2024-08-01", LP, None, None, False, OPEN_5A),
    out_from_april("5a-lapsed-vacation-end", "2024-08-18", LP, None, None, False, OPEN_5A),
    out_from_april("5a-lapsed-school-day", "2024-08-19", LP, AV, "2024-08-19", False, OPEN_5A),
    out_from_april(
        "5a-permanent",
        "2024-08-19",
        *(LP, VRIJ, "2024-04-01", True, exemption("5a", "2024-04-01", permanent=True)),
    ),
    # an end date is kept, past 31 July too; permanent does not lengthen it
    out_from_april(
        "5a-end-date-after-july",
        "2024-08-19",
        *(LP, VRIJ, "2024-04-01", True, exemption("5a", "2024-04-01", "2024-09-30")),
    ),
    out_from_april(
        "5a-permanent-with-end-date",
        "2024-06-03",
        *(LP, AV, "2024-06-03", False),
        exemption("5a", "2024-04-01", "2024-05-31", permanent=True),
    ),
    # a row starting in the autumn lasts to 31 July of the next calendar year
    case(
        "5a-open-from-october-on-31-july",
        "2025-07-31",
        *(LP, VRIJ, "2024-10-01", True, LEFT_END_OF_SEPTEMBER, [exemption("5a", "2024-10-01")]),
    ),
    case(
        "5a-open-from-october-lapsed",
        "2025-08-18",
        *(LP, AV, "2025-08-18", False, LEFT_END_OF_SEPTEMBER, [exemption("5a", "2024-10-01")]),
    ),
    # 5a_trekkend (art. 5a) and 5b do not lapse
    out_from_april(
        "5a-trekkend",
        "2024-08-19",
        *(LP, VRIJ, "2024-04-01", True, exemption("5a_trekkend", "2024-04-01")),
    ),
    out_from_april(
        "5b-open", "2024-08-19", LP, VRIJ, "2024-04-01", True, exemption("5b", "2024-04-01")
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_status_v2(case):
    check_status(case)


# -- episodes -------------------------------------------------------------------------------------

EPISODE_CASES = [
    ("weekend-gap", "2024-12-01", BORN, WEEKEND, [], [], []),
    ("summer-gap", "2024-12-01", BORN, SUMMER, [], [], []),
    (
        "summer-into-school-days",
        "2024-12-01",
        BORN,
        SUMMER_LATE,
        [],
        [],
        [(AV, "2024-08-19", "2024-08-20", "2024-08-19", None)],
    ),
    # the stretch has begun on 6 Jul, but no school day yet on 10 Aug: no episode yet
    ("summer-left-in-vacation", "2024-08-10", BORN, LEFT_BEFORE_SUMMER, [], [], []),
    (
        "summer-left",
        "2024-12-01",
        BORN,
        LEFT_BEFORE_SUMMER,
        [],
        [],
        [(AV, "2024-08-19", None, "2024-08-19", "2024-11-19")],
    ),
    (
        "christmas-after-an-exemption",  # 5b to 31 Dec, school again from Mon 6 Jan: no episode
        "2025-03-01",
        BORN,
        [enrol(ZUID_VO, "2016-06-01", "2024-09-30"), enrol(ZUID_VO_2, "2025-01-06")],
        [],
        [exemption("5b", "2024-10-01", "2024-12-31")],
        [],
    ),
    (
        "5a-open-lapses",
        "2024-12-01",
        BORN,
        LEFT_END_OF_MARCH,
        [],
        [OPEN_5A],
        [(AV, "2024-08-19", None, "2024-08-19", "2024-11-19")],
    ),
    (
        "5a-permanent",
        "2024-12-01",
        BORN,
        LEFT_END_OF_MARCH,
        [],
        [exemption("5a", "2024-04-01", permanent=True)],
        [],
    ),
    (
        "5a-trekkend",
        "2024-12-01",
        BORN,
        LEFT_END_OF_MARCH,
        [],
        [exemption("5a_trekkend", "2024-04-01")],
        [],
    ),
    (
        "3a-does-not-break",
        "2024-12-01",
        BORN,
        LEFT_END_OF_JUNE,
        [],
        [exemption("3a", "2024-07-01", "2024-09-30")],
        [(AV, "2024-07-01", None, "2024-07-01", "2024-10-01")],
    ),
    (
        # the run goes on over the autumn vacation; its 20th school day is 27 Sep; back 2 Dec
        "3a-with-lrv-run",
        "2024-12-20",
        BORN,
        [enrol(ZUID_VO, "2016-06-01")],
        [unexcused("2024-09-02", "2024-11-29")],
        [exemption("3a", "2024-09-16")],
        [(LRV, "2024-09-02", "2024-11-29", "2024-09-27", None)],
    ),
    (
        "15-at-10",
        "2024-12-01",
        TEN,
        [enrol(ZUID_PO, "2019-04-01", "2024-06-30")],
        [],
        [exemption("15", "2024-07-01")],
        [(AV, "2024-07-01", None, "2024-07-01", "2024-10-01")],
    ),
    (
        # leerplicht to 31 Jul: July is an episode, from 1 Aug art. 15 exempts
        "15-at-17",
        "2024-12-01",
        SEVENTEEN,
        SEVENTEEN_LEFT,
        [],
        [exemption("15", "2024-07-01")],
        [(AV, "2024-07-01", "2024-07-31", "2024-07-01", None)],
    ),
]


@pytest.mark.parametrize("case", EPISODE_CASES, ids=lambda c: c[0])
def test_episodes_v2(case):
    _name, on, birth, enrolments, absences, exemptions, expected = case
    rec = record(student(birth), enrolments, absences, exemptions)
    assert both_episodes(rec, on) == [ep(*row) for row in expected]


# -- the reading of one exemption row on both engines --------------------------------------------

SPAN_CASES = [
    # (id, birth, article, start, end, permanent, expected first day, expected last day)
    ("5a-open-spring", BORN, "5a", "2024-04-01", None, False, "2024-04-01", "2024-07-31"),
    ("5a-open-31-july", BORN, "5a", "2024-07-31", None, False, "2024-07-31", "2024-07-31"),
    ("5a-open-1-august", BORN, "5a", "2024-08-01", None, False, "2024-08-01", "2025-07-31"),
    ("5a-open-permanent", BORN, "5a", "2024-04-01", None, True, "2024-04-01", None),
    ("5a-end", BORN, "5a", "2024-04-01", "2024-10-31", False, "2024-04-01", "2024-10-31"),
    ("5a-trekkend-open", BORN, "5a_trekkend", "2024-04-01", None, False, "2024-04-01", None),
    ("5b-open", BORN, "5b", "2024-04-01", None, False, "2024-04-01", None),
    ("5c-end", BORN, "5c", "2024-04-01", "2024-05-01", False, "2024-04-01", "2024-05-01"),
    ("3a", BORN, "3a", "2024-04-01", None, False, None, None),
    ("3b", BORN, "3b", "2024-04-01", "2024-05-01", False, None, None),
    ("15-at-13", BORN, "15", "2024-04-01", "2024-12-31", False, None, None),
    # open at 13: in effect from the first day of kwalificatieplicht to its last
    ("15-at-13-open", BORN, "15", "2024-04-01", None, False, "2027-08-01", "2029-05-04"),
    ("15-at-10-to-18", TEN, "15", "2024-04-01", "2032-12-31", False, "2030-08-01", "2032-03-09"),
    ("15-at-17-open", SEVENTEEN, "15", "2024-07-01", None, False, "2024-08-01", "2025-09-09"),
    (
        "15-inside-kp",
        SEVENTEEN,
        "15",
        "2024-10-01",
        "2024-12-31",
        False,
        "2024-10-01",
        "2024-12-31",
    ),
    ("15-ends-in-lp", SEVENTEEN, "15", "2024-01-01", "2024-07-31", False, None, None),
    ("15-after-18", SEVENTEEN, "15", "2025-09-10", None, False, None, None),
]


@pytest.mark.parametrize("case", SPAN_CASES, ids=lambda c: c[0])
def test_effective_span_on_both_engines(case):
    _name, birth, article, start, end, permanent, first, last = case
    row = exemption(article, start, end, permanent=permanent)
    rec = record(student(birth, region="zuid"), exemptions=[row])
    period = duty_period(rec.student, rec.enrolments, SCHOOLS, CALENDAR)
    expected = None if first is None else (d(first), d(last) if last else None)
    assert effective_span(row, period) == expected
    data = dataset([rec])
    frames = build_frames(data, CALENDAR.keys)
    duty = compute_duty(frames, calendar_arrays(frames, CALENDAR, d("2025-01-01")))
    bulk = effective_exemptions(frames, duty).rows()
    want = (
        []
        if expected is None
        else [(0, day_number(expected[0]), OPEN_END if last is None else day_number(d(last)))]
    )
    assert bulk == want, [(from_day_number(s), from_day_number(e)) for _sx, s, e in bulk]


# -- the summary: art. 15 rows on days under leerplicht --------------------------------------------


def test_summary_counts_art_15_rows_on_leerplicht_days():
    on = d("2024-11-15")
    records = [
        # at 10: covers leerplicht days → counted
        record(student(TEN, sid="A"), exemptions=[exemption("15", "2024-07-01")]),
        # at 17 from 1 Jul: July is leerplicht → counted
        record(student(SEVENTEEN, sid="B"), exemptions=[exemption("15", "2024-07-01")]),
        # at 17 from 1 Oct: kwalificatieplicht only → not counted
        record(student(SEVENTEEN, sid="C"), exemptions=[exemption("15", "2024-10-01")]),
        # at 10, starting after the reference date → not counted (yet)
        record(student(TEN, sid="D"), exemptions=[exemption("15", "2024-12-01")]),
        # other articles are not counted
        record(student(TEN, sid="E"), exemptions=[exemption("5a", "2024-07-01")]),
        # two rows of one child at 10 → both counted
        record(
            student(TEN, sid="F"),
            exemptions=[exemption("15", "2024-01-01", "2024-02-01"), exemption("15", "2024-09-01")],
        ),
    ]
    reference = 0
    for rec in records:
        period = duty_period(rec.student, rec.enrolments, SCHOOLS, CALENDAR)
        reference += sum(without_effect_on_leerplicht(x, period, on) for x in rec.exemptions)
    result = analyse(dataset(records), on, CALENDAR)
    assert reference == result.kwalificatieplicht_only_on_leerplicht == 4
    text = summarise(result, on).text()
    line = next(row for row in text.splitlines() if "art. 15 op leerplichtige dagen" in row)
    assert line.split()[5] == "4", line


# -- the random data sets hold the v2 cases ---------------------------------------------------------


def test_random_data_holds_the_v2_cases():
    """Guard against an engine comparison that passes because the v2 cases never occur."""
    data = [random_dataset(seed, 70, dt.date(2025, 7, 31)) for seed in range(6)]
    exemptions = pl.concat([x.exemptions for x in data])
    articles = set(exemptions["article"])
    assert {"3a", "3b", "15", "5a", "5a_trekkend"} <= articles
    open_5a = exemptions.filter(pl.col("article") == "5a", pl.col("end_date").is_null())
    assert open_5a["permanent"].fill_null(False).any()
    assert not open_5a["permanent"].fill_null(False).all()
    ages = []
    for x in data:
        rows = x.exemptions.filter(article="15").join(x.students, on="student_id")
        ages += [(s - b).days // 365 for s, b in rows.select("start_date", "birth_date").rows()]
    assert min(ages) <= 8, ages
    assert max(ages) >= 16, ages
    # school changes over a summer and over a weekend: an enrolment ends on the last school day
    # before a break and the next starts on the first school day after it
    breaks = {"summer": 0, "weekend": 0}
    for x in data:
        enrolments = x.enrolments.sort("student_id", "start_date").rows(named=True)
        for a, b in itertools.pairwise(enrolments):
            if a["student_id"] != b["student_id"] or a["end_date"] is None:
                continue
            gap = (b["start_date"] - a["end_date"]).days
            if a["end_date"].weekday() == 4 and gap == 3:
                breaks["weekend"] += 1
            elif gap > 30 and a["end_date"].month == 7 and b["start_date"].month in (8, 9):
                breaks["summer"] += 1
    assert min(breaks.values()) > 0, breaks
    # and in the summer such children have no category: under duty, not enrolled, no status
    on = dt.date(2025, 7, 31)
    quiet = 0
    for x in data:
        status = analyse(x, on, calendar_for(x)).status
        enrolled = x.enrolments.filter(
            (pl.col("start_date") <= on)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= on))
        )["student_id"]
        quiet += status.filter(
            (pl.col("duty") != NONE)
            & pl.col("category").is_null()
            & ~pl.col("student_id").is_in(enrolled.implode())
        ).height
    assert quiet > 0
