"""Absence rules of one child, one school day at a time (RULES.md §3, §4 and §7 v2).

This is the deliberately simple implementation: it walks a child's school days in order and keeps
the state a person with a paper register would keep. The bulk engine (``rules.engine``) computes the
same meldingen for everyone at once; tests require both to agree row for row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from inbeeld.rules import choices
from inbeeld.rules.calendar import ONE_DAY, SchoolCalendar, school_year_start
from inbeeld.rules.duty import NONE, DutyPeriod, birthday
from inbeeld.rules.model import (
    EXCUSED,
    FIVE_YEAR_OLD_LEAVE,
    LUXE,
    SICK,
    UNEXCUSED,
    Absence,
    Enrolment,
    School,
)

RULE_16_UUR = "16_uur"
RULE_LRV = "lrv"
RULE_MAZL_7_DAGEN = "mazl_7_dagen"
RULE_MAZL_4_IN_12 = "mazl_4_in_12"
#: RULES.md §7 (v2): each absence row with reason ``luxe`` covering a school day (LPW art. 11 f, 13a).
RULE_LUXE_VERZUIM = "luxe_verzuim"
RULES = (RULE_16_UUR, RULE_LRV, RULE_MAZL_7_DAGEN, RULE_MAZL_4_IN_12, RULE_LUXE_VERZUIM)
#: issue 12 §2: long sickness (``choices.LONG_SICKNESS_SCHOOL_DAYS`` school days of one sick
#: spell), reported to the samenwerkingsverband. A report, not a verzuimmelding of RULES.md §4:
#: not in ``RULES`` (nor in meldingen.csv); the bulk engine gives it apart (``Analysis.reports``)
REPORT_LANGDURIG_ZIEK = "langdurig_ziek"


@dataclass(frozen=True, slots=True)
class Melding:
    """A report due under RULES.md §4 (one row of meldingen.csv)."""

    student_id: str
    rule: str
    start_date: dt.date
    end_date: dt.date
    hours: float | None
    brin: str | None
    #: the counted days behind a 16_uur melding: (day, unexcused hours); for the explanation.
    days: tuple[tuple[dt.date, float], ...] = field(default=(), compare=False)


def effective_enrolment(enrolments: Sequence[Enrolment], day: dt.date) -> Enrolment | None:
    """The enrolment that counts on ``day``: of those covering it, the one that started last.

    RULES.md §3; on equal start dates the later line wins (``choices.READINGS``).
    """
    best: Enrolment | None = None
    for enrolment in enrolments:
        if enrolment.covers(day) and (
            best is None or (enrolment.start, enrolment.line) > (best.start, best.line)
        ):
            best = enrolment
    return best


def day_hours(enrolment: Enrolment, school: School) -> float:
    """The hours of a school day under ``enrolment``: RULES.md §3, §7 (v2) "the child's own
    timetable": the enrolment's ``hours_per_day`` when given (a part-time timetable), else the
    school's (LPW art. 21a: the whole-day test of langdurig relatief verzuim uses these hours)."""
    return enrolment.hours_per_day if enrolment.hours_per_day is not None else school.hours_per_day


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the Monday-to-Sunday week holding ``day``."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class SchoolDayFacts:
    """One school day of one child: what counts on it (RULES.md §3, §7 v2)."""

    day: dt.date
    #: enrolled and under duty: only such days count; any other school day breaks every run.
    counted: bool
    brin: str | None
    region: str
    #: the hours of this school day: the enrolment's own timetable, else the school's (§7 v2)
    day_hours: float
    #: ongeoorloofd + luxe + the unexcused 11a hours, capped at ``day_hours`` (§7 v2)
    unexcused: float
    sick: float
    #: geoorloofd + the excused 11a hours, capped at ``day_hours``
    excused: float
    #: the luxe hours of the day (capped), already inside ``unexcused``
    luxe: float = 0.0
    #: the 11a hours of the day that count as unexcused, already inside ``unexcused``
    unexcused_11a: float = 0.0

    @property
    def whole_day_unexcused(self) -> bool:
        """Unexcused hours reach the day's hours: the child's own timetable when the enrolment
        gives one, else the school's (RULES.md §3, §7 v2; LPW art. 21a)."""
        return self.counted and self.day_hours > 0 and self.unexcused >= self.day_hours


def excused_11a_hours(
    hours_11a: float, used_this_week: float, day: dt.date, birth_date: dt.date | None
) -> float:
    """Of a day's ``hours_11a`` (capped at the day's hours), the part that is excused.

    RULES.md §7 (v2), LPW art. 11a: excused only while the student is younger than 6 on ``day``,
    and only up to 10 hours per lesweek summed over 11a rows (``choices.
    FIVE_YEAR_OLD_LEAVE_HOURS_PER_LESWEEK`` **(choice)**), the first hours in date order;
    ``used_this_week`` is the 11a hours of the week's earlier counted school days. Without a birth
    date nothing is excused.
    """
    if birth_date is None or birthday(birth_date, choices.FIVE_YEAR_OLD_LEAVE_BELOW_AGE) <= day:
        return 0.0
    left = round(
        choices.FIVE_YEAR_OLD_LEAVE_HOURS_PER_LESWEEK - used_this_week, choices.HOURS_DECIMALS
    )
    return min(hours_11a, max(0.0, left))


def school_days(
    *,
    enrolments: Sequence[Enrolment],
    absences: Sequence[Absence],
    schools: dict[str, School],
    calendar: SchoolCalendar,
    duty: DutyPeriod,
    region: str,
    first: dt.date,
    last: dt.date,
    birth_date: dt.date | None = None,
) -> list[SchoolDayFacts]:
    """The child's school days from ``first`` to ``last`` with their hours (RULES.md §3, §7 v2).

    The region of the school of enrolment decides what a school day is; the home region on days
    without enrolment. A day has the hours of the child's own timetable (the enrolment's
    ``hours_per_day``) when given, else the school's; an absence row without hours takes the whole
    day. Hours of one reason add up per day and are capped at the day's hours. ``luxe`` counts as
    unexcused (LPW art. 11 onder f / 13a); ``11a`` is excused up to 10 hours a lesweek for a child
    younger than 6 (``birth_date``; LPW art. 11a), the rest unexcused (``choices.READINGS``
    "11a hours on a day"). The week's allowance is counted from its Monday, also when ``first``
    falls later in the week.
    """
    facts = []
    used_11a = 0.0
    week: dt.date | None = None
    day = monday_of(first)
    while day <= last:
        enrolment = effective_enrolment(enrolments, day)
        school = schools[enrolment.brin] if enrolment else None
        day_region = school.region if school else region
        if calendar.is_school_day(day_region, day):
            counted = school is not None and duty.on(day) != NONE
            hours = {UNEXCUSED: 0.0, SICK: 0.0, EXCUSED: 0.0, LUXE: 0.0, FIVE_YEAR_OLD_LEAVE: 0.0}
            hours_of_day = day_hours(enrolment, school) if enrolment and school else 0.0
            if counted:
                for absence in absences:
                    if absence.start <= day <= absence.end:
                        amount = absence.hours_per_day if absence.hours_per_day else hours_of_day
                        reason = absence.reason if absence.reason in hours else EXCUSED
                        hours[reason] += amount
            capped = {reason: min(value, hours_of_day) for reason, value in hours.items()}
            if monday_of(day) != week:
                week, used_11a = monday_of(day), 0.0
            excused_11a = excused_11a_hours(capped[FIVE_YEAR_OLD_LEAVE], used_11a, day, birth_date)
            used_11a += capped[FIVE_YEAR_OLD_LEAVE]
            unexcused_11a = capped[FIVE_YEAR_OLD_LEAVE] - excused_11a
            if day >= first:
                facts.append(
                    SchoolDayFacts(
                        day=day,
                        counted=counted,
                        brin=enrolment.brin if enrolment else None,
                        region=day_region,
                        day_hours=hours_of_day,
                        unexcused=min(hours_of_day, hours[UNEXCUSED] + hours[LUXE] + unexcused_11a),
                        sick=capped[SICK],
                        excused=min(hours_of_day, hours[EXCUSED] + excused_11a),
                        luxe=capped[LUXE],
                        unexcused_11a=unexcused_11a,
                    )
                )
        day += ONE_DAY
    return facts


def luxe_meldingen(
    student_id: str, absences: Sequence[Absence], days: Sequence[SchoolDayFacts], on: dt.date
) -> list[Melding]:
    """``luxe_verzuim``: RULES.md §7 (v2), LPW art. 11 onder f / 13a (DUO: luxe verzuim is
    reported whatever its hours).

    Every absence row with reason ``luxe`` that covers a counted school day (enrolled, under duty)
    on or before ``on`` gives a melding at once: from its first to its last such day (the end
    clipped to ``on``), hours empty, brin the school of enrolment on the end date. ``days`` must
    hold the child's school days over the rows (up to ``on``). Rows with the same first and last
    day give one melding (``choices.READINGS`` "luxe verzuim meldingen").
    """
    counted = [facts for facts in days if facts.counted and facts.day <= on]
    out: list[Melding] = []
    seen: set[tuple[dt.date, dt.date]] = set()
    for absence in absences:
        if absence.reason != LUXE:
            continue
        covered = [f for f in counted if absence.start <= f.day <= absence.end]
        if not covered:
            continue
        period = (covered[0].day, covered[-1].day)
        if period in seen:
            continue
        seen.add(period)
        out.append(
            Melding(student_id, RULE_LUXE_VERZUIM, *period, hours=None, brin=covered[-1].brin)
        )
    return out


def melding_order(melding: Melding) -> tuple[dt.date, str, dt.date]:
    """The order of one child's meldingen in meldingen.csv: end_date, rule name, start_date
    (``choices.READINGS`` "luxe verzuim meldingen"; the bulk engine sorts the same way)."""
    return (melding.end_date, melding.rule, melding.start_date)


@dataclass
class LrvState:
    """Where an LRV run stands after the last school day looked at (for the status, §5)."""

    run_start: dt.date | None = None
    run_length: int = 0


def meldingen_for(
    student_id: str,
    days: Sequence[SchoolDayFacts],
    calendar: SchoolCalendar,
    lrv_state: LrvState | None = None,
) -> list[Melding]:
    """All meldingen of RULES.md §4 over ``days`` (a child's school days in order).

    Unexcused hours are those of ``SchoolDayFacts.unexcused``: ongeoorloofd, luxe (LPW art. 11
    onder f / 13a) and the 11a hours beyond the allowance (LPW art. 11a), RULES.md §7 (v2).

    * ``16_uur`` (LPW art. 21/21a; DUO "16 uur in 4 weken"): on a counted school day D with
      unexcused hours, the unexcused hours from the Monday of the 4th lesweek back (D's week is the
      1st, lesweken of D's school's region) up to D, not before the counting start, reach 16.
      Counting starts on 1 August and again the day after each melding's end; a next melding ends at
      least 7 calendar days after the previous; from the 20th day of an LRV run until it ends none
      is made, and counting restarts the day after it ends.
    * ``lrv`` (LRV; Besluit verzuimmelding, bijlage): 20 consecutive school days of whole-day
      unexcused absence **(choice: 20 school days)**; the melding ends on the 20th day. RULES.md
      §7 (v2): a whole day is the child's own timetable when the enrolment gives one.
    * ``mazl_7_dagen`` (MAZL, NCJ): the 7th consecutive school day of a sick spell.
    * ``mazl_4_in_12`` (MAZL, NCJ): the 4th sick spell starting within 12 lesweken; spells up to
      the previous such melding's end are not counted again.
    """
    state = lrv_state if lrv_state is not None else LrvState()
    out: list[Melding] = []
    counted_hours: list[tuple[dt.date, float]] = []  # counted days with unexcused hours
    last_16_end: dt.date | None = None
    restart_after_lrv: dt.date | None = None
    spell_length = 0
    spell_starts: list[dt.date] = []
    last_mazl4_end: dt.date | None = None
    previous_day: dt.date | None = None

    for facts in days:
        day = facts.day
        # -- lrv: runs of whole-day unexcused school days -------------------------------------
        if facts.whole_day_unexcused:
            if state.run_length == 0:
                state.run_start = day
            state.run_length += 1
            if state.run_length == choices.LRV_RUN_SCHOOL_DAYS:
                assert state.run_start is not None
                out.append(Melding(student_id, RULE_LRV, state.run_start, day, None, facts.brin))
        else:
            if state.run_length >= choices.LRV_RUN_SCHOOL_DAYS and previous_day is not None:
                restart_after_lrv = previous_day + ONE_DAY
            state.run_length = 0
            state.run_start = None

        # -- 16_uur ---------------------------------------------------------------------------
        if facts.counted and facts.unexcused > 0:
            counted_hours.append((day, facts.unexcused))
            suppressed = state.run_length >= choices.LRV_RUN_SCHOOL_DAYS
            if not suppressed:
                counting_start = school_year_start(day)
                if last_16_end is not None:
                    counting_start = max(counting_start, last_16_end + ONE_DAY)
                if restart_after_lrv is not None:
                    counting_start = max(counting_start, restart_after_lrv)
                window_start = max(
                    counting_start,
                    calendar.lesweek_window_start(
                        facts.region, day, choices.HOURS_16_WINDOW_LESWEKEN
                    ),
                )
                window = [(d, h) for d, h in counted_hours if window_start <= d <= day]
                # rounded, so that 5.1 + 5.3 + 5.6 is 16 (choices.READINGS)
                total = round(sum(h for _, h in window), choices.HOURS_DECIMALS)
                spaced = (
                    last_16_end is None
                    or (day - last_16_end).days >= choices.HOURS_16_MIN_SPACING_DAYS
                )
                if total >= choices.HOURS_16_THRESHOLD and spaced:
                    out.append(
                        Melding(
                            student_id,
                            RULE_16_UUR,
                            window[0][0],
                            day,
                            total,
                            facts.brin,
                            days=tuple(window),
                        )
                    )
                    last_16_end = day

        # -- MAZL: sick spells ----------------------------------------------------------------
        if facts.counted and facts.sick > 0:
            spell_length += 1
            if spell_length == 1:
                spell_starts.append(day)
                window_start = calendar.lesweek_window_start(
                    facts.region, day, choices.MAZL_WINDOW_LESWEKEN
                )
                if choices.MAZL_4_IN_12_RESTARTS_ON_1_AUGUST:
                    window_start = max(window_start, school_year_start(day))
                if last_mazl4_end is not None:
                    window_start = max(window_start, last_mazl4_end + ONE_DAY)
                counted = [s for s in spell_starts if window_start <= s <= day]
                if len(counted) >= choices.MAZL_SPELLS:
                    out.append(
                        Melding(student_id, RULE_MAZL_4_IN_12, counted[0], day, None, facts.brin)
                    )
                    last_mazl4_end = day
            if spell_length == choices.MAZL_SPELL_DAY:
                out.append(
                    Melding(student_id, RULE_MAZL_7_DAGEN, spell_starts[-1], day, None, facts.brin)
                )
        else:
            spell_length = 0
        previous_day = day
    return out
