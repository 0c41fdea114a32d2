"""Issue 12 §2, routing that reaches the right professional: MAZL meldingen to the school and the
GGD of the school's region (which sees that child only while the melding is open), long sickness
to the samenwerkingsverband, and the consultation list of the jeugdarts and leerplicht. Detection
runs on the frozen day ``ON`` (Friday 8 November 2024)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.regions import ggd_by_municipality, ggd_of_municipality, region_codes
from inbeeld.attendance import services
from inbeeld.attendance.consultation import consultation_rows, consultation_students
from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import Melding, MeldingState
from inbeeld.attendance.selectors import (
    caseload_for,
    meldingen_for_information,
    meldingen_to_do_for,
    open_meldingen_for,
)
from inbeeld.attendance.tests.factories import (
    ON,
    AbsenceFactory,
    OrganisationFactory,
    actor_for,
    consultant_of_partnership,
    jeugdarts_of_ggd,
    log_in,
    pupil,
    truant,
)
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.people.models import Involvement
from inbeeld.people.selectors import students_visible_to
from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK

D = dt.date
pytestmark = pytest.mark.django_db


def sick(student, start: dt.date, end: dt.date):
    AbsenceFactory(student=student, start_date=start, end_date=end, reason="ziek")
    return student


@pytest.fixture
def ggds(world):
    """GGD A serves gemeente A (its own code); GGD B sits elsewhere and serves gemeente B through
    its region list; each has a jeugdarts."""
    world.jeugdarts_a = jeugdarts_of_ggd("GGD-A", "GM0001")
    world.jeugdarts_b = jeugdarts_of_ggd(
        "GGD-B", "GM0099", region_municipality_codes="gm0098, GM0002"
    )
    world.ggd_a = world.jeugdarts_a.organisation
    world.ggd_b = world.jeugdarts_b.organisation
    return world


def test_a_ggds_region_is_its_own_gemeente_and_its_list(ggds):
    assert region_codes(ggds.ggd_b) == ["GM0099", "GM0098", "GM0002"]
    # a gemeente in two regions belongs to the GGD created first
    OrganisationFactory(
        type=OrganisationType.GGD, code="GGD-C", municipality_code="GM0002", name="GGD C"
    )
    assert ggd_by_municipality()["GM0002"] == ggds.ggd_b.pk
    assert ggd_of_municipality("GM0001") == ggds.ggd_a
    assert ggd_of_municipality("GM0777") is None


def test_mazl_goes_to_the_school_and_the_ggd_of_the_schools_region(ggds):
    w = ggds
    at_a = sick(pupil(w.school_a), D(2024, 9, 2), D(2024, 9, 13))
    at_b = sick(pupil(w.school_b), D(2024, 9, 2), D(2024, 9, 13))
    # lives in gemeente B, school in A: the GGD of the school's region
    commuter = sick(pupil(w.school_a, municipality_code="GM0002"), D(2024, 9, 2), D(2024, 9, 13))
    truant(w.child)
    assert detection_run(on=ON).counts["ggd_sight_given"] == 3

    def orgs(student, rule="mazl_7_dagen"):
        return set(Melding.objects.get(student=student, rule=rule).organisations.all())

    assert orgs(at_a) == {w.school_a.organisation, w.ggd_a}
    assert orgs(at_b) == {w.school_b.organisation, w.ggd_b}
    assert orgs(commuter) == {w.school_a.organisation, w.ggd_a}
    # the 16_uur melding goes where it went (no GGD)
    assert orgs(w.child, "16_uur") == {w.gemeente_a, w.school_a.organisation}
    sight = Involvement.objects.filter(source=Involvement.Source.MELDING)
    assert {(i.student_id, i.organisation_id) for i in sight} == {
        (at_a.pk, w.ggd_a.pk),
        (at_b.pk, w.ggd_b.pk),
        (commuter.pk, w.ggd_a.pk),
    }
    melding = Melding.objects.get(student=at_a)
    involvement = sight.get(student=at_a)
    assert (involvement.source_id, involvement.since, involvement.until) == (
        melding.pk,
        melding.end_date,
        None,
    )
    # a second run adds nothing (natural key of the melding, its involvement once)
    count = sight.count()
    assert detection_run(on=ON).counts["ggd_sight_given"] == 0
    assert sight.count() == count
    assert Melding.objects.filter(rule="mazl_7_dagen").count() == 3


def test_the_ggd_sees_the_child_of_its_mazl_melding_only_while_it_is_open(ggds):
    w = ggds
    child = sick(pupil(w.school_a), D(2024, 9, 2), D(2024, 9, 13))
    other = truant(pupil(w.school_a))
    detection_run(on=ON)
    jeugdarts = actor_for(w.jeugdarts_a)
    assert set(students_visible_to(actor=jeugdarts)) == {child}
    assert other not in students_visible_to(actor=jeugdarts)
    assert not students_visible_to(actor=actor_for(w.jeugdarts_b)).exists()
    melding = Melding.objects.get(student=child, rule="mazl_7_dagen")
    assert list(open_meldingen_for(actor=jeugdarts)) == [melding]
    # for information (on Vandaag: today/tests/test_routed_meldingen.py)
    assert list(meldingen_for_information(actor=jeugdarts)) == [melding]
    # the jeugdarts cannot close it; the school does, and the GGD's sight ends at once
    assert services.available_moves(jeugdarts, melding) == frozenset()
    services.melding_close(
        actor=actor_for(w.school_staff_a), melding_id=melding.pk, closing_reason="geen_verzuim"
    )
    assert not students_visible_to(actor=jeugdarts).exists()
    assert not open_meldingen_for(actor=jeugdarts).exists()
    assert Involvement.objects.get(source=Involvement.Source.MELDING).until == (
        timezone.localdate() - dt.timedelta(days=1)
    )


def test_a_mazl_melding_of_an_earlier_school_year_filed_closed_gives_no_sight(ggds):
    w = ggds
    sick(pupil(w.school_a), D(2023, 9, 4), D(2023, 9, 15))
    detection_run(on=ON)  # the first run files last school year's meldingen
    melding = Melding.objects.get(rule="mazl_7_dagen")
    assert melding.state == MeldingState.AFGESLOTEN
    assert not Involvement.objects.filter(source=Involvement.Source.MELDING).exists()
    assert not students_visible_to(actor=actor_for(w.jeugdarts_a)).exists()


@pytest.fixture
def swv_world(ggds):
    w = ggds
    w.consultant = consultant_of_partnership(w.school_a, "SWV9001")
    w.swv = w.consultant.organisation
    return w


def test_long_sickness_is_reported_to_the_samenwerkingsverband(swv_world):
    w = swv_world
    long_sick = sick(pupil(w.school_a), D(2024, 9, 2), D(2024, 9, 27))  # 20 school days
    short = sick(pupil(w.school_a), D(2024, 9, 2), D(2024, 9, 26))  # 19
    detection_run(on=ON)
    report = Melding.objects.get(rule=REPORT_LANGDURIG_ZIEK)
    assert (report.student, report.start_date, report.end_date) == (
        long_sick,
        D(2024, 9, 2),
        D(2024, 9, 27),
    )
    assert set(report.organisations.all()) == {w.swv}
    assert "20 schooldagen achter elkaar ziek" in report.explanation
    assert "samenwerkingsverband" in report.explanation
    assert not Melding.objects.filter(student=short, rule=REPORT_LANGDURIG_ZIEK).exists()
    # the MAZL melding of the same spell goes to the school and the GGD, not to the SWV
    assert set(Melding.objects.get(student=long_sick, rule="mazl_7_dagen").organisations.all()) == {
        w.school_a.organisation,
        w.ggd_a,
    }
    # idempotent over runs, also on a later day
    detection_run(on=ON)
    detection_run(on=ON + dt.timedelta(days=7))
    assert Melding.objects.filter(rule=REPORT_LANGDURIG_ZIEK).count() == 1
    # on the SWV's worklist and Vandaag; the consultant takes note of it
    consultant = actor_for(w.consultant)
    assert list(open_meldingen_for(actor=consultant)) == [report]
    assert list(meldingen_for_information(actor=consultant)) == [report]
    assert services.available_moves(consultant, report) == {MeldingState.TER_KENNISNEMING}
    services.melding_acknowledge(actor=consultant, melding_id=report.pk, note="besproken")
    report.refresh_from_db()
    assert report.state == MeldingState.TER_KENNISNEMING
    assert not open_meldingen_for(actor=consultant).exists()
    # a verzuimmelding stays for those who handle meldingen
    mazl = Melding.objects.get(student=long_sick, rule="mazl_7_dagen")
    assert services.move_refusal(consultant, mazl, MeldingState.TER_KENNISNEMING)


def test_a_report_of_long_sickness_awaits_no_handling(swv_world):
    """For information only: on the worklist of whoever it is routed to, never among the meldingen
    to handle (Vandaag's to-do with its deadline, the caseload), even where people handle
    meldingen."""
    w = swv_world
    sick(pupil(w.school_a), D(2024, 9, 2), D(2024, 9, 27))
    detection_run(on=ON)
    report = Melding.objects.get(rule=REPORT_LANGDURIG_ZIEK)
    report.organisations.add(w.gemeente_a)
    leerplicht = actor_for(w.leerplicht_a)
    assert report in open_meldingen_for(actor=leerplicht)
    assert report not in meldingen_to_do_for(actor=leerplicht)
    assert sum(row.total for row in caseload_for(actor=leerplicht)) == 0
    assert Melding.objects.filter(pk=report.pk).awaiting_handling().count() == 0


def test_the_consultation_list_holds_the_children_both_are_involved_with(ggds, client):
    w = ggds
    mazl_child = sick(pupil(w.school_a, family_name="Ziek"), D(2024, 9, 2), D(2024, 9, 13))
    truant(w.child)  # a 16_uur melding for leerplicht only: not on the list
    detection_run(on=ON)
    jeugdarts, leerplicht = actor_for(w.jeugdarts_a), actor_for(w.leerplicht_a)
    assert list(consultation_students(actor=jeugdarts)) == [mazl_child]
    assert list(consultation_students(actor=leerplicht)) == [mazl_child]
    # gemeente B and GGD B have nobody on it; a school has no list
    assert not consultation_students(actor=actor_for(w.leerplicht_b)).exists()
    assert not consultation_students(actor=actor_for(w.jeugdarts_b)).exists()
    assert not consultation_students(actor=actor_for(w.school_staff_a)).exists()
    rows = consultation_rows(actor=leerplicht)
    assert rows[0].school == w.school_a.name
    assert any("MAZL" in reason for reason in rows[0].reasons)
    # the page, audited per child shown
    log_in(client, w.jeugdarts_a)
    response = client.get(reverse("attendance:consultation"))
    assert response.status_code == 200
    assert "Ziek" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, student=mazl_child, user=w.jeugdarts_a.user
    ).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, student=w.child).exists()
    # Vandaag links to it; the school is refused the page
    assert reverse("attendance:consultation") in client.get(reverse("today:index")).content.decode()
    client.logout()
    log_in(client, w.school_staff_a)
    assert client.get(reverse("attendance:consultation")).status_code == 403
    # once the melding is handled, the child leaves both lists
    services.melding_close(
        actor=actor_for(w.school_staff_a),
        melding_id=Melding.objects.get(student=mazl_child, rule="mazl_7_dagen").pk,
        closing_reason="geen_verzuim",
    )
    assert not consultation_students(actor=jeugdarts).exists()
    assert not consultation_students(actor=leerplicht).exists()


def test_the_samenwerkingsverband_takes_note_of_long_sickness_on_the_melding_page(
    swv_world, client
):
    w = swv_world
    sick(pupil(w.school_a), D(2024, 9, 2), D(2024, 9, 27))
    detection_run(on=ON)
    report = Melding.objects.get(rule=REPORT_LANGDURIG_ZIEK)
    mazl = Melding.objects.get(rule="mazl_7_dagen")
    log_in(client, w.consultant)
    url = reverse("attendance:melding_transition", args=[report.pk])
    assert "Ter kennisneming aannemen" in client.get(url).content.decode()
    # neither another move of the report, nor a melding not routed to the SWV
    assert client.post(url, {"naar": "in_behandeling"}).status_code == 403
    mazl_url = reverse("attendance:melding_transition", args=[mazl.pk])
    assert client.post(mazl_url, {"naar": "ter_kennisneming"}).status_code == 404
    assert client.post(url, {"naar": "ter_kennisneming"}).status_code == 302
    report.refresh_from_db()
    assert report.state == MeldingState.TER_KENNISNEMING
    assert report.events.get().organisation == w.swv
