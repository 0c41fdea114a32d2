"""Registry services: upserts by natural key, validation, audit events, free-day rights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inbeeld.accounts.models import Organisation, OrganisationType, Role
from inbeeld.audit.models import AuditEvent
from inbeeld.people.models import Enrolment, Exemption, School, SchoolFreePeriod, Student
from inbeeld.people.services import (
    exemption_register,
    school_calendar_import,
    school_free_period_add,
    school_free_period_remove,
    school_upsert,
    student_enrol,
    student_upsert,
)
from inbeeld.people.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    StudentFactory,
    actor_for,
    valid_bsn,
)
from inbeeld.rules.exchange import ExchangeError


@pytest.fixture
def gemeente_actor():
    organisation = OrganisationFactory(type=OrganisationType.GEMEENTE, code="GM0014")
    return actor_for(MembershipFactory(organisation=organisation, role=Role.FUNCTIONEEL_BEHEERDER))


def _school_actor(school, role=Role.SCHOOL_ZORGCOORDINATOR):
    return actor_for(MembershipFactory(organisation=school.organisation, role=role))


#: a school of the gemeente GM0014, as the registry's import sends it
DE_LINDE = {
    "brin": "12AB",
    "name": "De Linde",
    "sector": "po",
    "region": "noord",
    "municipality_code": "GM0014",
}
#: a child living in GM0014, as the registry's import sends it
S1 = {"external_id": "S1", "birth_date": dt.date(2012, 1, 1), "municipality_code": "GM0014"}


@pytest.mark.django_db
def test_school_upsert_creates_school_its_organisation_and_partnership(gemeente_actor):
    school = school_upsert(actor=gemeente_actor, **DE_LINDE, partnership_code="SWV2001")
    assert school.organisation.type == OrganisationType.SCHOOL
    assert school.organisation.code == "12AB"
    assert school.partnership.type == OrganisationType.SAMENWERKINGSVERBAND
    assert school.partnership.code == "SWV2001"
    again = school_upsert(
        actor=gemeente_actor, **DE_LINDE, hours_per_day=5.5, partnership_code="SWV2001"
    )
    assert again.pk == school.pk
    assert School.objects.get().hours_per_day == Decimal("5.50")
    assert Organisation.objects.filter(type=OrganisationType.SCHOOL).count() == 1
    assert AuditEvent.objects.filter(object_type="people.School").count() == 2


@pytest.mark.django_db
def test_school_upsert_refuses_a_malformed_brin(gemeente_actor):
    with pytest.raises(ValidationError):
        school_upsert(actor=gemeente_actor, **{**DE_LINDE, "brin": "1AB", "name": "X"})
    assert not School.objects.exists()


@pytest.mark.django_db
def test_student_upsert_validates_bsn_and_updates_by_student_id(gemeente_actor):
    with pytest.raises(ValidationError):
        student_upsert(actor=gemeente_actor, **S1, bsn="123456789")
    student = student_upsert(actor=gemeente_actor, **S1, bsn=valid_bsn(1), postcode="9711 ab")
    assert student.postcode == "9711AB"
    same = student_upsert(actor=gemeente_actor, **S1, bsn=valid_bsn(1), postcode="9711AB")
    assert same.pk == student.pk
    assert Student.objects.count() == 1
    events = AuditEvent.objects.filter(student=student)
    assert events.count() == 1  # unchanged the second time: no event


@pytest.mark.django_db
def test_student_enrol_is_idempotent_and_a_new_end_date_updates(gemeente_actor):
    enrol = partial(
        student_enrol, actor=gemeente_actor, student=StudentFactory(), school=SchoolFactory()
    )
    first = enrol(start_date=dt.date(2024, 8, 1))
    enrol(start_date=dt.date(2024, 8, 1))
    assert Enrolment.objects.count() == 1
    enrol(start_date=dt.date(2024, 8, 1), end_date=dt.date(2025, 7, 31))
    first.refresh_from_db()
    assert first.end_date == dt.date(2025, 7, 31)
    with pytest.raises(ValidationError):
        enrol(start_date=dt.date(2025, 8, 1), end_date=dt.date(2025, 7, 1))


@pytest.mark.django_db
def test_exemption_register_by_natural_key(gemeente_actor):
    student = StudentFactory()
    exemption_register(
        actor=gemeente_actor, student=student, article="5a", start_date=dt.date(2024, 1, 1)
    )
    exemption_register(
        actor=gemeente_actor,
        student=student,
        article="5a",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
    )
    assert Exemption.objects.get().end_date == dt.date(2024, 12, 31)
    with pytest.raises(ValidationError):
        exemption_register(
            actor=gemeente_actor, student=student, article="99", start_date=dt.date(2024, 1, 1)
        )


@pytest.mark.django_db
def test_free_days_only_by_the_schools_own_people():
    school, other = SchoolFactory(), SchoolFactory()
    own = _school_actor(school)
    period = school_free_period_add(
        actor=own, school=school, start_date=dt.date(2025, 4, 18), end_date=dt.date(2025, 4, 18)
    )
    assert period.school == school
    # the same period again is not added twice
    school_free_period_add(
        actor=own, school=school, start_date=dt.date(2025, 4, 18), end_date=dt.date(2025, 4, 18)
    )
    assert SchoolFreePeriod.objects.count() == 1
    leerplicht = actor_for(
        MembershipFactory(
            organisation=OrganisationFactory(type=OrganisationType.GEMEENTE, code="GM0014"),
            role=Role.LEERPLICHTAMBTENAAR,
        )
    )
    for not_the_schools in (_school_actor(other), leerplicht):
        with pytest.raises(PermissionDenied):
            school_free_period_add(
                actor=not_the_schools,
                school=school,
                start_date=dt.date(2025, 4, 18),
                end_date=dt.date(2025, 4, 18),
            )
    with pytest.raises(PermissionDenied):
        school_free_period_remove(actor=_school_actor(other), period=period)
    school_free_period_remove(actor=own, period=period)
    assert not SchoolFreePeriod.objects.exists()


@pytest.mark.django_db
def test_free_days_end_before_start_refused():
    school = SchoolFactory()
    with pytest.raises(ValidationError):
        school_free_period_add(
            actor=_school_actor(school, Role.FUNCTIONEEL_BEHEERDER),
            school=school,
            start_date=dt.date(2025, 4, 18),
            end_date=dt.date(2025, 4, 17),
        )


@pytest.mark.django_db
def test_school_calendar_import_all_or_nothing(tmp_path):
    school = SchoolFactory(region="noord")
    actor = _school_actor(school)
    path = tmp_path / "calendar.csv"
    path.write_text(
        "start_date,end_date,name\n2025-03-14,2025-03-14,Studiedag\n2025-04-18,2025-04-18,\n"
    )
    counts = school_calendar_import(actor=actor, school=school, path=path)
    assert counts == {"read": 2, "created": 2, "updated": 0, "unchanged": 0}
    counts = school_calendar_import(actor=actor, school=school, path=path)
    assert counts["unchanged"] == 2
    bad = tmp_path / "bad" / "calendar.csv"
    bad.parent.mkdir()
    bad.write_text(
        "region,start_date,end_date\nnoord,2025-05-01,2025-05-01\nzuid,2025-06-01,2025-06-01\n"
        "noord,2025-13-01,2025-13-01\nnoord,2025-07-02,2025-07-01\n"
    )
    with pytest.raises(ExchangeError) as caught:
        school_calendar_import(actor=actor, school=school, path=bad)
    where = {(p.line, p.column) for p in caught.value.problems}
    assert {(3, "region"), (4, "start_date"), (5, "end_date")} <= where
    assert SchoolFreePeriod.objects.count() == 2
