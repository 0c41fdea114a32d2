"""The leerplichttelling over hand-made data whose answers are known (issue 5 §2), through the
whole path: database → refresh_episodes → Episode → leerplichttelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q

from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.attendance.models import DetectionRun, Melding, StudentStatus
from inbeeld.attendance.tests.factories import (
    BIRTH_DATE,
    AbsenceFactory,
    EnrolmentFactory,
    ExemptionFactory,
    StudentFactory,
    two_organisations,
)
from inbeeld.monitor.models import Episode, FiguresRefresh
from inbeeld.monitor.refresh import refresh_episodes
from inbeeld.monitor.scope import FigureScope, ScopeError
from inbeeld.monitor.telling import leerplichttelling

D = dt.date
ON = D(2025, 8, 15)  # after the school year 2024/25


SINCE = D(2019, 3, 4)  # enrolled from before leerplicht began (1 April 2019)


def pupil(school, **kwargs):
    kwargs.setdefault("municipality_code", school.municipality_code)
    student = StudentFactory(**kwargs, birth_date=BIRTH_DATE)
    EnrolmentFactory(student=student, school=school, start_date=SINCE)
    return student


def _melding(run, student, rule, start, end, state="open", reason=""):
    return Melding.objects.create(
        student=student,
        rule=rule,
        start_date=start,
        end_date=end,
        first_run=run,
        state=state,
        closing_reason=reason,
    )


@pytest.fixture
def world(db):
    w = two_organisations()
    school_a = w.school_a  # zuid, po, GM0001
    w.swv = Organisation.objects.create(
        type=OrganisationType.SAMENWERKINGSVERBAND, name="SWV Zuid", code="SWV2001"
    )
    school_a.partnership = w.swv
    school_a.save()
    kids = {}
    # A: left school on 30 June 2024, back on 4 November: absoluut verzuim over the summer,
    # across the school-year boundary, passing three months on 1 October
    kids["A"] = StudentFactory(municipality_code="GM0001", postcode="9711AB", birth_date=BIRTH_DATE)
    EnrolmentFactory(student=kids["A"], school=school_a, start_date=SINCE, end_date=D(2024, 6, 30))
    EnrolmentFactory(student=kids["A"], school=school_a, start_date=D(2024, 11, 4))
    # B: away from 3 June to 30 September 2024: one LRV run over the summer (20th day 28 June),
    # going on on 1 September, over three months on 3 September
    kids["B"] = pupil(school_a)
    AbsenceFactory(student=kids["B"], start_date=D(2024, 6, 3), end_date=D(2024, 9, 30))
    # C: away from 30 September to 29 November 2024: a new LRV run (20th day 1 November)
    kids["C"] = pupil(school_a)
    AbsenceFactory(student=kids["C"], start_date=D(2024, 9, 30), end_date=D(2024, 11, 29))
    # D: three 16_uur meldingen in the year, E: one; F and G exempted; H's exemption ended
    # before the year
    for key in "DEFGH":
        kids[key] = pupil(school_a)
    ExemptionFactory(student=kids["F"], article="5a", start_date=D(2024, 9, 2))
    ExemptionFactory(student=kids["F"], article="5b", start_date=D(2025, 3, 3))
    ExemptionFactory(
        student=kids["G"], article="5a", start_date=D(2023, 1, 2), end_date=D(2024, 8, 15)
    )
    ExemptionFactory(
        student=kids["H"], article="15", start_date=D(2023, 1, 2), end_date=D(2024, 7, 31)
    )
    # I lives in gemeente B and has never been enrolled since 2025: absoluut verzuim going on
    kids["I"] = StudentFactory(municipality_code="GM0002", birth_date=BIRTH_DATE)
    EnrolmentFactory(
        student=kids["I"], school=w.school_b, start_date=SINCE, end_date=D(2025, 1, 31)
    )
    # RULES.md §7 (v2): J and K follow vervangende leerplicht (3a, 3b): no exemption, a table of
    # their own; L is exempt under art. 5a (trekkend bestaan); N's art. 5 onder a without an end
    # lapsed on 31 July 2024, O's is permanent ("nooit geschikt"); M (born 2007) and P (born 2008)
    # are kwalificatieplichtig from 1 August 2023 and 2024: their art. 15 counts from then on
    for key in "JKLNO":
        kids[key] = pupil(school_a)
    for key, born in (("M", D(2007, 3, 10)), ("P", D(2008, 3, 10))):
        kids[key] = StudentFactory(municipality_code="GM0001", birth_date=born)
        EnrolmentFactory(student=kids[key], school=school_a, start_date=D(2012, 1, 2))
    ExemptionFactory(student=kids["J"], article="3a", start_date=D(2024, 8, 1))
    ExemptionFactory(student=kids["K"], article="3b", start_date=D(2023, 8, 1))
    ExemptionFactory(student=kids["K"], article="3a", start_date=D(2025, 2, 3))
    ExemptionFactory(student=kids["L"], article="5a_trekkend", start_date=D(2024, 10, 7))
    ExemptionFactory(student=kids["N"], article="5a", start_date=D(2023, 9, 4))
    ExemptionFactory(student=kids["O"], article="5a", start_date=D(2023, 9, 4), permanent=True)
    ExemptionFactory(student=kids["M"], article="15", start_date=D(2024, 9, 2))
    ExemptionFactory(
        student=kids["P"], article="15", start_date=D(2024, 6, 3), end_date=D(2024, 8, 31)
    )
    run = DetectionRun.objects.create(on_date=ON)
    # the duty periods the art. 15 rows are counted against (as detection stores them)
    for key, leerplicht_end, kwalificatieplicht_end in (
        ("H", D(2030, 7, 31), D(2032, 3, 9)),
        ("M", D(2023, 7, 31), D(2025, 3, 9)),
        ("P", D(2024, 7, 31), D(2026, 3, 9)),
    ):
        born = kids[key].birth_date
        StudentStatus.objects.create(
            student=kids[key],
            run=run,
            on_date=ON,
            duty="leerplicht",
            leerplicht_start=D(born.year + 5, 4, 1),
            leerplicht_end=leerplicht_end,
            kwalificatieplicht_end=kwalificatieplicht_end,
        )
    for month in (10, 11, 12):
        _melding(run, kids["D"], "16_uur", D(2024, month, 1), D(2024, month, 20))
    Melding.objects.filter(student=kids["D"], end_date=D(2024, 10, 20)).update(
        state="afgesloten", closing_reason="terug_naar_school"
    )
    Melding.objects.filter(student=kids["D"], end_date=D(2024, 11, 20)).update(
        state="in_behandeling"
    )
    _melding(run, kids["E"], "16_uur", D(2025, 2, 3), D(2025, 2, 14), "afgesloten", "halt")
    _melding(run, kids["E"], "16_uur", D(2024, 6, 3), D(2024, 6, 14))  # the year before
    _melding(run, kids["E"], "mazl_7_dagen", D(2025, 3, 3), D(2025, 3, 11))  # not verzuim
    _melding(run, kids["C"], "lrv", D(2024, 9, 30), D(2024, 11, 1), "afgesloten", "hulpverlening")
    _melding(run, kids["D"], "luxe_verzuim", D(2025, 7, 3), D(2025, 7, 4))
    _melding(run, kids["E"], "luxe_verzuim", D(2024, 7, 4), D(2024, 7, 5))  # the year before
    w.kids = kids
    w.refresh = refresh_episodes(on=ON)
    return w


def test_refresh_stores_the_episodes_with_where_the_child_was(world):
    kids = world.kids
    rows = {
        (e.student_id, e.category): e
        for e in Episode.objects.select_related("school", "partnership")
    }
    a = rows[(kids["A"].pk, "absoluut_verzuim")]
    assert (a.start_date, a.end_date, a.over_3_months_on) == (
        D(2024, 7, 1),
        D(2024, 11, 3),
        D(2024, 10, 1),
    )
    assert a.school == world.school_a
    assert a.partnership == world.swv
    assert a.municipality_code == "GM0001"
    assert a.postcode_area == "9711"
    b = rows[(kids["B"].pk, "langdurig_relatief_verzuim")]
    assert (b.start_date, b.end_date, b.counted_from, b.over_3_months_on) == (
        D(2024, 6, 3),
        D(2024, 9, 30),
        D(2024, 6, 28),
        D(2024, 9, 3),
    )
    i = rows[(kids["I"].pk, "absoluut_verzuim")]
    assert i.end_date is None
    assert i.school == world.school_b
    assert len(rows) == Episode.objects.count() == 4
    assert world.refresh.counts["episodes"] == 4
    assert world.refresh.finished_at is not None
    # again: the table is replaced, not added to
    again = refresh_episodes(on=ON)
    assert Episode.objects.count() == 4
    assert set(Episode.objects.values_list("refresh_id", flat=True)) == {again.pk}


def test_the_count_of_2024_25(world):
    t = leerplichttelling(school_year=2024)
    assert t.label == "2024/25"
    assert t.on_date == ON
    assert t.complete
    got = {f.key: f.value for f in t.figures}
    assert got == {
        "thuiszitters": 4,  # A, I (absoluut verzuim), B, C (LRV)
        "thuiszitters_over_3_months": 3,  # A, B, and I (since 1 February: 1 May)
        "absoluut_verzuim": 2,
        "absoluut_verzuim_over_3_months": 2,
        "relatief_verzuim_16_uur": 2,  # D once for three meldingen, E once
        "lrv_on_1_september": 1,  # B
        "lrv_new": 1,  # C
        "lrv_total": 2,
        "lrv_over_3_months": 1,  # B
        "ended_over_3_months": 2,  # A (back on 4 November), B (back on 1 October)
        # F (5a and 5b), G (5a until 15 August), L (5a_trekkend), O (5a permanent), M and P
        # (15 under kwalificatieplicht); not H (15 ended 31 July), N (5a lapsed 31 July 2024),
        # nor J and K (vervangende leerplicht)
        "exemptions": 6,
        "vervangende_leerplicht": 2,  # J (3a), K (3b, and 3a from February)
        "meldingen": 6,  # D 3 + luxe 1, E 1, C 1; not the mazl one nor the year before
    }
    exemptions = {row.key: row.cells[0] for row in t.table("exemptions").rows}
    assert exemptions == {"5a": 3, "5b": 1, "5c": 0, "5a_trekkend": 1, "15": 2}
    assert t.table("exemptions").rows[0].label == (
        "artikel 5, onder a – lichamelijk of psychisch niet in staat om naar school te gaan"
    )
    replaced = t.table("vervangende_leerplicht")
    assert {row.key: row.cells[0] for row in replaced.rows} == {"3a": 2, "3b": 1}
    assert replaced.column_totals == (2,)
    meldingen = t.table("meldingen")
    assert meldingen.column_keys == ("16_uur", "lrv", "luxe_verzuim", "absoluut_verzuim")
    assert meldingen.columns[2] == "luxe verzuim"
    assert meldingen.column_totals == (4, 1, 1, 0)
    handling = {row.key: row.cells for row in meldingen.rows}
    # columns: 16_uur, lrv, luxe_verzuim, absoluut_verzuim
    assert handling["open"] == (1, 0, 1, 0)
    assert handling["in_behandeling"] == (1, 0, 0, 0)
    assert handling["afgesloten:terug_naar_school"] == (1, 0, 0, 0)
    assert handling["afgesloten:halt"] == (1, 0, 0, 0)
    assert handling["afgesloten:hulpverlening"] == (0, 1, 0, 0)
    months = {row.key: row.cells for row in t.table("per_month").rows}
    assert months["2024-08-31"] == (1, 1)  # A at home, B's run going on
    assert months["2024-10-31"] == (1, 0)  # C's run counts from 1 November
    assert months["2024-09-30"] == (1, 1)  # B's last day
    assert months["2024-11-30"] == (0, 0)  # A back on 4 November, C's run ended on the 29th
    assert months["2025-07-31"] == (1, 0)  # I
    schools = {row.key: row.cells for row in t.table("per_school").rows}
    assert schools == {"De Linde": (1, 2, 2), "De Eik": (1, 0, 1)}


def test_episodes_across_the_boundary_count_in_both_years(world):
    t = leerplichttelling(school_year=2023)
    got = {f.key: f.value for f in t.figures}
    assert got["absoluut_verzuim"] == 1  # A from 1 July 2024
    assert got["absoluut_verzuim_over_3_months"] == 0  # three months only on 1 October
    assert got["lrv_on_1_september"] == 0
    assert got["lrv_new"] == 1  # B counted from 28 June 2024
    assert got["lrv_over_3_months"] == 0
    assert got["relatief_verzuim_16_uur"] == 1  # E in June 2024
    # G, N (5a until its lapse on 31 July 2024), O (permanent); not H nor P: art. 15 on days of
    # leerplicht only (H is ten; P's kwalificatieplicht starts on 1 August 2024)
    assert got["exemptions"] == 3
    exemptions = {row.key: row.cells[0] for row in t.table("exemptions").rows}
    assert exemptions == {"5a": 3, "5b": 0, "5c": 0, "5a_trekkend": 0, "15": 0}
    assert got["vervangende_leerplicht"] == 1  # K


def test_scopes_limit_the_count(world):
    gemeente_a = FigureScope.for_organisation(world.gemeente_a)
    t = leerplichttelling(school_year=2024, scope=gemeente_a)
    assert t.scope_label == "Gemeente A"
    assert t.value("absoluut_verzuim") == 1  # not I, who lives in gemeente B
    assert t.value("thuiszitters") == 3
    swv = leerplichttelling(school_year=2024, scope=FigureScope.for_organisation(world.swv))
    assert swv.value("thuiszitters") == 3
    assert swv.value("exemptions") == 6
    assert swv.value("vervangende_leerplicht") == 2
    school_b = FigureScope.for_organisation(world.school_b.organisation)
    t = leerplichttelling(school_year=2024, scope=school_b)
    assert t.value("thuiszitters") == 1
    assert t.value("relatief_verzuim_16_uur") == 0
    only_a = FigureScope.everything().limited_to(Q(pk=world.kids["A"].pk))
    assert leerplichttelling(school_year=2024, scope=only_a).value("thuiszitters") == 1


def test_ggd_counts_no_figures(world):
    ggd = Organisation.objects.create(type=OrganisationType.GGD, name="GGD", code="GGD1")
    with pytest.raises(ScopeError):
        FigureScope.for_organisation(ggd)


def test_published_telling_hides_small_counts_and_what_would_reveal_them(world):
    t = leerplichttelling(school_year=2024).published()
    assert t.suppressed
    assert all(f.value is None or f.value == 0 or f.value >= 5 for f in t.figures)
    assert t.value("meldingen") == 6
    # the meldingen table: only totals of five or more remain, and no line with one hidden cell
    table = t.table("meldingen")
    assert table.grand_total == 6
    assert table.column_totals == (None, None, None, 0)  # 4, 1, 1 hidden
    assert t.value("exemptions") == 6
    assert t.value("vervangende_leerplicht") is None  # 2
    assert t.table("vervangende_leerplicht").rows[0].cells == (None,)


def test_published_telling_protects_a_cell_across_tables(db):
    """12 children in absoluut verzuim and 3 in LRV: 15 thuiszitters may be shown, but then
    the 12 would reveal the 3; and the per-school table must hide the 12 as well."""
    refresh = FiguresRefresh.objects.create(on_date=ON, finished_at=dt.datetime.now(dt.UTC))
    for n in range(15):
        Episode.objects.create(
            student=StudentFactory(birth_date=BIRTH_DATE),
            category="absoluut_verzuim" if n < 12 else "langdurig_relatief_verzuim",
            start_date=D(2024, 9, 2),
            counted_from=D(2024, 9, 2) if n < 12 else D(2024, 9, 27),
            end_date=D(2024, 10, 1),
            municipality_code="GM0001",
            refresh=refresh,
        )
    raw = leerplichttelling(school_year=2024)
    assert (raw.value("absoluut_verzuim"), raw.value("lrv_total")) == (12, 3)
    t = raw.published()
    assert t.value("thuiszitters") == 15
    assert t.value("lrv_total") is None
    assert t.value("absoluut_verzuim") is None  # 15 − 12 would give the 3
    school = t.table("per_school")
    assert school.column_totals[0] is None
    assert school.column_totals[1] is None
    lrv = t.table("lrv")
    assert lrv.column_totals == (None,)


def test_the_command(world):
    out = StringIO()
    call_command("refresh_figures", "--on", "2025-08-15", "--quiet", stdout=out)
    assert "4 episodes" in out.getvalue()


@pytest.mark.django_db
def test_the_count_follows_the_v2_rules():
    """RULES.md §7 through the database (school A: zuid, summer 2024 from 6 July to 18 August):
    * K changes school over the summer (primary until Friday 5 July, secondary from Monday 19
      August): no absoluut verzuim, no episode, no count;
    * L starts secondary school on 2 September: absoluut verzuim on the school days 19–30 August,
      since 19 August (the first school day of the stretch), one child in the count;
    * M follows a part-time timetable of 2 hours (enrolment hours_per_day) and misses those 2
      hours every school day from 2 September to 11 October 2024: 30 whole days, an LRV run
      counting from its 20th school day, 27 September (with the school's 5 hours: no LRV)."""
    world = two_organisations()
    school = world.school_a
    born = D(2012, 5, 1)
    kids = {}
    for key, secondary_from in (("K", D(2024, 8, 19)), ("L", D(2024, 9, 2))):
        kids[key] = StudentFactory(municipality_code="GM0001", birth_date=born)
        EnrolmentFactory(
            student=kids[key], school=school, start_date=D(2017, 6, 1), end_date=D(2024, 7, 5)
        )
        EnrolmentFactory(student=kids[key], school=world.school_b, start_date=secondary_from)
    kids["M"] = StudentFactory(municipality_code="GM0001", birth_date=born)
    EnrolmentFactory(student=kids["M"], school=school, start_date=D(2017, 6, 1))
    EnrolmentFactory(
        student=kids["M"], school=school, start_date=D(2024, 8, 19), hours_per_day=Decimal("2")
    )
    AbsenceFactory(
        student=kids["M"],
        start_date=D(2024, 9, 2),
        end_date=D(2024, 10, 11),
        hours_per_day=Decimal("2"),
    )
    refresh_episodes(on=ON)
    episodes = {
        (e.student_id, e.category): e
        for e in Episode.objects.all()
        if e.end_date is None or e.end_date >= D(2024, 8, 1)
    }
    assert set(episodes) == {
        (kids["L"].pk, "absoluut_verzuim"),
        (kids["M"].pk, "langdurig_relatief_verzuim"),
    }
    av = episodes[(kids["L"].pk, "absoluut_verzuim")]
    assert (av.start_date, av.end_date) == (D(2024, 8, 19), D(2024, 9, 1))
    lrv = episodes[(kids["M"].pk, "langdurig_relatief_verzuim")]
    assert (lrv.start_date, lrv.counted_from, lrv.end_date) == (
        D(2024, 9, 2),
        D(2024, 9, 27),
        D(2024, 10, 11),
    )
    t = leerplichttelling(school_year=2024)
    assert (t.value("absoluut_verzuim"), t.value("lrv_total"), t.value("thuiszitters")) == (1, 1, 2)
