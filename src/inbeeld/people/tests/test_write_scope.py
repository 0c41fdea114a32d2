"""Issue 9: the registry services decide need-to-know themselves. An acting organisation writes
only schools and children of its own scope; a child out of scope is "not found" (404), like the
selectors answer, so that a service never tells whether it exists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.people.models import Enrolment, Exemption, Involvement, School, Student
from inbeeld.people.selectors import NotInScopeError, student_for
from inbeeld.people.services import (
    exemption_register,
    involvement_record,
    may_manage_free_days,
    school_upsert,
    student_enrol,
    student_upsert,
)
from inbeeld.people.tests.factories import (
    EnrolmentFactory,
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    StudentFactory,
    actor_for,
)

START = dt.date(2024, 8, 1)


@pytest.fixture
def scopes(db):
    """Two municipalities, each with a gemeente, a school and a pupil; a samenwerkingsverband."""
    swv = OrganisationFactory(type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV2001")
    gemeente = OrganisationFactory(type=OrganisationType.GEMEENTE, code="GM0014")
    other_gemeente = OrganisationFactory(type=OrganisationType.GEMEENTE, code="GM0034")
    school = SchoolFactory(brin="12AB", municipality_code="GM0014", partnership=swv)
    other_school = SchoolFactory(brin="56EF", municipality_code="GM0034")
    own = StudentFactory(municipality_code="GM0014")
    EnrolmentFactory(student=own, school=school)
    other = StudentFactory(municipality_code="GM0034", given_names="Zoë")
    EnrolmentFactory(student=other, school=other_school)
    return {
        "swv": swv,
        "school": school,
        "other_school": other_school,
        "own": own,
        "other": other,
        "zorg": actor_for(
            MembershipFactory(organisation=school.organisation, role=Role.SCHOOL_ZORGCOORDINATOR)
        ),
        "leerplicht": actor_for(
            MembershipFactory(organisation=gemeente, role=Role.LEERPLICHTAMBTENAAR)
        ),
        "other_leerplicht": actor_for(
            MembershipFactory(organisation=other_gemeente, role=Role.LEERPLICHTAMBTENAAR)
        ),
        "swv_actor": actor_for(MembershipFactory(organisation=swv, role=Role.SWV_CONSULTANT)),
    }


# -- enrolments -------------------------------------------------------------------------------------


def test_a_school_enrols_its_own_pupil_at_its_own_school(scopes):
    enrolment = student_enrol(
        actor=scopes["zorg"], student=scopes["own"], school=scopes["school"], start_date=START
    )
    assert enrolment.school == scopes["school"]


def test_a_school_cannot_enrol_a_pupil_of_another_school(scopes):
    other = scopes["other"]
    with pytest.raises(NotInScopeError):
        student_enrol(
            actor=scopes["zorg"], student=other, school=scopes["school"], start_date=START
        )
    assert not Enrolment.objects.filter(student=other, school=scopes["school"]).exists()
    assert student_for(actor=scopes["zorg"], pk=other.pk) is None


def test_a_school_cannot_enrol_its_pupil_at_another_school(scopes):
    with pytest.raises(PermissionDenied):
        student_enrol(
            actor=scopes["zorg"],
            student=scopes["own"],
            school=scopes["other_school"],
            start_date=START,
        )


def test_a_school_in_the_case_team_enrols_the_pupil_that_comes_to_it(scopes):
    other = scopes["other"]
    Involvement.objects.create(
        student=other,
        organisation=scopes["school"].organisation,
        source=Involvement.Source.CASE_TEAM,
        source_id=1,
        since=dt.date(2024, 1, 1),
    )
    student_enrol(actor=scopes["zorg"], student=other, school=scopes["school"], start_date=START)
    assert Enrolment.objects.filter(student=other, school=scopes["school"]).exists()


# -- a child's registry data ------------------------------------------------------------------------


def test_a_school_updates_its_own_pupil(scopes):
    own = scopes["own"]
    student_upsert(
        actor=scopes["zorg"],
        external_id=own.external_id,
        birth_date=own.birth_date,
        municipality_code="GM0014",
        bsn=own.bsn,
        given_names="Anna",
    )
    own.refresh_from_db()
    assert own.given_names == "Anna"


def test_a_school_cannot_update_a_pupil_of_another_school(scopes):
    other = scopes["other"]
    with pytest.raises(NotInScopeError):
        student_upsert(
            actor=scopes["zorg"],
            external_id=other.external_id,
            birth_date=other.birth_date,
            municipality_code="GM0014",
        )
    stored = Student.objects.get(pk=other.pk)
    assert (stored.bsn, stored.municipality_code, stored.given_names) == (
        other.bsn,
        "GM0034",
        "Zoë",
    )


def test_the_system_itself_is_not_limited(scopes):
    other = scopes["other"]
    student_upsert(
        actor=None,
        external_id=other.external_id,
        birth_date=other.birth_date,
        municipality_code="GM0034",
        bsn=other.bsn,
        given_names="Zoey",
    )
    assert Student.objects.get(pk=other.pk).given_names == "Zoey"


# -- schools ----------------------------------------------------------------------------------------


def _school_values(school: School, **changes):
    values = {
        "brin": school.brin,
        "name": school.name,
        "sector": school.sector,
        "region": school.region,
        "municipality_code": school.municipality_code,
        "partnership_code": school.partnership.code if school.partnership else None,
    }
    return {**values, **changes}


def test_a_gemeente_cannot_move_another_gemeentes_school(scopes):
    other_school = scopes["other_school"]
    with pytest.raises(PermissionDenied):
        school_upsert(
            actor=scopes["leerplicht"], **_school_values(other_school, municipality_code="GM0014")
        )
    other_school.refresh_from_db()
    assert other_school.municipality_code == "GM0034"


def test_a_gemeente_keeps_its_own_schools(scopes):
    school = school_upsert(
        actor=scopes["leerplicht"], **_school_values(scopes["school"], name="De Linde")
    )
    assert school.name == "De Linde"


def test_a_samenwerkingsverband_cannot_claim_a_school(scopes):
    other_school = scopes["other_school"]
    with pytest.raises(PermissionDenied):
        school_upsert(
            actor=scopes["swv_actor"], **_school_values(other_school, partnership_code="SWV2001")
        )
    other_school.refresh_from_db()
    assert other_school.partnership is None


def test_a_samenwerkingsverband_keeps_its_member_schools(scopes):
    school = school_upsert(
        actor=scopes["swv_actor"], **_school_values(scopes["school"], name="De Linde (nieuw)")
    )
    assert school.name == "De Linde (nieuw)"


# -- exemptions and involvements -------------------------------------------------------------------


def test_an_exemption_only_for_a_child_the_gemeente_sees(scopes):
    exemption_register(
        actor=scopes["leerplicht"], student=scopes["own"], article="5a", start_date=START
    )
    with pytest.raises(NotInScopeError):
        exemption_register(
            actor=scopes["leerplicht"], student=scopes["other"], article="5a", start_date=START
        )
    assert list(Exemption.objects.values_list("student", flat=True)) == [scopes["own"].pk]


def test_nobody_gives_sight_of_a_child_they_do_not_see(scopes):
    ggd = OrganisationFactory(type=OrganisationType.GGD, code="GGD1")
    with pytest.raises(NotInScopeError):
        involvement_record(
            student=scopes["other"],
            organisation=ggd,
            source=Involvement.Source.CASE_TEAM,
            source_id=7,
            since=START,
            actor=scopes["zorg"],
        )
    assert not Involvement.objects.exists()
    involvement_record(
        student=scopes["own"],
        organisation=ggd,
        source=Involvement.Source.CASE_TEAM,
        source_id=8,
        since=START,
        actor=scopes["zorg"],
    )
    assert Involvement.objects.get().student == scopes["own"]


# -- a school's own free days ----------------------------------------------------------------------


def test_a_school_keeps_the_free_days_of_its_locations_only(scopes):
    manager = actor_for(
        MembershipFactory(
            organisation=scopes["school"].organisation, role=Role.FUNCTIONEEL_BEHEERDER
        )
    )
    location = SchoolFactory(brin="12AB01", municipality_code="GM0014")
    assert may_manage_free_days(actor=manager, school=scopes["school"])
    assert may_manage_free_days(actor=manager, school=location)
    assert not may_manage_free_days(actor=manager, school=scopes["other_school"])
