"""The application under the rules of RULES.md §7 (v2): the ``luxe_verzuim`` melding, routed to the
gemeente and the school, and the first detection run after an upgrade of the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from inbeeld.attendance.detection import RULES_VERSION, detection_run
from inbeeld.attendance.explanations import RULE_LABELS
from inbeeld.attendance.models import (
    ClosingReason,
    DetectionRun,
    Melding,
    MeldingEvent,
    MeldingState,
    StudentStatus,
)
from inbeeld.attendance.selectors import open_meldingen_for
from inbeeld.attendance.signals import rules_upgraded
from inbeeld.attendance.tests.factories import (
    ON,
    AbsenceFactory,
    ExemptionFactory,
    StudentFactory,
    actor_for,
    pupil,
    truant,
    two_organisations,
)
from inbeeld.rules.absence import RULE_LUXE_VERZUIM

D = dt.date


def _worklist(membership) -> set[tuple[str, str]]:
    return {
        (m.student.family_name, m.rule) for m in open_meldingen_for(actor=actor_for(membership))
    }


@pytest.mark.django_db
def test_a_luxe_absence_gives_a_luxe_verzuim_melding_for_the_school_and_leerplicht():
    """School A (zuid, herfstvakantie 19–27 October 2024) records luxe verzuim from Thursday
    17 to Tuesday 22 October: the melding runs from the row's first to its last school day
    (17–18 October), whatever the hours (2 × 5 = 10, far from 16), and is in the worklists of
    school A and of leerplicht of the child's gemeente A, nobody else's."""
    world = two_organisations()
    luxe = pupil(world.school_a, family_name="Luxe")
    AbsenceFactory(
        student=luxe, start_date=D(2024, 10, 17), end_date=D(2024, 10, 22), reason="luxe"
    )
    other = pupil(world.school_b, family_name="Ander")  # a geoorloofd absence: no melding
    AbsenceFactory(student=other, start_date=D(2024, 10, 10), reason="geoorloofd")

    run = detection_run(on=ON)

    melding = Melding.objects.get(student=luxe)
    assert (melding.rule, melding.start_date, melding.end_date, melding.hours) == (
        RULE_LUXE_VERZUIM,
        D(2024, 10, 17),
        D(2024, 10, 18),
        None,
    )
    assert melding.state == MeldingState.OPEN
    assert melding.school == world.school_a
    assert set(melding.organisations.all()) == {world.gemeente_a, world.school_a.organisation}
    assert melding.explanation == (
        "Door de school geregistreerd als luxe verzuim van 17 oktober tot en met 22 oktober 2024 "
        "(2 schooldagen: 17 en 18 oktober): op vakantie buiten de schoolvakanties zonder verlof "
        "van de directeur (artikel 11, onder f, en artikel 13a Leerplichtwet 1969); wordt gemeld "
        "ongeacht het aantal uren"
    )
    assert not Melding.objects.filter(student=other).exists()
    assert run.counts["meldingen_new_by_rule"] == {RULE_LUXE_VERZUIM: 1}

    assert _worklist(world.school_staff_a) == {("Luxe", RULE_LUXE_VERZUIM)}
    assert _worklist(world.leerplicht_a) == {("Luxe", RULE_LUXE_VERZUIM)}
    assert _worklist(world.school_staff_b) == set()
    assert _worklist(world.leerplicht_b) == set()
    assert _worklist(world.beleid_a) == set()
    assert RULE_LABELS[RULE_LUXE_VERZUIM].startswith("luxe verzuim")


@pytest.mark.django_db
def test_luxe_verzuim_of_one_day_is_explained_as_one_day():
    world = two_organisations()
    luxe = pupil(world.school_a)
    AbsenceFactory(
        student=luxe,
        start_date=D(2024, 10, 18),
        end_date=D(2024, 10, 18),
        reason="luxe",
        hours_per_day=Decimal("2"),
    )
    detection_run(on=ON)
    melding = Melding.objects.get(student=luxe, rule=RULE_LUXE_VERZUIM)
    assert melding.explanation.startswith(
        "Door de school geregistreerd als luxe verzuim op 18 oktober 2024 (1 schooldag): "
    )


# -- the first run under a new version of the rules ----------------------------------------------


@contextmanager
def upgrades_sent() -> Iterator[list[dict]]:
    """The ``rules_upgraded`` signals sent inside the block (their keyword arguments)."""
    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    rules_upgraded.connect(receiver)
    try:
        yield received
    finally:
        rules_upgraded.disconnect(receiver)


@pytest.fixture
def upgraded_world(db):
    """A database last detected under the rules of v1: its statuses and meldingen as v1 left
    them, three of them meldingen that v2 does not find (two of them handled)."""
    world = two_organisations()
    world.truant = pupil(world.school_a, family_name="Truant")
    truant(world.truant)
    world.quiet = pupil(world.school_a, family_name="Stil")
    world.home = StudentFactory(municipality_code="GM0001", family_name="Thuis")
    first = detection_run(on=ON)
    DetectionRun.objects.filter(pk=first.pk).update(rules_version=1)
    # what v1 wrote and v2 computes otherwise: a stale status, and meldingen v2 no longer finds
    StudentStatus.objects.filter(student=world.quiet).update(explanation="v1", since=D(2024, 9, 2))
    world.gone_open = Melding.objects.create(
        student=world.quiet,
        rule="lrv",
        start_date=D(2024, 9, 2),
        end_date=D(2024, 9, 27),
        first_run=first,
        explanation="v1",
    )
    world.gone_handled = Melding.objects.create(
        student=world.quiet,
        rule="16_uur",
        start_date=D(2024, 9, 2),
        end_date=D(2024, 9, 20),
        hours=Decimal("16"),
        first_run=first,
        state=MeldingState.AFGESLOTEN,
        closing_reason=ClosingReason.GEEN_VERZUIM,
        explanation="v1",
    )
    world.gone_in_behandeling = Melding.objects.create(
        student=world.quiet,
        rule="mazl_7_dagen",
        start_date=D(2024, 9, 9),
        end_date=D(2024, 9, 17),
        first_run=first,
        state=MeldingState.IN_BEHANDELING,
    )
    world.sixteen = Melding.objects.get(student=world.truant, rule="16_uur")
    Melding.objects.filter(pk=world.sixteen.pk).update(state=MeldingState.TER_KENNISNEMING)
    world.first = first
    return world


def _meldingen():
    return sorted(
        Melding.objects.values_list(
            "pk",
            "student_id",
            "rule",
            "start_date",
            "end_date",
            "state",
            "closing_reason",
            "explanation",
        )
    )


def test_the_first_run_under_new_rules_rewrites_every_status(upgraded_world):
    w = upgraded_world
    with upgrades_sent() as received:
        before = _meldingen()
        events = MeldingEvent.objects.count()
        run = detection_run(on=ON)

    assert run.rules_version == RULES_VERSION == 2
    assert run.counts["rules_upgraded_from"] == 1
    # every status of the run, also those whose content did not change
    assert set(StudentStatus.objects.values_list("run_id", flat=True)) == {run.pk}
    assert StudentStatus.objects.count() == 3
    assert run.counts["statuses_changed"] == 3
    assert run.counts["statuses_replaced"] == 3
    quiet = StudentStatus.objects.get(student=w.quiet)
    assert (quiet.category, quiet.since, quiet.explanation) == ("", None, "")
    home = StudentStatus.objects.get(student=w.home)
    assert home.category == "absoluut_verzuim"
    assert home.explanation.startswith("Sinds ")
    # meldingen: handled or open, found again or not, all as they were; no events appended
    assert _meldingen() == before
    assert MeldingEvent.objects.count() == events
    assert run.counts["meldingen_new"] == 0
    assert [(r["run"], r["previous_version"]) for r in received] == [(run, 1)]


def test_a_run_from_before_rules_versions_counts_as_v1(upgraded_world):
    DetectionRun.objects.update(rules_version=None)
    out = StringIO()
    with upgrades_sent() as received:
        call_command("detect", "--on", ON.isoformat(), "--quiet", stdout=out)
    run = DetectionRun.objects.order_by("-pk").first()
    assert "Regels v1 → v2: alle statussen opnieuw geschreven" in out.getvalue()
    assert run.counts["rules_upgraded_from"] == 1
    assert [r["previous_version"] for r in received] == [None]
    assert set(StudentStatus.objects.values_list("run_id", flat=True)) == {run.pk}


def test_later_runs_under_the_same_rules_change_only_what_changed(upgraded_world):
    w = upgraded_world
    upgrade = detection_run(on=ON)
    with upgrades_sent() as received:
        again = detection_run(on=ON)
        w.quiet.enrolments.update(end_date=D(2024, 11, 15))  # leaves school
        later = detection_run(on=D(2024, 11, 20))
    assert received == []
    assert again.counts["rules_upgraded_from"] is None
    assert again.counts["statuses_changed"] == 0
    assert StudentStatus.objects.get(student=w.truant).run_id == upgrade.pk
    # the child who left school, and the child at home (more school days at home): nobody else
    assert StudentStatus.objects.get(student=w.quiet).run_id == later.pk
    assert StudentStatus.objects.get(student=w.home).run_id == later.pk
    assert later.counts["statuses_changed"] == 2


@pytest.mark.django_db
def test_the_very_first_run_is_no_upgrade():
    world = two_organisations()
    truant(pupil(world.school_a))
    with upgrades_sent() as received:
        run = detection_run(on=ON)
    assert received == []
    assert run.rules_version == RULES_VERSION
    assert run.counts["rules_upgraded_from"] is None


@pytest.mark.django_db
def test_a_vrijgesteld_explanation_names_the_article_in_effect():
    """RULES.md §7: an art. 15 row that started under leerplicht exempts from the first day of
    kwalificatieplicht (1 August 2024 for a child born 10 March 2008 who reached 16 in 2023/24);
    a 3a row starting the same day is vervangende leerplicht and names nothing."""
    world = two_organisations()
    child = pupil(world.school_a, birth_date=D(2008, 3, 10))
    ExemptionFactory(student=child, article="15", start_date=D(2024, 6, 3))
    ExemptionFactory(student=child, article="3a", start_date=D(2024, 8, 1))
    detection_run(on=ON)
    status = StudentStatus.objects.get(student=child)
    assert (status.category, status.since) == ("vrijgesteld", D(2024, 8, 1))
    assert status.explanation == (
        "Vrijgesteld sinds 1 augustus 2024 (artikel 15, Leerplichtwet 1969)"
    )


def test_the_first_run_under_new_rules_files_what_it_finds_in_earlier_school_years(upgraded_world):
    """A melding of an earlier school year that only the new rules find (a luxe absence of March
    2024) is filed as ``voor_regelwijziging`` with an event saying why; one of this school year
    stays open; after the upgrade run, an old melding is new information again and stays open."""
    w = upgraded_world
    AbsenceFactory(student=w.truant, start_date=D(2024, 3, 11), reason="luxe")  # 2023/24
    AbsenceFactory(student=w.quiet, start_date=D(2024, 10, 15), reason="luxe")  # 2024/25

    run = detection_run(on=ON)

    old = Melding.objects.get(student=w.truant, rule=RULE_LUXE_VERZUIM)
    assert (old.state, old.closing_reason) == (
        MeldingState.AFGESLOTEN,
        ClosingReason.VOOR_REGELWIJZIGING,
    )
    (event,) = MeldingEvent.objects.filter(melding=old)
    assert event.closing_reason == ClosingReason.VOOR_REGELWIJZIGING
    assert "nieuwe regels" in event.note
    current = Melding.objects.get(student=w.quiet, rule=RULE_LUXE_VERZUIM)
    assert (current.state, current.closing_reason) == (MeldingState.OPEN, "")
    assert run.counts["meldingen_filed_before_inbeeld"] == 1

    AbsenceFactory(student=w.quiet, start_date=D(2024, 3, 18), reason="luxe")  # found later
    detection_run(on=ON)
    later = Melding.objects.get(student=w.quiet, rule=RULE_LUXE_VERZUIM, end_date=D(2024, 3, 18))
    assert (later.state, later.closing_reason) == (MeldingState.OPEN, "")


def test_a_user_cannot_choose_a_system_closing_reason():
    from inbeeld.attendance.models import USER_CLOSING_REASONS

    chosen = {value for value, _label in USER_CLOSING_REASONS}
    assert ClosingReason.VOOR_INBEELD not in chosen
    assert ClosingReason.VOOR_REGELWIJZIGING not in chosen
    assert ClosingReason.TERUG_NAAR_SCHOOL in chosen


@pytest.mark.django_db
def test_a_five_year_olds_excused_11a_hours_stay_out_of_the_16_uur_explanation():
    """RULES.md §7: up to 10 hours of 11a in a lesweek are excused for a child younger than 6, in
    the melding and in its explanation alike (15 + 5 unexcused hours; the 11a day is not one)."""
    world = two_organisations()
    child = pupil(world.school_a, birth_date=D(2019, 5, 1))
    for day in (D(2024, 10, 7), D(2024, 10, 8), D(2024, 10, 9), D(2024, 10, 14)):
        AbsenceFactory(student=child, start_date=day, hours_per_day=Decimal("5"))
    AbsenceFactory(student=child, start_date=D(2024, 10, 10), reason="11a", hours_per_day=5)
    detection_run(on=ON)
    melding = Melding.objects.get(student=child, rule="16_uur")
    assert (melding.end_date, melding.hours) == (D(2024, 10, 14), Decimal("20.00"))
    assert melding.explanation == (
        "16 uur bereikt op 14 oktober (20 uur): 5 uur op 7, 8, 9 en 14 oktober"
    )
