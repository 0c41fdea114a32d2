"""Every interpretation the project makes where the law leaves room, in one place.

RULES.md marks these as **(choice)**. A municipality that disagrees can read them here, challenge
them, and see in ``docs/rules.md`` which rule uses which. Changing one changes both the bulk engine
and the simple reference implementation, because both read it from here.
"""

from __future__ import annotations

#: RULES.md §4 `16_uur` (LPW art. 21/21a, DUO "16 uur in 4 weken"): a melding is due when the
#: unexcused hours in the window reach this number (≥).
HOURS_16_THRESHOLD = 16.0

#: RULES.md §4 `16_uur`: hour sums are rounded to this many decimals before they are compared.
HOURS_DECIMALS = 6

#: RULES.md §4 `16_uur`: the window counts this many lesweken back from the day (its own week first).
HOURS_16_WINDOW_LESWEKEN = 4

#: RULES.md §4 `16_uur`: a next melding cannot end less than this many calendar days after the
#: previous one (DUO: at most one melding per 7 days of continuous absence).
HOURS_16_MIN_SPACING_DAYS = 7

#: RULES.md §4 `lrv` **(choice)**: "minstens vier weken achtereen" is read as 20 consecutive school
#: days of whole-day unexcused absence. From the same day on, 16_uur meldingen are suppressed.
LRV_RUN_SCHOOL_DAYS = 20

#: RULES.md §4 `mazl_7_dagen`: the day of a sick spell that produces the MAZL melding.
MAZL_SPELL_DAY = 7

#: RULES.md §4 `mazl_4_in_12`: the number of sick spells that makes a melding.
MAZL_SPELLS = 4
#: RULES.md §4 `mazl_4_in_12`: the window in lesweken, counted back as for 16_uur.
MAZL_WINDOW_LESWEKEN = 12

#: RULES.md §4 `mazl_4_in_12` **(choice)**: "same counting as 16_uur" is read as the lesweek
#: counting of the window. The 1 August restart of 16_uur is *not* applied: a child sick four times in
#: twelve lesweken across the summer holiday is still often sick. Spells up to and including the
#: previous mazl_4_in_12 melding's end date are not counted again (RULES.md says so explicitly).
MAZL_4_IN_12_RESTARTS_ON_1_AUGUST = False

#: issue 12 §2 **(choice)**: long sickness, reported to the samenwerkingsverband of the child's
#: school (the pacts ask that long sickness reaches the samenwerkingsverband; no law sets a term):
#: a sick spell (RULES.md §4: consecutive school days with sick hours) of four weeks or more, read
#: as this many school days (four lesweken, as ``LRV_RUN_SCHOOL_DAYS`` reads "vier weken"). Its
#: report ends on this day of the spell; one report per spell.
LONG_SICKNESS_SCHOOL_DAYS = 20

#: RULES.md §7 (v2) **(choice)**, LPW art. 11a: a five-year-old may be kept home up to this many
#: hours per lesweek (Monday to Sunday), summed over ``11a`` rows: 5 on the parents' notice plus 5
#: with the head's consent, taken as given when the school records them. Hours beyond it, in date
#: order within the week, count as unexcused.
FIVE_YEAR_OLD_LEAVE_HOURS_PER_LESWEEK = 10.0
#: RULES.md §7 (v2), LPW art. 11a: ``11a`` is excused only for a student younger than this age on
#: the day (``duty.birthday(birth, 6) <= day``: from the 6th birthday on, all 11a hours count as
#: unexcused).
FIVE_YEAR_OLD_LEAVE_BELOW_AGE = 6

#: RULES.md §2 **(choice)**: a 29 February birthday falls on 1 March in common years.
LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR = (3, 1)

#: RULES.md §2 (LPW art. 3 lid 1 onder a): leerplicht ends after this many full school years.
FULL_SCHOOL_YEARS_FOR_END = 12

#: RULES.md §7 **(choice)** (LPW art. 3 lid 1 onder a): a school year that no shipped or imported
#: calendar covers for the home region (``calendar.covered_school_years``) is full when the student
#: was enrolled on every weekday (Monday to Friday, public holidays included) from the first to the
#: last of these (month, day) pairs: 1 September to 30 June, inside every region's summer vacation.
UNCOVERED_YEAR_WEEKDAY_WINDOW = ((9, 1), (6, 30))

#: RULES.md §7 **(choice)**: where the statutory summer vacations of 2011-2013 differed for primary
#: (BO/SO) and secondary (VO/VSO) schools, rules/data/school_vacations.csv holds the primary dates.
SUMMER_2011_2013_SCHOOL_TYPE = "BO/SO"


#: RULES.md §2 (LPW art. 3 lid 1 onder b): leerplicht ends on 31 July of the school year of this
#: birthday.
LEERPLICHT_END_AGE = 16
#: RULES.md §2 (LPW art. 4b): kwalificatieplicht ends the day before this birthday.
KWALIFICATIEPLICHT_END_AGE = 18
#: RULES.md §2 (art. 3 lid 1): leerplicht starts the month after this birthday.
LEERPLICHT_START_AGE = 5

#: RULES.md §5/§7: "over three months" when `since` ≤ the day minus this many calendar months
#: (end-of-month clipped; the day itself counts). One test, `periods.over_three_months`, for the
#: status, the escalation proposals and the monitor (the Thuiszitterspact's norm; no LPW article).
THUISZITTER_LONG_MONTHS = 3


#: RULES.md §3: school day hours per sector when schools.csv leaves `hours_per_day` empty.
DEFAULT_HOURS_PER_DAY = {"po": 5.0, "so": 5.0, "vo": 6.0, "vso": 6.0, "mbo": 6.0}

#: RULES.md §1 **(choice)**: Goede Vrijdag is not a public holiday for schools; Bevrijdingsdag only
#: in years divisible by this number.
LIBERATION_DAY_EVERY_N_YEARS = 5

#: Readings of RULES.md that are not numbers: each is how both implementations behave, written
#: here so that all interpretations stand in one place (and in docs/rules.md).
READINGS: dict[str, str] = {
    "school years a calendar covers": (
        "RULES.md §7 (v2, reading): a school year (1 August to 31 July) is covered for a region when "
        "the region's school-free periods, shipped or imported, hold both its 1 August and its "
        "31 July, i.e. the calendar has the summer vacation it opens with and the one it ends "
        "with. The shipped calendar covers 2011/12 to 2027/28 in every region. In a covered year "
        "a full school year (LPW art. 3 lid 1 onder a) means enrolled on every school day of the "
        "home region; in any other year (and for a student without home region) enrolled on every "
        "weekday from 1 September to 30 June (choice). An imported calendar.csv that lists one "
        "school year's vacations without both summers leaves that year to the weekday rule."
    ),
    "summer vacations of 2011-2013": (
        "RULES.md §7 (choice): the Regelingen spreiding zomervakantie 2011-2013 gave primary (BO/SO) "
        "and secondary (VO/VSO) schools different summer vacations; the shipped calendar holds the "
        "primary dates (one calendar per region). From 2014 the dates are the same for both."
    ),
    "leerplicht start in a month without school days": (
        "RULES.md §2 (choice): leerplicht starts on the first school day on or after the 1st of the "
        "month after the 5th birthday; when that month starts with a vacation, the first school day "
        "after it, whatever month that falls in."
    ),
    "open enrolments and the 12 full school years": (
        "RULES.md §2 (choice, projection): an enrolment without end date is taken to continue, so "
        "the 12th full school year may lie in the future; leerplicht_end is then the 31 July it will "
        "end on if the child stays enrolled."
    ),
    "overlapping enrolments": (
        "RULES.md §3 (choice): when enrolments overlap the one that started last counts; of two that "
        "started on the same day, the one on the later line of enrolments.csv."
    ),
    "a school's own free days": (
        "RULES.md §1 (choice): a school with free days of its own (a study day, Goede Vrijdag) has "
        "its own calendar: its region's school-free periods plus its own days. Its pupils' school "
        "days, runs and lesweken follow that calendar. The exchange format v1 has no column for "
        "it; the application keeps them per school."
    ),
    "exemptions and meldingen": (
        "RULES.md §4/§5: an exemption (vrijstelling) decides the status on a date (§5) only; it does "
        "not stop the counting of §4, which looks at enrolment and duty as §3 says. An exempted "
        "child is normally not enrolled, so nothing is counted in practice."
    ),
    "absences on days without enrolment": (
        "RULES.md §3: absence rows on days the child is not enrolled or not under duty are ignored; "
        "such a school day breaks every run."
    ),
    "hours compared after rounding": (
        "RULES.md §4: hour sums are rounded to 6 decimals before they are compared with 16, so that "
        "fractional hours (1.3 h) give the same answer in every implementation."
    ),
    "the child's own timetable": (
        "RULES.md §7 (v2): an enrolment's hours_per_day (enrolments.csv) replaces the school's "
        "hours on the days that enrolment counts (the one that started last): absence hours are "
        "capped at it, an absence row with empty hours_per_day takes it as the whole day, and a "
        "whole-day unexcused absence (lrv) is one whose unexcused hours reach it."
    ),
    "11a hours on a day": (
        "RULES.md §7 (v2), LPW art. 11a: per counted school day each reason's hours add up and are "
        "capped at the day's hours (the child's own timetable, else the school's) first; then the "
        "week's allowance of 10 11a hours is handed out in date order over the counted school days "
        "of the Monday-to-Sunday week (only the capped 11a hours of counted days use it); the 11a "
        "hours beyond it, and every 11a hour from the 6th birthday on, are unexcused. The day's "
        "unexcused hours are min(day hours, ongeoorloofd + luxe + unexcused 11a); its excused "
        "hours min(day hours, geoorloofd + excused 11a)."
    ),
    "luxe verzuim meldingen": (
        "RULES.md §7 (v2), LPW art. 11 onder f / 13a: every absence row with reason luxe gives one "
        "luxe_verzuim melding as soon as it covers a counted school day (enrolled, under duty, a "
        "school day of the school's region) on or before the reference date: from its first to "
        "its last such day, hours empty, brin the school of enrolment on the end date. Two rows "
        "with the same first and last day give one melding. Its hours also count as unexcused "
        "for 16_uur and lrv. In meldingen.csv every melding is ordered by student (students.csv "
        "order), end_date, rule name (16_uur, lrv, luxe_verzuim, mazl_4_in_12, mazl_7_dagen) and "
        "start_date; both implementations give this order."
    ),
    "thuiszitter episodes": (
        "RULES.md §5 over a period (leerplichttelling, LPW art. 25), §7 (v2): an absoluut-verzuim "
        "episode runs from the first school day (home region) of a maximal stretch of days under "
        "duty without enrolment and without exemption to the stretch's last day (its start is "
        "§5's since); a stretch without a school day up to the reference date is no episode. An "
        "LRV episode is a run of at least 20 school "
        "days of whole-day unexcused absence, from its first to its last day, and counts from its "
        "20th day (the day of the lrv melding). An episode goes on at the reference date when "
        "absoluut verzuim reaches it, or when the LRV run reaches the last school day up to it "
        "while the child is still enrolled and under duty. A run that continues over a holiday is "
        "one episode; an exempted child's LRV run still counts (as for the meldingen)."
    ),
    "episode over three months": (
        "RULES.md §5, §7: an episode passed three months on the first day D with since ≤ D minus 3 "
        "calendar months (end-of-month clipped: since 30 November passes on 1 March), when D falls "
        "on or before the episode's last day (or the reference date while it goes on)."
    ),
    "over three months is one test": (
        "RULES.md §7 (v2): the status's over_3_months, the escalation proposal \"langer dan 3 "
        "maanden thuis\" and the monitor's episodes use one function: since ≤ the day minus 3 "
        "calendar months, end-of-month clipped, the day itself included (since 5 October is over "
        "three months on 5 January). v1 escalation proposed only from the day after (since < day "
        "minus 3 months)."
    ),
    "over_3_months for every category": (
        "RULES.md §5: over_3_months is computed for every category that has a since date, "
        "vrijgesteld included; the thuiszitter counts use categories 2 and 3 only."
    ),
    "absoluut verzuim only where school is missed": (
        "RULES.md §7 (v2): the stretch of days under duty without enrolment and without "
        "exemption is taken over calendar days (weekends and vacations do not break it); the "
        "child is in absoluut verzuim on a date only when the stretch holds a school day of the "
        "home region on or before it, since that first school day. A school change over a "
        "weekend or a summer vacation gives no status and no episode; a gap that starts in the "
        "summer and runs into the school year counts from the first school day after the "
        "vacation. On the days before that first school day the child has no category at all "
        "(not enrolled, so no LRV either). v1: since the first calendar day of the stretch."
    ),
    "3a and 3b exempt no one": (
        "RULES.md §7 (v2): rows with article 3a/3b (vervangende leerplicht, LPW art. 3a, 3b) never "
        "make a child vrijgesteld and do not break an absoluut-verzuim stretch; they are read and "
        "kept (the telling counts them apart). v1: vrijgesteld like art. 5."
    ),
    "art. 15 only under kwalificatieplicht": (
        "RULES.md §7 (v2): an art. 15 row exempts only the days of its span under "
        "kwalificatieplicht; on days under leerplicht it neither makes the child vrijgesteld nor "
        "breaks an absoluut-verzuim stretch. The since of vrijgesteld by such a row is its first "
        "day in effect: the later of its start_date and the first day of kwalificatieplicht. The "
        "summary of inbeeld analyse counts the art. 15 rows that cover a day under leerplicht up "
        "to the reference date (rows without any day under leerplicht are not counted)."
    ),
    "art. 5 onder a without end date": (
        "RULES.md §7 (v2): a 5a row without end_date ends on 31 July of the school year of its "
        "start_date (art. 5 onder a is renewed every school year) unless permanent is true; a "
        "5a row with an end_date ends on that date, permanent or not; permanent means nothing "
        "for other articles. 5a_trekkend (art. 5a, trekkend bestaan) is exempt like 5b/5c and "
        "does not lapse. v1: a 5a row without end never lapsed."
    ),
    "16_uur counting restarts on 1 August": (
        "RULES.md §4, §7 (choice, unchanged in v2): the count of unexcused hours for 16_uur starts "
        "again on 1 August of every school year, so hours of late July and of the first days after "
        "the summer vacation are never summed together; the law counts four lesweken and is "
        "silent on the school year."
    ),
    "a sick day breaks an LRV run": (
        "RULES.md §4, §7 (choice, unchanged in v2): an LRV run is a run of consecutive school days "
        "of whole-day unexcused absence; a school day with sick (or excused, or fewer than a whole "
        "day of unexcused) hours breaks it, so a child reported sick for one day starts a new run "
        "of 20 school days afterwards."
    ),
    "lrv is 20 school days": (
        "RULES.md §4, §7 (choice, unchanged in v2): the Besluit verzuimmelding's \"ongeoorloofd "
        'verzuim van 1 maand of langer" (DUO: "minstens vier weken achtereen") is read as 20 '
        "consecutive school days (LRV_RUN_SCHOOL_DAYS), counted on the child's own school days: "
        "vacations and weekends neither break nor count."
    ),
}
