"""Leave requests (verlof): LPW art. 13a (holiday leave, the ground of art. 11 onder f) and
art. 14 (weighty circumstances, art. 11 onder g).

Issue 4 §5: the school decides holiday leave (at most ten school days, once per school year, never
in the first two lesweken of the school year in the school's region) and up to ten school days for
weighty circumstances; a request for more than ten school days goes to the leerplichtambtenaar.
The functions answer at once why a request cannot be granted, so the form can say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from inbeeld.rules.calendar import SchoolCalendar, monday_of, school_year_start

HOLIDAY = "vakantieverlof"  # art. 13a
WEIGHTY = "gewichtige_omstandigheden"  # art. 14
KINDS = (HOLIDAY, WEIGHTY)

#: art. 13a lid 2 and art. 14 lid 3: what the head of the school may grant ("ten hoogste tien
#: dagen per schooljaar"), in school days
MAX_SCHOOL_DAYS_BY_SCHOOL = 10
#: art. 13a lid 2: holiday leave never in the first two lesweken of the school year
PROTECTED_FIRST_LESWEKEN = 2

SCHOOL = "school"  # the head of the school decides
LEERPLICHT = "leerplichtambtenaar"  # art. 14 lid 3: more than ten school days


@dataclass(frozen=True)
class LeaveAssessment:
    """What the law says about one request: who decides, and why it cannot be granted (if so)."""

    school_days: int
    decided_by: str
    refusals: tuple[str, ...] = field(default=())

    @property
    def may_be_granted(self) -> bool:
        return not self.refusals


def first_lesweken(
    calendar: SchoolCalendar, region: str, year_start: dt.date, count: int
) -> tuple[dt.date, dt.date]:
    """First and last day of the first ``count`` lesweken of the school year (region)."""
    first_school_day = calendar.first_school_day_on_or_after(region, year_start)
    monday = monday_of(first_school_day)
    seen = 0
    while True:
        if calendar.is_lesweek(region, monday):
            seen += 1
            if seen == count:
                return first_school_day, monday + dt.timedelta(days=6)
        monday += dt.timedelta(days=7)


#: how the reasons cite the law (each reason is a whole Dutch sentence naming its article)
LPW = "Leerplichtwet 1969"
ART_11F_13A_1 = f"artikel 11, onder f, en artikel 13a, eerste lid, {LPW}"
ART_13A_1 = f"artikel 13a, eerste lid, {LPW}"
ART_13A_2 = f"artikel 13a, tweede lid, {LPW}"
ART_14_1 = f"artikel 14, eerste lid, {LPW}"


def _leave_citation(kind: str) -> str:
    return ART_13A_1 if kind == HOLIDAY else ART_14_1


def assess_leave_request(
    *,
    kind: str,
    start: dt.date,
    end: dt.date,
    region: str,
    calendar: SchoolCalendar,
    holiday_leave_earlier_this_year: bool = False,
    weighty_days_earlier_this_year: int = 0,
    employer_statement: bool = True,
) -> LeaveAssessment:
    """Assess a leave request (LPW art. 13a, 14; issue 4 §5).

    * holiday leave (art. 13a): only when the nature of a parent's work makes a holiday in the
      school vacations impossible (an employer's statement; art. 11 onder f, 13a lid 1), at most
      ten school days, once per school year, never in the first two lesweken of the school year
      (art. 13a lid 2); the school decides.
    * weighty circumstances (art. 14): up to ten school days in a school year the school decides;
      beyond that the leerplichtambtenaar (art. 14 lid 3).

    Each reason why it cannot be granted is a whole Dutch sentence that cites its article.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of leave {kind!r}; expected one of {KINDS}")
    if end < start:
        return LeaveAssessment(
            0, SCHOOL, (f"De einddatum ligt voor de begindatum ({_leave_citation(kind)}).",)
        )
    days = len(calendar.school_days(region, start, end))
    refusals: list[str] = []
    if days == 0:
        refusals.append(
            "In deze periode zijn geen schooldagen, dus verlof is niet nodig "
            f"({_leave_citation(kind)} gaat over verlof op schooldagen)."
        )
    if kind == HOLIDAY:
        if school_year_start(start) != school_year_start(end):
            refusals.append(
                f"Vakantieverlof valt binnen één schooljaar; deze periode loopt over twee "
                f"schooljaren ({ART_13A_2})."
            )
        if days > MAX_SCHOOL_DAYS_BY_SCHOOL:
            refusals.append(
                f"Vakantieverlof is ten hoogste {MAX_SCHOOL_DAYS_BY_SCHOOL} schooldagen per "
                f"schooljaar; gevraagd zijn {days} schooldagen ({ART_13A_2})."
            )
        if holiday_leave_earlier_this_year:
            refusals.append(
                "Vakantieverlof wordt maar één keer per schooljaar verleend, en dit schooljaar is "
                f"het al verleend ({ART_13A_2})."
            )
        if not employer_statement:
            refusals.append(
                "Vakantieverlof kan alleen als het werk van een ouder een vakantie in de "
                "schoolvakanties onmogelijk maakt; de werkgeversverklaring die dat aantoont "
                f"ontbreekt ({ART_11F_13A_1})."
            )
        _, protected_end = first_lesweken(
            calendar, region, school_year_start(start), PROTECTED_FIRST_LESWEKEN
        )
        if start <= protected_end:
            refusals.append(
                f"Vakantieverlof is niet mogelijk in de eerste {PROTECTED_FIRST_LESWEKEN} "
                f"lesweken van het schooljaar (tot en met {protected_end:%d-%m-%Y}) "
                f"({ART_13A_2})."
            )
        return LeaveAssessment(days, SCHOOL, tuple(refusals))
    total = weighty_days_earlier_this_year + days
    decided_by = SCHOOL if total <= MAX_SCHOOL_DAYS_BY_SCHOOL else LEERPLICHT
    return LeaveAssessment(days, decided_by, tuple(refusals))
