"""Need-to-know: every organisation type, two organisations each, neither sees the other's children."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.people.selectors import (
    school_free_periods_of,
    school_of,
    schools_visible_to,
    student_for,
    students_visible_to,
)
from inbeeld.people.tests.factories import (
    EnrolmentFactory,
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    SchoolFreePeriodFactory,
    StudentFactory,
    actor_for,
)

TODAY = dt.date(2025, 3, 3)


def _actor(kind: str, code: str, role: str, **extra):
    organisation = OrganisationFactory(type=kind, code=code, name=f"{kind} {code}", **extra)
    return actor_for(MembershipFactory(organisation=organisation, role=role))


@pytest.fixture
def world():
    """Two of everything: gemeenten GM0014/GM0034, partnerships, one school and child in each."""
    swv_a = OrganisationFactory(type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV1")
    swv_b = OrganisationFactory(type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV2")
    school_a = SchoolFactory(brin="11AA", municipality_code="GM0014", partnership=swv_a)
    school_b = SchoolFactory(brin="22BB", municipality_code="GM0034", partnership=swv_b)
    child_a = StudentFactory(municipality_code="GM0014")
    child_b = StudentFactory(municipality_code="GM0034")
    EnrolmentFactory(student=child_a, school=school_a, start_date=dt.date(2020, 8, 1))
    EnrolmentFactory(student=child_b, school=school_b, start_date=dt.date(2020, 8, 1))
    return {
        "schools": (school_a, school_b),
        "children": (child_a, child_b),
        "partnerships": (swv_a, swv_b),
    }


def _visible(actor) -> set[int]:
    return set(students_visible_to(actor=actor, on=TODAY).values_list("pk", flat=True))


@pytest.mark.django_db
def test_each_school_sees_only_its_own_pupils(world):
    school_a, school_b = world["schools"]
    child_a, child_b = world["children"]
    actor_a = actor_for(
        MembershipFactory(organisation=school_a.organisation, role=Role.SCHOOL_ZORGCOORDINATOR)
    )
    actor_b = actor_for(
        MembershipFactory(organisation=school_b.organisation, role=Role.SCHOOL_ZORGCOORDINATOR)
    )
    assert _visible(actor_a) == {child_a.pk}
    assert _visible(actor_b) == {child_b.pk}
    assert list(schools_visible_to(actor=actor_a)) == [school_a]
    assert list(schools_visible_to(actor=actor_b)) == [school_b]


@pytest.mark.django_db
def test_a_school_no_longer_sees_a_pupil_who_left(world):
    school_a, _ = world["schools"]
    child_a, _ = world["children"]
    enrolment = child_a.enrolments.get()
    enrolment.end_date = dt.date(2025, 1, 31)
    enrolment.save()
    actor = actor_for(
        MembershipFactory(organisation=school_a.organisation, role=Role.SCHOOL_ZORGCOORDINATOR)
    )
    assert _visible(actor) == set()


@pytest.mark.django_db
def test_each_gemeente_sees_only_its_own_children_and_schools(world):
    child_a, child_b = world["children"]
    school_a, school_b = world["schools"]
    leerplicht_a = _actor(OrganisationType.GEMEENTE, "GM0014", Role.LEERPLICHTAMBTENAAR)
    leerplicht_b = _actor(OrganisationType.GEMEENTE, "GM0034", Role.LEERPLICHTAMBTENAAR)
    assert _visible(leerplicht_a) == {child_a.pk}
    assert _visible(leerplicht_b) == {child_b.pk}
    assert list(schools_visible_to(actor=leerplicht_a)) == [school_a]
    assert list(schools_visible_to(actor=leerplicht_b)) == [school_b]


@pytest.mark.django_db
def test_a_gemeente_sees_a_child_living_elsewhere_enrolled_at_its_school(world):
    school_a, _ = world["schools"]
    _, child_b = world["children"]
    EnrolmentFactory(student=child_b, school=school_a, start_date=dt.date(2024, 8, 1))
    leerplicht_a = _actor(OrganisationType.GEMEENTE, "GM0014", Role.LEERPLICHTAMBTENAAR)
    assert child_b.pk in _visible(leerplicht_a)


@pytest.mark.django_db
def test_each_samenwerkingsverband_sees_only_its_member_schools_pupils(world):
    swv_a, swv_b = world["partnerships"]
    child_a, child_b = world["children"]
    school_a, school_b = world["schools"]
    consultant_a = actor_for(MembershipFactory(organisation=swv_a, role=Role.SWV_CONSULTANT))
    consultant_b = actor_for(MembershipFactory(organisation=swv_b, role=Role.SWV_CONSULTANT))
    assert _visible(consultant_a) == {child_a.pk}
    assert _visible(consultant_b) == {child_b.pk}
    assert list(schools_visible_to(actor=consultant_a)) == [school_a]
    assert list(schools_visible_to(actor=consultant_b)) == [school_b]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrganisationType.GGD, Role.JEUGDARTS),
        (OrganisationType.WIJKTEAM, Role.WIJKTEAM_MEDEWERKER),
    ],
)
def test_ggd_and_wijkteam_see_no_child_without_a_case(world, kind, role):
    first = _actor(kind, f"{kind}-1", role, municipality_code="GM0014")
    second = _actor(kind, f"{kind}-2", role, municipality_code="GM0034")
    assert _visible(first) == set()
    assert _visible(second) == set()
    assert not schools_visible_to(actor=first).exists()


@pytest.mark.django_db
def test_a_beleidsmedewerker_sees_figures_never_a_child(world):
    child_a, _ = world["children"]
    beleid = _actor(OrganisationType.GEMEENTE, "GM0014", Role.BELEIDSMEDEWERKER)
    assert _visible(beleid) == set()
    assert student_for(actor=beleid, pk=child_a.pk) is None


@pytest.mark.django_db
def test_student_for_answers_none_for_another_organisations_child(world):
    child_a, child_b = world["children"]
    school_a, _ = world["schools"]
    actor = actor_for(
        MembershipFactory(organisation=school_a.organisation, role=Role.SCHOOL_ZORGCOORDINATOR)
    )
    assert student_for(actor=actor, pk=child_b.pk) is None
    assert student_for(actor=actor, pk=child_a.pk) == child_a  # the enrolment is open


@pytest.mark.django_db
def test_each_school_sees_only_its_own_free_days(world):
    school_a, school_b = world["schools"]
    own = SchoolFreePeriodFactory(school=school_a)
    SchoolFreePeriodFactory(school=school_b)
    actor_a = actor_for(
        MembershipFactory(organisation=school_a.organisation, role=Role.FUNCTIONEEL_BEHEERDER)
    )
    assert school_of(actor=actor_a) == school_a
    assert list(school_free_periods_of(actor=actor_a)) == [own]
    leerplicht = _actor(OrganisationType.GEMEENTE, "GM0014", Role.LEERPLICHTAMBTENAAR)
    assert school_of(actor=leerplicht) is None
    assert not school_free_periods_of(actor=leerplicht).exists()


@pytest.mark.django_db
def test_ggd_and_wijkteam_see_exactly_the_children_of_their_case_teams(world):
    from inbeeld.people.models import Involvement
    from inbeeld.people.services import involvement_end, involvement_record

    child_a, child_b = world["children"]
    ggd = _actor(OrganisationType.GGD, "GGD1", Role.JEUGDARTS, municipality_code="GM0014")
    wijkteam = _actor(
        OrganisationType.WIJKTEAM, "WT1", Role.WIJKTEAM_MEDEWERKER, municipality_code="GM0014"
    )
    assert _visible(ggd) == set()
    assert _visible(wijkteam) == set()

    # an involvement of a concern (written before issue 9) gives no sight: the Verwijsindex model
    involvement_record(
        student=child_b,
        organisation=ggd.organisation,
        source=Involvement.Source.CONCERN,
        source_id=1,
        since=dt.date(2025, 1, 6),
    )
    involvement_record(
        student=child_a,
        organisation=ggd.organisation,
        source=Involvement.Source.CASE_TEAM,
        source_id=2,
        since=dt.date(2025, 1, 6),
        until=dt.date(2027, 1, 5),
    )
    involvement_record(
        student=child_b,
        organisation=wijkteam.organisation,
        source=Involvement.Source.CASE_TEAM,
        source_id=1,
        since=TODAY,
    )
    assert _visible(ggd) == {child_a.pk}
    assert _visible(wijkteam) == {child_b.pk}
    # before it began and after it ended, nobody
    assert not students_visible_to(actor=ggd, on=dt.date(2025, 1, 5)).exists()
    assert not students_visible_to(actor=ggd, on=dt.date(2027, 1, 6)).exists()
    involvement_end(source=Involvement.Source.CASE_TEAM, source_id=1, on=TODAY)
    assert _visible(wijkteam) == {child_b.pk}  # the last day still counts
    assert not students_visible_to(actor=wijkteam, on=TODAY + dt.timedelta(days=1)).exists()


@pytest.mark.django_db
def test_a_school_involved_in_a_case_sees_that_child_and_no_other(world):
    from inbeeld.people.models import Involvement
    from inbeeld.people.services import involvement_record

    school_a, _school_b = world["schools"]
    child_a, child_b = world["children"]
    organisation = OrganisationFactory(type=OrganisationType.SCHOOL, code=school_a.brin)
    school_a.organisation = organisation
    school_a.save()
    actor = actor_for(
        MembershipFactory(organisation=organisation, role=Role.SCHOOL_ZORGCOORDINATOR)
    )
    assert _visible(actor) == {child_a.pk}
    involvement_record(
        student=child_b,
        organisation=organisation,
        source=Involvement.Source.CASE_TEAM,
        source_id=7,
        since=TODAY,
    )
    assert _visible(actor) == {child_a.pk, child_b.pk}
