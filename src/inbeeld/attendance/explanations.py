"""Plain-Dutch explanations of why a finding fired (issue 3 §4, §5).

Each explanation is computed from the simple reference implementation's building blocks
(``rules.absence.school_days`` over the finding's span, ``SchoolCalendar.free_reason`` for the
weeks a window skipped), so what the page says is what the rules counted, for example:

    16 uur bereikt op 4 november: 4 uur op 7, 14 en 28 oktober en 4 november;
    de herfstvakantie telt niet mee
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from inbeeld.rules import choices
from inbeeld.rules.absence import (
    REPORT_LANGDURIG_ZIEK,
    RULE_16_UUR,
    RULE_LRV,
    RULE_LUXE_VERZUIM,
    RULE_MAZL_4_IN_12,
    RULE_MAZL_7_DAGEN,
    SchoolDayFacts,
    school_days,
)
from inbeeld.rules.calendar import MONTH_NAMES_NL, ONE_DAY, SchoolCalendar, school_year_start
from inbeeld.rules.duty import KWALIFICATIEPLICHT, DutyPeriod, home_region
from inbeeld.rules.legal import article_citation
from inbeeld.rules.model import LUXE, School, StudentRecord
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM, VRIJGESTELD

#: A melding made from the status (absoluut verzuim), routed to leerplicht (issue 3 §4).
RULE_ABSOLUUT_VERZUIM = ABSOLUUT_VERZUIM

#: the Dutch month names, January first (one list: ``rules.calendar.MONTH_NAMES_NL``)
MONTHS = MONTH_NAMES_NL

RULE_LABELS = {
    RULE_16_UUR: "16 uur ongeoorloofd verzuim in 4 lesweken",
    RULE_LRV: "langdurig relatief verzuim",
    RULE_LUXE_VERZUIM: "luxe verzuim: op vakantie buiten de schoolvakanties",
    RULE_MAZL_7_DAGEN: "7 schooldagen achter elkaar ziek (MAZL)",
    RULE_MAZL_4_IN_12: "4 keer ziek in 12 lesweken (MAZL)",
    RULE_ABSOLUUT_VERZUIM: "absoluut verzuim: niet ingeschreven",
    REPORT_LANGDURIG_ZIEK: "langdurig ziek: 4 weken of langer (voor het samenwerkingsverband)",
}

CATEGORY_LABELS = {
    VRIJGESTELD: "vrijgesteld",
    ABSOLUUT_VERZUIM: "absoluut verzuim",
    LANGDURIG_RELATIEF_VERZUIM: "langdurig relatief verzuim",
}

_YEAR_SUFFIX = re.compile(r"\s+\d{4}(/\d{2,4})?$")


def day_text(day: dt.date, *, year: bool = False) -> str:
    """``4 november`` (``4 november 2024`` with ``year``)."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def join_dutch(parts: Sequence[str]) -> str:
    """``a``, ``a en b``, ``a, b en c``."""
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def days_text(days: Sequence[dt.date]) -> str:
    """``7, 14 en 28 oktober en 4 november``: days grouped by month, in order."""
    groups: list[tuple[tuple[int, int], list[int]]] = []
    for day in sorted(days):
        key = (day.year, day.month)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(day.day)
        else:
            groups.append((key, [day.day]))
    texts = [
        f"{join_dutch([str(n) for n in numbers])} {MONTHS[month - 1]}"
        for (_, month), numbers in groups
    ]
    return join_dutch(texts)


def hours_text(hours: float) -> str:
    """``4``, ``4,5``: hours with a Dutch decimal comma, no trailing zeros."""
    value = round(float(hours), 2)
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def period_name(name: str) -> str:
    """``herfstvakantie 2024`` → ``de herfstvakantie``; public holidays keep their name."""
    bare = _YEAR_SUFFIX.sub("", name.strip())
    return f"de {bare}" if bare[:1].islower() else bare


def skipped_periods(
    calendar: SchoolCalendar, region: str, start: dt.date, end: dt.date
) -> list[str]:
    """Names of the vacations and holidays on weekdays from ``start`` to ``end``, in order."""
    names: list[str] = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            reason = calendar.free_reason(region, day)
            if reason and reason != "weekend":
                name = period_name(reason)
                if name not in names:
                    names.append(name)
        day += ONE_DAY
    return names


def skipped_text(names: Sequence[str]) -> str:
    if not names:
        return ""
    verb = "telt" if len(names) == 1 else "tellen"
    return f"; {join_dutch(list(names))} {verb} niet mee"


def _facts(
    record: StudentRecord,
    schools: dict[str, School],
    calendar: SchoolCalendar,
    period: DutyPeriod,
    start: dt.date,
    end: dt.date,
) -> list[SchoolDayFacts]:
    return school_days(
        enrolments=record.enrolments,
        absences=record.absences,
        schools=schools,
        calendar=calendar,
        duty=period,
        region=home_region(record.student, record.enrolments, schools),
        first=start,
        last=end,
        birth_date=record.student.birth_date,  # RULES.md §7: 11a hours of a five-year-old
    )


def _region_on(
    facts: Sequence[SchoolDayFacts], record: StudentRecord, schools: dict[str, School]
) -> str:
    if facts:
        return facts[-1].region
    return home_region(record.student, record.enrolments, schools)


def explain_16_uur(
    end: dt.date, days: Sequence[tuple[dt.date, float]], skipped: Sequence[str]
) -> str:
    total = round(sum(h for _, h in days), 2)
    by_hours: dict[float, list[dt.date]] = {}
    for day, hours in days:
        by_hours.setdefault(round(hours, 2), []).append(day)
    parts = [f"{hours_text(h)} uur op {days_text(ds)}" for h, ds in by_hours.items()]
    more = f" ({hours_text(total)} uur)" if total > choices.HOURS_16_THRESHOLD else ""
    return (
        f"{hours_text(choices.HOURS_16_THRESHOLD)} uur bereikt op {day_text(end)}{more}: "
        f"{join_dutch(parts)}{skipped_text(skipped)}"
    )


def explain_melding(
    *,
    rule: str,
    start: dt.date,
    end: dt.date,
    record: StudentRecord,
    schools: dict[str, School],
    calendar: SchoolCalendar,
    period: DutyPeriod,
) -> str:
    """Why a melding of RULES.md §4 (or the absoluut-verzuim melding) fired, in plain Dutch."""
    if rule == RULE_ABSOLUUT_VERZUIM:
        return explain_absoluut_verzuim(start, period.on(start))
    facts = _facts(record, schools, calendar, period, start, end)
    region = _region_on(facts, record, schools)
    if rule == RULE_16_UUR:
        days = [(f.day, f.unexcused) for f in facts if f.counted and f.unexcused > 0]
        window_start = calendar.lesweek_window_start(region, end, choices.HOURS_16_WINDOW_LESWEKEN)
        window_start = max(window_start, school_year_start(end))
        return explain_16_uur(end, days, skipped_periods(calendar, region, window_start, end))
    skipped = skipped_text(skipped_periods(calendar, region, start, end))
    if rule == RULE_LRV:
        return (
            f"{choices.LRV_RUN_SCHOOL_DAYS} schooldagen achter elkaar de hele dag ongeoorloofd "
            f"afwezig, van {day_text(start)} tot en met {day_text(end, year=True)}{skipped}"
        )
    if rule == RULE_LUXE_VERZUIM:
        rows = [
            (a.start, a.end)
            for a in record.absences
            if a.reason == LUXE and a.start <= start and end <= a.end
        ]
        row = min(rows, default=(start, end))  # the row the melding was made of
        return explain_luxe_verzuim(row, [f.day for f in facts if f.counted])
    if rule == RULE_MAZL_7_DAGEN:
        return (
            f"{choices.MAZL_SPELL_DAY} schooldagen achter elkaar ziek gemeld, van "
            f"{day_text(start)} tot en met {day_text(end, year=True)}{skipped}"
        )
    if rule == REPORT_LANGDURIG_ZIEK:
        return (
            f"{choices.LONG_SICKNESS_SCHOOL_DAYS} schooldagen achter elkaar ziek gemeld (4 weken "
            f"of langer), van {day_text(start)} tot en met {day_text(end, year=True)}{skipped}: "
            "gemeld aan het samenwerkingsverband van de school"
        )
    if rule == RULE_MAZL_4_IN_12:
        starts: list[dt.date] = []
        previous_sick = False
        for f in facts:
            sick = f.counted and f.sick > 0
            if sick and not previous_sick:
                starts.append(f.day)
            previous_sick = sick
        return (
            f"{len(starts) or choices.MAZL_SPELLS} keer ziek gemeld binnen "
            f"{choices.MAZL_WINDOW_LESWEKEN} lesweken: ziekmeldingen begonnen op "
            f"{days_text(starts or [start, end])}"
        )
    return (
        f"{RULE_LABELS.get(rule, rule)} van {day_text(start)} tot en met {day_text(end, year=True)}"
    )


def explain_luxe_verzuim(row: tuple[dt.date, dt.date], days: Sequence[dt.date]) -> str:
    """RULES.md §7 (v2) ``luxe_verzuim``: the school recorded the absence as luxe verzuim, leave for
    a holiday outside the school vacations without the head's verlof (LPW art. 11 onder f and
    art. 13a); DUO wants it reported whatever the number of hours. Says the row's dates as the
    school recorded them, and its school days when those are fewer."""
    first, last = row
    span = (
        f"op {day_text(first, year=True)}"
        if first == last
        else f"van {day_text(first)} tot en met {day_text(last, year=True)}"
    )
    n = len(days)
    counted = f"{n} schooldag" if n == 1 else f"{n} schooldagen"
    if n != (last - first).days + 1:
        counted = f"{counted}: {days_text(days)}"
    return (
        f"Door de school geregistreerd als luxe verzuim {span} ({counted}): op vakantie buiten "
        "de schoolvakanties zonder verlof van de directeur (artikel 11, onder f, en artikel "
        "13a Leerplichtwet 1969); wordt gemeld ongeacht het aantal uren"
    )


def _duty_text(duty: str) -> str:
    return "kwalificatieplichtig" if duty == KWALIFICATIEPLICHT else "leerplichtig"


def explain_absoluut_verzuim(since: dt.date, duty: str) -> str:
    return (
        f"Sinds {day_text(since, year=True)} niet ingeschreven op een school, "
        f"terwijl {_duty_text(duty)}"
    )


def explain_status(
    *, category: str | None, since: dt.date | None, duty: str, article: str | None = None
) -> str:
    """Why a child has its status of RULES.md §5 (empty when it has none)."""
    if category is None or since is None:
        return ""
    if category == ABSOLUUT_VERZUIM:
        return explain_absoluut_verzuim(since, duty)
    if category == LANGDURIG_RELATIEF_VERZUIM:
        return (
            f"{choices.LRV_RUN_SCHOOL_DAYS} schooldagen of meer achter elkaar de hele dag "
            f"ongeoorloofd afwezig sinds {day_text(since, year=True)}"
        )
    if category == VRIJGESTELD:
        # the code 5a is art. 5, onder a (art. 5a is trekkend bestaan): rules.legal
        law = f" ({article_citation(article)}, Leerplichtwet 1969)" if article else ""
        return f"Vrijgesteld sinds {day_text(since, year=True)}{law}"
    return ""
