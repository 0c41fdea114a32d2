"""Detection over the database: explanations, routing, idempotency (issue 3 §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.explanations import days_text, hours_text, period_name
from inbeeld.attendance.facts import dataset_from_database
from inbeeld.attendance.models import DetectionRun, Melding, StudentStatus
from inbeeld.attendance.tests.factories import (
    ON,
    AbsenceFactory,
    EnrolmentFactory,
    ExemptionFactory,
    SchoolFactory,
    StudentFactory,
    pupil,
    truant,
    two_organisations,
)
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.people.models import SchoolFreePeriod
from inbeeld.rules.engine import analyse, calendar_for
from inbeeld.rules.model import SCHEMAS
from inbeeld.rules.reference import analyse_student

D = dt.date


def test_dutch_formatting():
    assert days_text([D(2024, 10, 7), D(2024, 11, 4), D(2024, 10, 14), D(2024, 10, 28)]) == (
        "7, 14 en 28 oktober en 4 november"
    )
    assert days_text([D(2024, 9, 30), D(2024, 10, 7), D(2024, 11, 4)]) == (
        "30 september, 7 oktober en 4 november"
    )
    assert hours_text(4.0) == "4"
    assert hours_text(4.5) == "4,5"
    assert period_name("herfstvakantie 2024") == "de herfstvakantie"
    assert period_name("Tweede Kerstdag") == "Tweede Kerstdag"


@pytest.mark.django_db
def test_dataset_follows_the_schemas_and_the_calendar_table():
    world = two_organisations()
    student = pupil(world.school_a)
    truant(student)
    ExemptionFactory(student=StudentFactory(), article="5a")
    SchoolFreePeriod.objects.create(
        region="noord", start_date=D(2024, 10, 19), end_date=D(2024, 10, 27), name="herfst"
    )
    SchoolFreePeriod.objects.create(
        school=world.school_a, start_date=D(2024, 12, 2), end_date=D(2024, 12, 2), name="studiedag"
    )
    dataset = dataset_from_database()
    for name in ("schools", "students", "enrolments", "absences", "exemptions"):
        assert dict(getattr(dataset, name).schema) == SCHEMAS[name], name
    assert dict(dataset.calendar.schema) == SCHEMAS["calendar"]
    # the school's own day is rules input: the school gets a calendar of its own (RULES.md §1)
    assert dataset.calendar.height == 2
    assert dataset.calendar.filter(name="studiedag")["region"].item() == "zuid+11AA"
    assert dataset.schools.filter(brin="11AA")["region"].item() == "zuid+11AA"
    assert dataset.absences["hours_per_day"].to_list() == [4.0] * 4
    assert dataset.students["student_id"].to_list()[0] == str(student.pk)
    assert dataset.schools.filter(brin="11AA")["hours_per_day"].item() == 5.0


@pytest.mark.django_db
def test_engine_over_the_database_matches_the_reference():
    world = two_organisations()
    truant(pupil(world.school_a))
    sick = pupil(world.school_b)
    AbsenceFactory(student=sick, start_date=D(2024, 9, 2), end_date=D(2024, 9, 13), reason="ziek")
    dataset = dataset_from_database()
    calendar = calendar_for(dataset)
    bulk = analyse(dataset, ON, calendar).meldingen
    schools = dataset.schools_by_brin()
    reference = [
        (m.student_id, m.rule, m.start_date, m.end_date)
        for record in dataset.student_records()
        for m in analyse_student(record, schools, calendar, ON).meldingen
    ]
    assert sorted(bulk.select("student_id", "rule", "start_date", "end_date").rows()) == sorted(
        reference
    )


@pytest.mark.django_db
def test_16_uur_explained_with_the_skipped_vacation():
    """A zuid school, 4 hours on 7, 14 and 28 October and 4 November 2024 (herfstvakantie zuid:
    19–27 October): the melding falls on 4 November and names the vacation."""
    world = two_organisations()
    student = pupil(world.school_a)
    truant(student)
    detection_run(on=ON)
    melding = Melding.objects.get(student=student, rule="16_uur")
    assert (melding.start_date, melding.end_date, melding.hours) == (
        D(2024, 10, 7),
        D(2024, 11, 4),
        Decimal("16.00"),
    )
    assert melding.explanation == (
        "16 uur bereikt op 4 november: 4 uur op 7, 14 en 28 oktober en 4 november; "
        "de herfstvakantie telt niet mee"
    )
    assert melding.school == world.school_a


@pytest.mark.django_db
def test_new_meldingen_are_routed_to_who_must_act():
    world = two_organisations()
    away = truant(pupil(world.school_a))
    sick = pupil(world.school_a)
    AbsenceFactory(student=sick, start_date=D(2024, 9, 2), end_date=D(2024, 9, 13), reason="ziek")
    # lives in gemeente B, goes to school in A: leerplicht of B and school A act on the 16_uur
    commuter = pupil(world.school_a, municipality_code="GM0002")
    truant(commuter)
    at_home = StudentFactory(municipality_code="GM0002", birth_date=D(2014, 3, 10))
    detection_run(on=ON)

    def orgs(student, rule):
        melding = Melding.objects.get(student=student, rule=rule)
        return set(melding.organisations.all())

    assert orgs(away, "16_uur") == {world.gemeente_a, world.school_a.organisation}
    assert orgs(commuter, "16_uur") == {world.gemeente_b, world.school_a.organisation}
    assert orgs(sick, "mazl_7_dagen") == {world.school_a.organisation}
    assert orgs(at_home, "absoluut_verzuim") == {world.gemeente_b}
    status = StudentStatus.objects.get(student=at_home)
    assert status.category == "absoluut_verzuim"
    assert status.explanation.startswith("Sinds 1 april 2019 niet ingeschreven op een school")
    assert status.school_days_at_home > 1000
    assert status.over_3_months


@pytest.mark.django_db
def test_lrv_status_and_melding():
    world = two_organisations()
    student = pupil(world.school_a)
    AbsenceFactory(student=student, start_date=D(2024, 9, 2), end_date=D(2024, 11, 8))
    detection_run(on=ON)
    status = StudentStatus.objects.get(student=student)
    assert status.category == "langdurig_relatief_verzuim"
    assert status.since == D(2024, 9, 2)
    assert "ongeoorloofd afwezig sinds 2 september 2024" in status.explanation
    lrv = Melding.objects.get(student=student, rule="lrv")
    assert lrv.explanation.startswith("20 schooldagen achter elkaar de hele dag ongeoorloofd")
    assert set(lrv.organisations.all()) == {world.gemeente_a, world.school_a.organisation}


@pytest.mark.django_db
def test_running_again_on_the_same_data_changes_nothing():
    world = two_organisations()
    student = pupil(world.school_a)
    truant(student)
    StudentFactory(municipality_code="GM0001")
    first = detection_run(on=ON)
    assert first.counts["meldingen_new"] == 2  # 16_uur and absoluut_verzuim
    statuses = list(StudentStatus.objects.values())
    meldingen = list(Melding.objects.values())
    links = list(Melding.organisations.through.objects.values_list("melding_id", "organisation_id"))

    second = detection_run(on=ON)
    assert second.counts["meldingen_new"] == 0
    assert second.counts["statuses_changed"] == 0
    assert list(StudentStatus.objects.values()) == statuses
    assert list(Melding.objects.values()) == meldingen
    assert sorted(
        Melding.organisations.through.objects.values_list("melding_id", "organisation_id")
    ) == sorted(links)
    assert DetectionRun.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.DETECT).count() == 2


@pytest.mark.django_db
def test_a_changed_status_is_replaced_and_handled_meldingen_are_kept():
    world = two_organisations()
    student = pupil(world.school_a)
    truant(student)
    other = pupil(world.school_a)
    detection_run(on=ON)
    melding = Melding.objects.get(student=student)
    Melding.objects.filter(pk=melding.pk).update(state="in_behandeling")
    untouched = StudentStatus.objects.get(student=other)

    student.enrolments.update(end_date=D(2024, 11, 15))  # leaves school
    run = detection_run(on=D(2024, 11, 20))
    status = StudentStatus.objects.get(student=student)
    assert status.category == "absoluut_verzuim"
    assert status.run == run
    assert StudentStatus.objects.get(student=other).run_id == untouched.run_id
    melding.refresh_from_db()
    assert melding.state == "in_behandeling"
    assert Melding.objects.filter(student=student, rule="absoluut_verzuim").count() == 1


@pytest.mark.django_db
def test_detect_command():
    world = two_organisations()
    truant(pupil(world.school_a))
    SchoolFactory(brin="33CC")
    EnrolmentFactory()
    out = StringIO()
    call_command("detect", "--on", "2024-11-08", "--quiet", stdout=out)
    assert "Detectie op 2024-11-08" in out.getvalue()
    assert "1 nieuwe meldingen" in out.getvalue()


@pytest.mark.django_db
def test_the_first_run_files_earlier_years_but_keeps_what_is_still_going_on():
    """History from before Inbeeld: a 16_uur of last school year is filed as handled before
    Inbeeld; this year's melding, and the lrv of a run still going on since last year, stay open.
    A later run keeps even an old melding open: it is new information."""
    from inbeeld.attendance.models import ClosingReason, MeldingEvent

    world = two_organisations()
    last_year = pupil(world.school_a)
    for day in (D(2024, 3, 4), D(2024, 3, 11), D(2024, 3, 18), D(2024, 3, 25)):
        AbsenceFactory(student=last_year, start_date=day, hours_per_day=Decimal("4"))
    this_year = pupil(world.school_a)
    truant(this_year)
    still_at_home = pupil(world.school_a)
    AbsenceFactory(student=still_at_home, start_date=D(2024, 5, 13), end_date=ON)

    run = detection_run(on=ON)

    old = Melding.objects.get(student=last_year, rule="16_uur")
    assert (old.state, old.closing_reason) == ("afgesloten", ClosingReason.VOOR_INBEELD)
    (event,) = MeldingEvent.objects.filter(melding=old)
    assert event.closing_reason == ClosingReason.VOOR_INBEELD
    assert "eerste detectie" in event.note
    assert Melding.objects.get(student=this_year, rule="16_uur").state == "open"
    lrv = Melding.objects.get(student=still_at_home, rule="lrv")
    assert lrv.end_date < D(2024, 8, 1)
    assert lrv.state == "open"
    assert (
        run.counts["meldingen_filed_before_inbeeld"]
        == Melding.objects.filter(closing_reason=ClosingReason.VOOR_INBEELD).count()
    )

    late = pupil(world.school_b)  # last year's absences imported after the first run
    for day in (D(2024, 3, 4), D(2024, 3, 11), D(2024, 3, 18), D(2024, 3, 25)):
        AbsenceFactory(student=late, start_date=day, hours_per_day=Decimal("4"))
    detection_run(on=ON)
    assert Melding.objects.get(student=late, rule="16_uur").state == "open"
