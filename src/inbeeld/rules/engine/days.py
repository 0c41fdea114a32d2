"""The school days with absence of every student, with what counts on them (RULES.md §3).

The bulk form of ``rules.absence.school_days``. Each row is a counted school day (enrolled, under
duty) with absence hours, and carries ``eff``: the number of the student's own school days up to
it. Two rows are consecutive school days of the student exactly when their ``eff`` differ by one,
whatever lies between (a vacation, a change of school, days without enrolment).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from inbeeld.rules import choices
from inbeeld.rules.absence import effective_enrolment
from inbeeld.rules.calendar import CalendarArrays, day_number, from_day_number
from inbeeld.rules.engine.duty import DutyArrays, birthdays, days_from, split_days
from inbeeld.rules.engine.frames import (
    FIVE_YEAR_OLD_LEAVE_CODE,
    LUXE_CODE,
    OPEN_END,
    SICK_CODE,
    UNEXCUSED_CODE,
    Frames,
)
from inbeeld.rules.model import Enrolment

#: the reasons whose hours can count as unexcused (RULES.md §3, §7 v2: luxe, and 11a beyond the
#: allowance or from the 6th birthday)
UNEXCUSED_LIKE_CODES = (UNEXCUSED_CODE, LUXE_CODE, FIVE_YEAR_OLD_LEAVE_CODE)

KEY_SHIFT = np.int64(1 << 22)


def day_key(sx: np.ndarray, day: np.ndarray, cal: CalendarArrays) -> np.ndarray:
    """A sortable key of (student, day)."""
    return sx.astype(np.int64) * KEY_SHIFT + (day.astype(np.int64) - cal.offset)


@dataclass
class Segments:
    """Per student the stretches of one effective enrolment (RULES.md §3: when enrolments overlap,
    the one that started last counts), sorted by student and start, with their ``eff`` base."""

    sx: np.ndarray
    start: np.ndarray
    end: np.ndarray  # clipped to the calendar
    kx: np.ndarray
    #: hours of a school day: the enrolment's own timetable, else the school's (RULES.md §7 v2)
    hours: np.ndarray
    region: np.ndarray
    base: np.ndarray  # eff of the last school day before ``start``
    ordinal_at_start: np.ndarray  # school days of the segment's region before ``start``
    key: np.ndarray

    def locate(
        self, sx: np.ndarray, day: np.ndarray, cal: CalendarArrays
    ) -> tuple[np.ndarray, np.ndarray]:
        """Index of the segment holding each (student, day), and whether one does."""
        j = np.searchsorted(self.key, day_key(sx, day, cal), side="right") - 1
        jc = np.clip(j, 0, max(self.sx.size - 1, 0))
        found = (j >= 0) & (self.sx.size > 0)
        if self.sx.size:
            found &= (self.sx[jc] == sx) & (day <= self.end[jc])
        return jc, found

    @property
    def first_ordinal(self) -> np.ndarray:
        """Per segment: its ``eff`` base minus the regional count before its start."""
        return self.base - self.ordinal_at_start

    def eff(self, j: np.ndarray, day: np.ndarray, cal: CalendarArrays) -> np.ndarray:
        return self.first_ordinal[j] + cal.ordinal_flat[cal.flat(self.region[j], day)]


def effective_segments(frames: Frames, cal: CalendarArrays) -> Segments:
    enrol = frames.enrolments_sorted
    sx = enrol["sx"].to_numpy()
    kx = enrol["kx"].to_numpy()
    s = enrol["s"].to_numpy()
    e = enrol["e"].to_numpy()
    line = enrol["line"].to_numpy()
    own_hours = enrol["hours"].to_numpy().astype(np.float64)
    hours = np.where(np.isnan(own_hours), frames.school_hours[kx], own_hours)
    n = sx.size
    same_next = np.zeros(n, dtype=bool)
    if n > 1:
        same_next[:-1] = sx[:-1] == sx[1:]
    next_start = np.full(n, OPEN_END + 1, dtype=np.int64)
    next_start[:-1] = s[1:]
    next_start = np.where(same_next, next_start, OPEN_END + 1)
    eff_end = np.minimum(e, next_start - 1)
    # a later-starting enrolment that ends before an earlier one: the earlier one resumes after
    # it. Rare; those students take the simple path below.
    next_end = np.full(n, OPEN_END, dtype=np.int64)
    next_end[:-1] = e[1:]
    nested = same_next & (next_end < e)
    nested_students = np.unique(sx[nested])
    simple = ~np.isin(sx, nested_students) & (eff_end >= s)
    seg_sx, seg_start, seg_end, seg_kx = sx[simple], s[simple], eff_end[simple], kx[simple]
    seg_hours = hours[simple]
    if nested_students.size:
        extra = _nested_segments(frames, nested_students, sx, kx, s, e, line, hours)
        seg_sx = np.concatenate([seg_sx, extra[0]])
        seg_start = np.concatenate([seg_start, extra[1]])
        seg_end = np.concatenate([seg_end, extra[2]])
        seg_kx = np.concatenate([seg_kx, extra[3]])
        seg_hours = np.concatenate([seg_hours, extra[4]])
        order = np.lexsort((seg_start, seg_sx))
        seg_sx, seg_start, seg_end, seg_kx, seg_hours = (
            seg_sx[order],
            seg_start[order],
            seg_end[order],
            seg_kx[order],
            seg_hours[order],
        )
    last_day = cal.offset + cal.size - 1
    seg_end = np.minimum(seg_end, last_day)
    region = frames.school_region[seg_kx]
    home = frames.home_region[seg_sx]
    # eff base: home-region school days before the start, corrected for every earlier segment
    # of the student by the difference between its own region's count and the home count.
    own_before = cal.ordinal_before(region, seg_start)
    home_before = cal.ordinal_before(home, seg_start)
    own = cal.ordinal_flat[cal.flat(region, seg_end)] - own_before
    as_home = cal.ordinal_flat[cal.flat(home, seg_end)] - home_before
    delta = own - as_home
    first = np.ones(seg_sx.size, dtype=bool)
    if seg_sx.size:
        first[1:] = seg_sx[1:] != seg_sx[:-1]
    cum = np.cumsum(delta)
    group_base = np.maximum.accumulate(np.where(first, np.arange(seg_sx.size), 0))
    before_group = np.where(group_base > 0, cum[np.maximum(group_base - 1, 0)], 0)
    earlier_delta = cum - delta - before_group
    base = home_before + earlier_delta
    return Segments(
        sx=seg_sx,
        start=seg_start,
        end=seg_end,
        kx=seg_kx,
        hours=seg_hours,
        region=region,
        base=base,
        ordinal_at_start=own_before,
        key=day_key(seg_sx, seg_start, cal),
    )


def _nested_segments(frames, students, sx, kx, s, e, line, hours):
    """Effective segments of students whose enrolments nest, the plain way (boundaries).

    Adjacent stretches merge only when both school and hours (the child's own timetable, RULES.md
    §7 v2) are the same: two enrolments at one school with different timetables stay apart."""
    out_sx: list[int] = []
    out_s: list[int] = []
    out_e: list[int] = []
    out_k: list[int] = []
    out_h: list[float | None] = []  # None: the school's hours (NaN in the array)
    brin_index = {b: i for i, b in enumerate(frames.school_brin)}
    lows = np.searchsorted(sx, students, side="left")
    highs = np.searchsorted(sx, students, side="right")
    for student, low, high in zip(students, lows, highs, strict=True):
        rows = range(low, high)
        enrolments = [
            Enrolment(
                str(frames.school_brin[kx[i]]),
                from_day_number(int(s[i])),
                None if e[i] >= OPEN_END else from_day_number(int(e[i])),
                int(line[i]),
                float(hours[i]),
            )
            for i in rows
        ]
        bounds = sorted(
            {int(s[i]) for i in rows} | {int(e[i]) + 1 for i in rows if e[i] < OPEN_END}
        )
        for a, b in zip(bounds, [*bounds[1:], OPEN_END + 1], strict=True):
            current = effective_enrolment(enrolments, from_day_number(a))
            if current is None:
                continue
            k = brin_index[current.brin]
            h = current.hours_per_day
            if (
                out_sx
                and out_sx[-1] == student
                and out_k[-1] == k
                and out_h[-1] == h
                and out_e[-1] == a - 1
            ):
                out_e[-1] = b - 1
            else:
                out_sx.append(student)
                out_s.append(a)
                out_e.append(b - 1)
                out_k.append(k)
                out_h.append(h)
    as_array = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    return (
        as_array(out_sx),
        as_array(out_s),
        as_array(out_e),
        as_array(out_k),
        np.array(out_h, dtype=np.float64),
    )


@dataclass
class DayTable:
    """Counted school days with absence, sorted by student and day."""

    sx: np.ndarray
    day: np.ndarray
    eff: np.ndarray
    region: np.ndarray
    kx: np.ndarray
    day_hours: np.ndarray
    unexcused: np.ndarray
    sick: np.ndarray
    key: np.ndarray


def _students_who_may_have_meldingen(
    frames: Frames,
    cal: CalendarArrays,
    segments: Segments,
    sx: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    reason: np.ndarray,
    hours: np.ndarray,
    j_row: np.ndarray,
    simple_row: np.ndarray,
) -> np.ndarray:
    """Rows of the students for whom some rule of §4 could possibly fire (a sound upper bound).

    Most pupils are sick a few times and miss an hour now and then; no rule can fire for them and
    their rows need not be expanded into days. A rule can only fire when the student's rows give
    at least: 16 unexcused hours (16_uur); 20 days of unexcused absence (lrv); a sick spell of 7
    school days (mazl_7_dagen) or 4 sick spells starting within 12 lesweken (mazl_4_in_12), see
    :func:`_sick_spells_may_fire`. A student with a row that leaves its enrolment or the duty
    period is always kept. RULES.md §7 (v2): ``luxe`` and ``11a`` rows are counted as if all
    their hours were unexcused, and a row without hours as the longest day of any enrolment (own
    timetable) or school. The luxe_verzuim meldingen do not pass through here (``luxe_row_days``
    reads every luxe row). Rows are sorted by student and start.
    """
    n = frames.students.height
    most_hours = max(
        float(frames.school_hours.max()) if frames.school_hours.size else 0.0,
        float(segments.hours.max()) if segments.hours.size else 0.0,
    )
    # the arrays below hold only the rows they are about (fewer large temporaries)
    u = np.flatnonzero(np.isin(reason, UNEXCUSED_LIKE_CODES))
    u_sx = sx[u]
    u_days = (end[u] - start[u] + 1).astype(np.float64)
    u_hours = np.where(hours[u] > 0, hours[u], most_hours) * u_days
    may = (
        np.round(np.bincount(u_sx, weights=u_hours, minlength=n), choices.HOURS_DECIMALS)
        >= choices.HOURS_16_THRESHOLD
    ) | (np.bincount(u_sx, weights=u_days, minlength=n) >= choices.LRV_RUN_SCHOOL_DAYS)
    may[sx[~simple_row]] = True
    sick = np.flatnonzero((reason == SICK_CODE) & simple_row)
    may[_sick_spells_may_fire(cal, segments, sx[sick], start[sick], end[sick], j_row[sick])] = True
    return may[sx]


def _sick_spells_may_fire(
    cal: CalendarArrays,
    segments: Segments,
    sx: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    j: np.ndarray,
) -> np.ndarray:
    """Students whose sick rows (each inside one enrolment segment and the duty period, sorted by
    student and start) could give a MAZL melding (RULES.md §4; Leerplichtwet 1969 art. 21a with
    the MAZL agreements).

    A row covers the student's own school days ``eff_first..eff_last`` (``eff`` as in the module
    docstring), so rows whose school days touch or overlap form one sick spell: a chain of rows
    holds at least as many school days as its spell (``mazl_7_dagen``: a chain of 7 or more). A
    spell starts on a day of its first row, and the 12-lesweken window start never decreases with
    the day, in any calendar; so four spells can start within 12 lesweken only when some chain's
    first row ends on or after the earliest window start (over all calendars) of the day the
    third chain after it starts (``mazl_4_in_12``)."""
    if sx.size == 0:
        return np.empty(0, dtype=np.int64)
    region = segments.region[j]
    base = segments.first_ordinal[j]
    eff_first = base + cal.ordinal_before(region, start) + 1
    eff_last = base + cal.ordinal_flat[cal.flat(region, end)]
    counted = np.flatnonzero(eff_last >= eff_first)
    sx, start, end = sx[counted], start[counted], end[counted]
    eff_first, eff_last = eff_first[counted], eff_last[counted]
    if sx.size == 0:
        return np.empty(0, dtype=np.int64)
    # chains: a row starts a new one unless its first school day touches the school days of the
    # student's earlier rows (eff never decreases over a student's days, so a running maximum
    # within the student finds them)
    shift = np.int64(1 << 32)
    reach = np.maximum.accumulate(sx.astype(np.int64) * shift + eff_last)
    new_chain = np.ones(sx.size, dtype=bool)
    new_chain[1:] = (sx[1:] != sx[:-1]) | (
        sx[1:].astype(np.int64) * shift + eff_first[1:] > reach[:-1] + 1
    )
    heads = np.flatnonzero(new_chain)
    chain_days = np.add.reduceat(eff_last - eff_first + 1, heads)
    long_spell = sx[heads[chain_days >= choices.MAZL_SPELL_DAY]]
    later = choices.MAZL_SPELLS - 1
    if heads.size <= later:
        return long_spell
    earliest_window = cal.window_start(choices.MAZL_WINDOW_LESWEKEN).min(axis=0)
    first, fourth = heads[:-later], heads[later:]
    close = (sx[first] == sx[fourth]) & (end[first] >= earliest_window[start[fourth] - cal.offset])
    return np.concatenate([long_spell, sx[first[close]]])


def _expand_rows(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row index, day) for every day of every row (rows with ``start <= end``)."""
    lengths = end - start + 1
    total = int(lengths.sum())
    row = np.repeat(np.arange(start.size), lengths)
    day = np.arange(total, dtype=np.int64) + np.repeat(
        start - (np.cumsum(lengths) - lengths), lengths
    )
    return row, day


def build_day_table(
    frames: Frames,
    cal: CalendarArrays,
    duty: DutyArrays,
    segments: Segments,
    on: dt.date,
    *,
    every_student: bool = False,
) -> DayTable:
    """Expand absence rows into counted school days up to ``on`` with hours per reason (§3).

    RULES.md §7 (v2): a day has the hours of its segment (the child's own timetable, else the
    school's); luxe hours and the 11a hours beyond the allowance count as unexcused
    (``_unexcused_hours``). Only the students for whom a melding rule could fire are expanded,
    unless ``every_student`` (the care signals' replay: their thresholds are lower)."""
    if segments.sx.size == 0:  # nobody is enrolled: no day counts
        return _empty_day_table()
    absences = frames.absences
    on_day = day_number(on)
    sx = absences["sx"].to_numpy()
    start = absences["s"].to_numpy()
    end = np.minimum(absences["e"].to_numpy(), on_day)
    reason = absences["reason"].to_numpy()
    hours = absences["hours"].fill_null(0.0).to_numpy()
    keep = (start <= end) & ((reason == SICK_CODE) | np.isin(reason, UNEXCUSED_LIKE_CODES))
    sx, start, end, reason, hours = sx[keep], start[keep], end[keep], reason[keep], hours[keep]
    # the segment holding each row's first day; rows that leave it (rare) are located per day
    j_row, found_row = segments.locate(sx, start, cal)
    simple_row = (
        found_row
        & (end <= segments.end[j_row])
        & (start >= duty.leerplicht_start[sx])
        & (end <= duty.last_day[sx])
    )
    if every_student:
        keep = np.ones(sx.size, dtype=bool)
    else:
        keep = _students_who_may_have_meldingen(
            frames, cal, segments, sx, start, end, reason, hours, j_row, simple_row
        )
    sx, start, end, reason, hours = sx[keep], start[keep], end[keep], reason[keep], hours[keep]
    j_row, simple_row = j_row[keep], simple_row[keep]
    row, day = _expand_rows(start, end)
    # cheap first cut: a weekday that is no public holiday (a school day in some region)
    maybe = cal.any_school[day - cal.offset]
    row, day = row[maybe], day[maybe]
    dsx = sx[row]
    j = j_row[row]
    found = simple_row[row]
    hard = np.flatnonzero(~found)
    if hard.size:
        j_hard, found_hard = segments.locate(dsx[hard], day[hard], cal)
        j[hard], found[hard] = j_hard, found_hard
    found &= cal.school.ravel()[cal.flat(segments.region[j], day)]
    found &= duty.under_duty(dsx, day)
    row, day, j, dsx = row[found], day[found], j[found], dsx[found]
    kx = segments.kx[j]
    full_day = segments.hours[j]
    amount = np.where(hours[row] > 0, hours[row], full_day)
    rcode = reason[row]
    key = day_key(dsx, day, cal)
    if key.size == 0:
        return _empty_day_table()
    if key.size > 1 and not bool(np.all(key[1:] >= key[:-1])):  # overlapping rows of a student
        order = np.argsort(key, kind="stable")
        key, amount, rcode = key[order], amount[order], rcode[order]
    else:
        order = None
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))

    def per_day(code: int) -> np.ndarray:
        return np.add.reduceat(np.where(rcode == code, amount, 0.0), starts)

    first = order[starts] if order is not None else starts  # one row per day, in key order
    day_hours = full_day[first]
    uj = j[first]
    uday = day[first]
    usx = dsx[first]
    unexcused = _unexcused_hours(
        frames,
        usx,
        uday,
        day_hours,
        per_day(UNEXCUSED_CODE),
        per_day(LUXE_CODE),
        per_day(FIVE_YEAR_OLD_LEAVE_CODE),
    )
    return DayTable(
        sx=usx,
        day=uday,
        eff=segments.eff(uj, uday, cal),
        region=segments.region[uj],
        kx=kx[first],
        day_hours=day_hours,
        unexcused=unexcused,
        sick=np.minimum(per_day(SICK_CODE), day_hours),
        key=key[starts],
    )


def _unexcused_hours(
    frames: Frames,
    sx: np.ndarray,
    day: np.ndarray,
    day_hours: np.ndarray,
    unexcused: np.ndarray,
    luxe: np.ndarray,
    leave_11a: np.ndarray,
) -> np.ndarray:
    """The unexcused hours of counted days (sorted by student and day), RULES.md §7 (v2), as
    ``absence.school_days``: min(day hours, ongeoorloofd + luxe + unexcused 11a).

    LPW art. 11a: the 11a hours of a day are capped at the day's hours; for a student younger
    than 6 the first 10 of a Monday-to-Sunday week (in date order) are excused
    (``choices.FIVE_YEAR_OLD_LEAVE_HOURS_PER_LESWEEK`` **(choice)**), the rest and all 11a hours
    from the 6th birthday on are unexcused (``choices.READINGS`` "11a hours on a day").
    """
    leave = np.minimum(leave_11a, day_hours)
    unexcused_11a = leave.copy()
    rows = np.flatnonzero(leave > 0)
    if rows.size:
        rsx, rday, rleave = sx[rows], day[rows], leave[rows]
        birth = frames.students["birth_date"].cast(pl.Int64).to_numpy()[rsx]
        year, month0, day_of_month = split_days(birth)
        sixth = days_from(
            *birthdays(year, month0, day_of_month, choices.FIVE_YEAR_OLD_LEAVE_BELOW_AGE)
        )
        monday = rday - (rday + 3) % 7  # day 0 (1 January 1970) was a Thursday
        new_week = np.ones(rows.size, dtype=bool)
        new_week[1:] = (rsx[1:] != rsx[:-1]) | (monday[1:] != monday[:-1])
        group_start = np.maximum.accumulate(np.where(new_week, np.arange(rows.size), 0))
        running = np.cumsum(rleave)
        used = (running - rleave) - (running[group_start] - rleave[group_start])
        left = np.maximum(
            0.0,
            np.round(choices.FIVE_YEAR_OLD_LEAVE_HOURS_PER_LESWEEK - used, choices.HOURS_DECIMALS),
        )
        excused = np.where(rday < sixth, np.minimum(rleave, left), 0.0)
        unexcused_11a[rows] = rleave - excused
    return np.minimum(unexcused + luxe + unexcused_11a, day_hours)


def luxe_row_days(
    frames: Frames, cal: CalendarArrays, duty: DutyArrays, segments: Segments, on: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per luxe absence row that covers a counted school day up to ``on``: (sx, its first and its
    last such day, the school kx on the last). RULES.md §7 (v2), LPW art. 11 onder f / 13a.

    Every luxe row is read (no prefilter): a luxe melding is due whatever the hours."""
    empty = np.empty(0, dtype=np.int64)
    luxe = frames.absences.filter(pl.col("reason") == LUXE_CODE)
    if luxe.height == 0 or segments.sx.size == 0:
        return empty, empty, empty, empty
    sx = luxe["sx"].to_numpy()
    start = luxe["s"].to_numpy()
    end = np.minimum(luxe["e"].to_numpy(), day_number(on))
    keep = start <= end
    sx, start, end = sx[keep], start[keep], end[keep]
    row, day = _expand_rows(start, end)
    maybe = cal.any_school[day - cal.offset]
    row, day = row[maybe], day[maybe]
    dsx = sx[row]
    j, found = segments.locate(dsx, day, cal)
    found &= cal.school.ravel()[cal.flat(segments.region[j], day)]
    found &= duty.under_duty(dsx, day)
    row, day, j = row[found], day[found], j[found]
    if row.size == 0:
        return empty, empty, empty, empty
    # rows ascend, and days ascend within a row
    first = np.flatnonzero(np.concatenate([[True], row[1:] != row[:-1]]))
    last = np.append(first[1:] - 1, row.size - 1)
    return sx[row[first]], day[first], day[last], segments.kx[j[last]]


def _empty_day_table() -> DayTable:
    ints = np.empty(0, dtype=np.int64)
    floats = np.empty(0, dtype=np.float64)
    return DayTable(ints, ints, ints, ints, ints, floats, floats, floats, ints)
