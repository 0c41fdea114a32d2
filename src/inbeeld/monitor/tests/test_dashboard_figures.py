"""The dashboard's figures: each organisation counts its own scope, everything suppressed."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.attendance.tests.factories import (
    BIRTH_DATE,
    EXEMPT_FROM,
    ExemptionFactory,
    MembershipFactory,
    OrganisationFactory,
    StudentFactory,
    actor_for,
)
from inbeeld.monitor import selectors
from inbeeld.monitor.tests.dashboard_world import ON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def _rows(rows):
    return {row.key: row.values for row in rows}


def _exempted(n: int = 1, *, municipality: str = "GM0001", **exemption) -> None:
    """``n`` children living in ``municipality``, each with this exemption."""
    for _ in range(n):
        ExemptionFactory(
            student=StudentFactory(municipality_code=municipality, birth_date=BIRTH_DATE),
            **exemption,
        )


def test_each_gemeente_counts_only_its_own_children(world):
    a = selectors.now_figures(actor=actor_for(world.beleid_a))
    b = selectors.now_figures(actor=actor_for(world.beleid_b))
    assert a.pupils == 20
    assert b.pupils == 30
    # A: 7 absoluut verzuim and 2 LRV; the 2 is hidden, and so the 7 (else 9 − 7 gives it away)
    assert _rows(a.thuiszitters)["total"]["now"] == 9
    assert _rows(a.thuiszitters)[selectors.AV]["now"] is None
    assert _rows(a.thuiszitters)[selectors.LRV]["now"] is None
    # over three months: 3 in A, hidden, and so is the total it would equal
    assert _rows(a.thuiszitters)["total"]["over_3_months"] is None
    # B: 12 and 6, nothing to hide
    assert _rows(b.thuiszitters)[selectors.AV]["now"] == 12
    assert _rows(b.thuiszitters)[selectors.LRV]["now"] == 6
    assert _rows(b.thuiszitters)["total"]["now"] == 18
    assert _rows(b.thuiszitters)["total"]["over_3_months"] == 12
    assert _rows(b.thuiszitters)["total"]["now_per_1000"] == 600.0


def test_samenwerkingsverband_and_school_count_their_schools(world):
    swv = selectors.now_figures(actor=actor_for(world.beleid_swv))
    school = selectors.now_figures(actor=actor_for(world.beleid_school))
    for figures in (swv, school):
        assert figures.pupils == 20
        assert _rows(figures.thuiszitters)[selectors.AV]["now"] == 7
        assert _rows(figures.thuiszitters)[selectors.LRV]["now"] == 0
        assert _rows(figures.thuiszitters)["total"]["now"] == 7


def test_ggd_and_roles_without_figures_count_nothing(world):
    ggd = OrganisationFactory(type=OrganisationType.GGD, code="GGD01", name="GGD")
    assert selectors.now_figures(actor=actor_for(MembershipFactory(organisation=ggd))) is None
    wijkteam = MembershipFactory(organisation=world.gemeente_a, role=Role.WIJKTEAM_MEDEWERKER)
    assert selectors.now_figures(actor=actor_for(wijkteam)) is None


def test_exemptions_per_article_with_secondary_suppression(world):
    _exempted(6, article="5a", start_date=EXEMPT_FROM)
    _exempted(article="5b", start_date=EXEMPT_FROM)
    _exempted(municipality="GM0002", article="5b", start_date=EXEMPT_FROM)
    _exempted(  # over: not counted
        article="5c", start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 6, 1)
    )
    rows = _rows(selectors.now_figures(actor=actor_for(world.beleid_a)).exemptions)
    assert rows["5b"]["now"] is None
    assert rows["5a"]["now"] is None  # else 7 − 6 = 1 gives the hidden one away
    assert rows["5c"]["now"] == 0
    assert rows["total"]["now"] == 7
    assert rows["total"]["now_per_1000"] == 350.0


def test_exemptions_now_follow_the_v2_rules_and_vervangende_leerplicht_apart(world):
    """On 3 March 2025 (RULES.md §7): a 5 onder a row without end started in 2023/24 has lapsed,
    a permanent one has not; art. 15 counts only for a child under kwalificatieplicht on the day
    (its status's periods); 3a and 3b rows are vervangende leerplicht, not exemptions."""
    from inbeeld.attendance.models import DetectionRun, StudentStatus

    _exempted(5, article="5a", start_date=dt.date(2024, 9, 2))  # this school year: counts
    _exempted(3, article="5a", start_date=dt.date(2023, 9, 4))  # lapsed on 31 July 2024
    _exempted(2, article="5a", start_date=dt.date(2023, 9, 4), permanent=True)
    _exempted(5, article="5a_trekkend", start_date=dt.date(2024, 8, 1))
    _exempted(6, article="3a", start_date=dt.date(2024, 8, 1))
    _exempted(1, article="3b", start_date=dt.date(2024, 8, 1))
    run = DetectionRun.objects.create(on_date=ON)
    for n, leerplicht_end in enumerate((dt.date(2024, 7, 31),) * 5 + (dt.date(2025, 7, 31),) * 2):
        student = StudentFactory(municipality_code="GM0001", birth_date=BIRTH_DATE)
        ExemptionFactory(student=student, article="15", start_date=dt.date(2024, 9, 2))
        StudentStatus.objects.create(
            student=student,
            run=run,
            on_date=ON,
            duty="kwalificatieplicht" if n < 5 else "leerplicht",
            leerplicht_start=dt.date(2013, 9, 1),
            leerplicht_end=leerplicht_end,
            kwalificatieplicht_end=dt.date(2026, 3, 9),
        )
    figures = selectors.now_figures(actor=actor_for(world.beleid_a))
    rows = _rows(figures.exemptions)
    assert list(rows) == ["5a", "5b", "5c", "5a_trekkend", "15", "total"]
    assert rows["5a"]["now"] == 7  # 5 + 2 permanent
    assert rows["5a_trekkend"]["now"] == 5
    assert rows["15"]["now"] == 5  # not the two still under leerplicht
    assert rows["total"]["now"] == 17
    replaced = _rows(figures.vervangende_leerplicht)
    assert list(replaced) == ["3a", "3b", "total"]
    assert replaced["3b"]["now"] is None  # 1
    assert replaced["3a"]["now"] is None  # else 7 − 6 = 1 gives the hidden one away
    assert replaced["total"]["now"] == 7
    assert figures.as_dict()["vervangende_leerplicht"][-1]["now"] == 7
    # open meldingen per rule: luxe verzuim has a line of its own (RULES.md §7)
    assert "luxe_verzuim" in _rows(figures.meldingen)


def test_open_meldingen_leave_out_the_reports_for_information(world):
    """Issue 12 §2: a report of long sickness to the samenwerkingsverband is for information
    (ter kennisneming), no verzuimmelding awaiting handling: no row, not in the total."""
    from inbeeld.attendance.models import DetectionRun, Melding, MeldingState
    from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK

    run = DetectionRun.objects.create(on_date=ON)
    for rule, state in (
        [("16_uur", MeldingState.OPEN)] * 3
        + [("16_uur", MeldingState.IN_BEHANDELING)] * 3
        + [(REPORT_LANGDURIG_ZIEK, MeldingState.OPEN)] * 5
    ):
        Melding.objects.create(
            student=StudentFactory(municipality_code="GM0001", birth_date=BIRTH_DATE),
            school=world.school_a,
            rule=rule,
            state=state,
            start_date=dt.date(2025, 1, 6),
            end_date=dt.date(2025, 1, 31),
            first_run=run,
        )
    for beleid in (world.beleid_swv, world.beleid_a):
        rows = _rows(selectors.now_figures(actor=actor_for(beleid)).meldingen)
        assert REPORT_LANGDURIG_ZIEK not in rows
        assert rows["16_uur"]["now"] == 6
        assert rows["total"]["now"] == 6


def test_trends_per_month_returns_median_and_relapses(world):
    trends = selectors.trends(actor=actor_for(world.beleid_a), school_year=2024)
    months = _rows(trends.months)
    assert months["2024-09-01"]["new"] == 9
    assert months["2025-01-01"]["new"] == 7
    assert months["total"]["new"] == 16
    # returns: 6 in October (30 days each) and 1 in February: the 1 hidden, and the 6 with it
    assert months["2025-02-01"]["returns"] is None
    assert months["2024-10-01"]["returns"] is None
    assert months["total"]["returns"] == 7
    # a median only beside a count that is shown (it would tell "5 or more")
    assert months["2024-10-01"]["median_days_to_return"] is None
    assert months["2025-02-01"]["median_days_to_return"] is None  # one child: no median
    assert months["total"]["median_days_to_return"] == 30.0
    # one relapse: hidden, and the total it equals too
    assert months["2025-01-01"]["relapses"] is None
    assert months["total"]["relapses"] is None
    assert [row.key for row in trends.months][:2] == ["2024-08-01", "2024-09-01"]
    assert len(trends.months) == 13


def test_trends_per_school_year(world):
    trends = selectors.trends(actor=actor_for(world.beleid_a), school_year=2024)
    years = _rows(trends.years)
    assert years["2024"]["new"] == 16
    assert years["2024"]["returns"] == 7
    assert years["2024"]["thuiszitters"] == 15  # children: the relapsed child once
    assert years["2024"]["median_days_to_return"] == 30.0


@pytest.mark.parametrize(
    ("breakdown", "expected"),
    [
        # 14 and 2 of 16: the 2 is hidden, and the 14 with it (16 − 14 = 2)
        ("school", {"De Linde": None, "De Wilg": None}),
        ("postcode", {"9711": None, "9712": None}),
        ("gemeente", {"Gemeente A": 16}),
        ("swv", {"SWV Noord": None, "onbekend": None}),
    ],
)
def test_breakdowns(world, breakdown, expected):
    trends = selectors.trends(
        actor=actor_for(world.beleid_a), school_year=2024, breakdown=breakdown
    )
    by_label = {str(row.label): row.values["new"] for row in trends.breakdown_rows}
    for label, value in expected.items():
        assert by_label[label] == value
    assert trends.breakdown_rows[-1].is_total
    assert trends.breakdown_rows[-1].values["new"] == 16


def test_school_years_run_from_the_first_episode_to_now(world):
    assert selectors.school_years_available(actor=actor_for(world.beleid_a)) == [2024]


def test_national_comparison_per_1000(world):
    national = {
        row["key"]: row for row in selectors.now_figures(actor=actor_for(world.beleid_b)).national
    }
    assert national["av"]["national_year"] == "2021/22"
    assert national["av"]["national_count"] == 10240
    assert national["av"]["national_per_1000"] == round(10240 * 1000 / 2_500_000, 2)
    assert national["av"]["here_per_1000"] == 400.0
    assert national["over_3_months"]["national_year"] == "2018/19"
