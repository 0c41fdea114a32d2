"""RULES.md §5: the status on a reference date (vrijgesteld, absoluut_verzuim,
langdurig_relatief_verzuim) and over_3_months, checked on the reference and the bulk engine.

Updated for RULES.md §7 (v2) (the v2 bullets themselves are in test_status_v2.py): absoluut verzuim
counts from the first school day of the stretch (enrolments here end on a Sunday, or the since
moves to the Monday), 3a/3b and an art. 15 row under leerplicht exempt no one (the vrijgesteld
cases use 5b/5c), a 5a row without end lapses on 31 July.

Unless said otherwise the child is born 5 May 2011 with home region zuid: leerplicht from
Wed 1 Jun 2016 (the month after the 5th birthday; no vacation data for 2016) until 31 Jul 2027.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from inbeeld.rules.tests.builders import (
    ZUID_VO,
    both,
    d,
    enrol,
    exemption,
    lrv,
    record,
    student,
    unexcused,
)

BORN = "2011-05-05"


@dataclass(frozen=True)
class Child:
    """The child a case is about: born, home region, enrolments, absences, exemptions and the date
    of a startkwalificatie."""

    enrolments: tuple = ()
    absences: tuple = ()
    exemptions: tuple = ()
    birth: str = BORN
    region: str | None = "zuid"
    skq: str | None = None


def left(end: str, *, region: str = "zuid", **rows) -> Child:
    """At the zuid vo school since 1 Aug 2023 until ``end``, born 5 May 2011."""
    return Child(enrolments=(enrol(ZUID_VO, "2023-08-01", end),), region=region, **rows)


def at_school(*absences, **rows) -> Child:
    """At the zuid vo school since 1 Aug 2023 and still there, with these absences."""
    return Child(enrolments=(enrol(ZUID_VO, "2023-08-01"),), absences=absences, **rows)


@dataclass
class Case:
    id: str
    on: str
    duty: str
    category: str | None
    since: str | None
    over: bool
    child: Child = Child()


LP, KP, NONE = "leerplicht", "kwalificatieplicht", "none"
VRIJ, AV, LRV = "vrijgesteld", "absoluut_verzuim", "langdurig_relatief_verzuim"

EXEMPT_5B_5C = Child(
    exemptions=(exemption("5b", "2024-01-01"), exemption("5c", "2024-09-01", "2024-12-31"))
)
#: Whole unexcused days Mon 2 Sep–Fri 4 Oct 2024 (25 school days).
SEPTEMBER_RUN = unexcused("2024-09-02", "2024-10-04")
#: Region noord (its spring vacation is 15–23 Feb 2025), out of school after Thu 27 / Fri 28 Feb.
NOORD_LEFT_27_FEB = left("2025-02-27", region="noord")
NOORD_LEFT_28_FEB = left("2025-02-28", region="noord")
#: Born 10 Jul 2019 (zuid): leerplicht from 19 Aug 2024.
YOUNG = "2019-07-10"

CASES = [
    # -- vrijgesteld ---------------------------------------------------------------------------
    # Not enrolled and exempt (5b from 1 Jan 2024, 5c from 1 Sep to 31 Dec 2024): vrijgesteld
    # wins over absoluut verzuim; since = the latest start of the covering exemptions = 1 Sep.
    # 1 Oct − 3 months = 1 Jul 2024 < 1 Sep → not over 3 months. (v1: 5a and 15; in v2 an open
    # 5a lapses on 31 July and 15 has no effect under leerplicht.)
    Case(
        "vrijgesteld-wins-latest-start", "2024-10-01", LP, VRIJ, "2024-09-01", False, EXEMPT_5B_5C
    ),
    # On 3 Feb 2025 only 5b covers → since 1 Jan 2024 → over 3 months.
    Case(
        "vrijgesteld-remaining-exemption", "2025-02-03", LP, VRIJ, "2024-01-01", True, EXEMPT_5B_5C
    ),
    # The last day of an exemption is covered (both ends included).
    Case(
        "vrijgesteld-on-last-day",
        "2024-12-31",
        LP,
        VRIJ,
        "2024-09-01",
        True,
        Child(exemptions=(exemption("5c", "2024-09-01", "2024-12-31"),)),
    ),
    # Enrolled with an LRV run going on: the exemption still comes first (v1 used 3a, which in
    # v2 exempts no one: see test_status_v2.py).
    Case(
        "vrijgesteld-wins-over-lrv",
        "2024-10-04",
        LP,
        VRIJ,
        "2024-09-16",
        False,
        at_school(SEPTEMBER_RUN, exemptions=(exemption("5b", "2024-09-16"),)),
    ),
    # -- absoluut verzuim ------------------------------------------------------------------------
    # Enrolment ended Sun 6 Oct 2024 → since Mon 7 Oct. On 7 Jan 2025: 7 Jan − 3 months =
    # 7 Oct 2024 ≥ 7 Oct → over (exactly on the boundary).
    Case("av-since-enrolment-end", "2025-01-07", LP, AV, "2024-10-07", True, left("2024-10-06")),
    # v2: ended Fri 4 Oct → the stretch starts Sat 5 Oct, its first school day is Mon 7 Oct;
    # 7 Jan − 3 months = 7 Oct → over (v1: since 5 Oct)
    Case(
        "over-3-months-exact-boundary", "2025-01-07", LP, AV, "2024-10-07", True, left("2024-10-04")
    ),
    # since one day later (enrolment ended Mon 7 Oct → since Tue 8 Oct), same date → not over
    Case(
        "over-3-months-one-day-later", "2025-01-07", LP, AV, "2024-10-08", False, left("2024-10-07")
    ),
    # ...and the first child one day earlier: 6 Jan − 3 months = 6 Oct < 7 Oct → not over
    Case("over-3-months-day-before", "2025-01-06", LP, AV, "2024-10-07", False, left("2024-10-06")),
    # End-of-month clipping: 31 May 2025 − 3 months = 28 Feb 2025. Region noord (zuid's spring
    # vacation holds 28 Feb 2025, noord's is 15–23 Feb): 28 Feb is a school day.
    Case("clip-31-may-since-28-feb", "2025-05-31", LP, AV, "2025-02-28", True, NOORD_LEFT_27_FEB),
    # ended 28 Feb: the stretch starts Sat 1 March, its first school day is Mon 3 March
    Case("clip-31-may-since-3-march", "2025-05-31", LP, AV, "2025-03-03", False, NOORD_LEFT_28_FEB),
    # 29 May 2025 − 3 months = 29 Feb → clipped 28 Feb 2025
    Case("clip-29-may-since-28-feb", "2025-05-29", LP, AV, "2025-02-28", True, NOORD_LEFT_27_FEB),
    Case("clip-3-june-since-3-march", "2025-06-03", LP, AV, "2025-03-03", True, NOORD_LEFT_28_FEB),
    # leap year: 31 May 2024 − 3 months = 29 Feb 2024
    Case("clip-leap-since-29-feb", "2024-05-31", LP, AV, "2024-02-29", True, left("2024-02-28")),
    Case("clip-leap-since-1-march", "2024-05-31", LP, AV, "2024-03-01", False, left("2024-02-29")),
    # Never enrolled, born 10 Jul 2019 (zuid): leerplicht from 19 Aug 2024 → since 19 Aug.
    Case(
        "av-since-leerplicht-start", "2024-10-01", LP, AV, "2024-08-19", False, Child(birth=YOUNG)
    ),
    # 19 Nov − 3 months = 19 Aug → over
    Case(
        "av-since-leerplicht-start-over",
        "2024-11-19",
        LP,
        AV,
        "2024-08-19",
        True,
        Child(birth=YOUNG),
    ),
    # An enrolment that starts after the date does not count.
    Case(
        "av-future-enrolment",
        "2024-10-01",
        LP,
        AV,
        "2024-08-19",
        False,
        Child(birth=YOUNG, enrolments=(enrol(ZUID_VO, "2024-12-01"),)),
    ),
    # Enrolment ended 30 Jun, exemption 1 Jul–30 Sep → since the day after: 1 Oct 2024.
    Case(
        "av-since-exemption-end",
        "2024-11-15",
        LP,
        AV,
        "2024-10-01",
        False,
        left("2024-06-30", exemptions=(exemption("5b", "2024-07-01", "2024-09-30"),)),
    ),
    # An exemption in August only breaks the stretch: 1–31 Jul is cut off → the stretch starts
    # Sun 1 Sep, since its first school day Mon 2 Sep.
    Case(
        "av-exemption-inside-gap",
        "2024-11-15",
        LP,
        AV,
        "2024-09-02",
        False,
        left("2024-06-30", exemptions=(exemption("5c", "2024-08-01", "2024-08-31"),)),
    ),
    # An exemption that ended before the enrolment did: the enrolment end decides → 1 Jul 2024;
    # 15 Nov − 3 months = 15 Aug ≥ 1 Jul → over.
    Case(
        "av-old-exemption",
        "2024-11-15",
        LP,
        AV,
        "2024-07-01",
        True,
        left("2024-06-30", exemptions=(exemption("5a", "2023-01-01", "2023-03-01"),)),
    ),
    # Born 10 Mar 2008: leerplicht ends 31 Jul 2024, kwalificatieplicht from 1 Aug. Out of school
    # since Mon 1 Apr 2024 (Tweede Paasdag): the stretch runs on across the change of duty →
    # since its first school day, Tue 2 Apr.
    Case(
        "av-across-leerplicht-end",
        "2024-10-01",
        KP,
        AV,
        "2024-04-02",
        True,
        Child(birth="2008-03-10", enrolments=(enrol(ZUID_VO, "2020-08-01", "2024-03-31"),)),
    ),
    # Enrolment ends Fri 4 Oct with an LRV run still going; on Mon 7 Oct not enrolled →
    # absoluut verzuim (category 2 comes before 3), since 7 Oct.
    Case(
        "av-wins-over-lrv",
        "2024-10-07",
        LP,
        AV,
        "2024-10-07",
        False,
        left("2024-10-04", absences=(SEPTEMBER_RUN,)),
    ),
    # v2: on Sat 5 Oct the stretch holds no school day yet: neither absoluut verzuim nor LRV (the
    # child is not enrolled) → no category (v1: absoluut verzuim since 5 Oct).
    Case(
        "no-category-on-the-weekend-after-leaving",
        "2024-10-05",
        LP,
        None,
        None,
        False,
        left("2024-10-04", absences=(SEPTEMBER_RUN,)),
    ),
    # -- langdurig relatief verzuim ------------------------------------------------------------
    # Whole days Mon 2 Sep–Fri 4 Oct (25 school days): still going on Fri 4 Oct → since 2 Sep.
    Case(
        "lrv-going-on-friday", "2024-10-04", LP, LRV, "2024-09-02", False, at_school(SEPTEMBER_RUN)
    ),
    # On Sunday 6 Oct the last school day up to the date (4 Oct) is still in the run.
    Case(
        "lrv-going-on-weekend", "2024-10-06", LP, LRV, "2024-09-02", False, at_school(SEPTEMBER_RUN)
    ),
    # On Mon 7 Oct the child is at school (no absence): the run has ended → no category.
    Case("lrv-ended", "2024-10-07", LP, None, None, False, at_school(SEPTEMBER_RUN)),
    # Run 23 Sep–18 Oct (exactly 20 days), then zuid's autumn vacation: on Wed 23 Oct the last
    # school day (18 Oct) is in the run → LRV since 23 Sep.
    Case(
        "lrv-going-on-in-vacation",
        "2024-10-23",
        LP,
        LRV,
        "2024-09-23",
        False,
        at_school(unexcused("2024-09-23", "2024-10-18")),
    ),
    # 19 days (2–26 Sep), going on 26 Sep: not yet an LRV run → no category.
    Case(
        "lrv-19-days-no-category",
        "2024-09-26",
        LP,
        None,
        None,
        False,
        at_school(unexcused("2024-09-02", "2024-09-26")),
    ),
    # The last school day up to the date is a partial day (3 h on 4 Oct) → run ended.
    Case(
        "lrv-broken-on-last-day",
        "2024-10-04",
        LP,
        None,
        None,
        False,
        at_school(unexcused("2024-09-02", "2024-10-03"), unexcused("2024-10-04", hours=3)),
    ),
    # Whole days 2 Sep 2024–10 Jan 2025; on Fri 3 Jan 2025 (Christmas vacation 21 Dec–5 Jan) the
    # last school day, 20 Dec, is in the run → since 2 Sep; 3 Jan − 3 months = 3 Oct → over.
    Case(
        "lrv-over-3-months",
        "2025-01-03",
        LP,
        LRV,
        "2024-09-02",
        True,
        at_school(unexcused("2024-09-02", "2025-01-10")),
    ),
    # -- no duty -------------------------------------------------------------------------------
    # Born 1 Jan 2004: leerplicht ended 31 Jul 2020, kwalificatieplicht 31 Dec 2021 → none.
    Case(
        "no-duty-adult",
        "2024-10-01",
        NONE,
        None,
        None,
        False,
        Child(birth="2004-01-01", exemptions=(exemption("5a", "2024-01-01"),)),
    ),
    # Born 1 Jan 2021: leerplicht from Mon 2 Feb 2026 → none yet, not enrolled and no category.
    Case("no-duty-too-young", "2024-10-01", NONE, None, None, False, Child(birth="2021-01-01")),
]


def check_status(case: Case) -> None:
    """Both engines give the same status row, and it has the case's duty, category, since and
    over_3_months."""
    child = case.child
    rec = record(
        student(child.birth, region=child.region, skq=child.skq),
        list(child.enrolments),
        list(child.absences),
        list(child.exemptions),
    )
    ref, bulk = both(rec, case.on)
    assert ref.status == bulk.status
    got = (ref.status.duty, ref.status.category, ref.status.since, ref.status.over_3_months)
    assert got == (case.duty, case.category, d(case.since) if case.since else None, case.over)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_status(case):
    check_status(case)


@pytest.mark.parametrize(("article", "category"), [("5b", VRIJ), ("3a", LRV)])
def test_exemption_and_meldingen(article, category):
    # choices.EXEMPTION_SUPPRESSES_MELDINGEN is False: an exempt, enrolled child with 20 whole
    # unexcused days (2–27 Sep) still gets the lrv melding; the status is vrijgesteld. A 3a row
    # (vervangende leerplicht) exempts no one (RULES.md §7 (v2); v1: vrijgesteld): the status is
    # the LRV going on since 2 Sep.
    rec = record(
        student(BORN, region="zuid"),
        [enrol(ZUID_VO, "2023-08-01")],
        [unexcused("2024-09-02", "2024-10-04")],
        [exemption(article, "2024-09-16")],
    )
    ref, bulk = both(rec, "2024-10-04")
    assert ref.rules("lrv") == bulk.rules("lrv") == [lrv("2024-09-02", "2024-09-27", ZUID_VO)]
    assert ref.status == bulk.status
    assert ref.status.category == category
    assert ref.status.since == d("2024-09-16" if category == VRIJ else "2024-09-02")


# The boundary of over_3_months itself (the day before, the day, month ends, leap years) is pinned
# in test_periods.py: RULES.md §7 makes it one function for status, escalation and episodes.
