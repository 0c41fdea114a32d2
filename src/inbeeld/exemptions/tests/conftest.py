"""Two gemeenten with a school each; school A is a member of samenwerkingsverband A, school B of
samenwerkingsverband B; each has a consultant. Children live where they go to school."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.attendance.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    actor_for,
    pupil,
    two_organisations,
)
from inbeeld.demo.tests.world import ON, demo, demo_files  # noqa: F401 (fixtures)

D = dt.date


@pytest.fixture
def world(db):
    w = two_organisations()
    w.swv_a = OrganisationFactory(
        type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV0001", name="SWV A"
    )
    w.swv_b = OrganisationFactory(
        type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV0002", name="SWV B"
    )
    w.school_a.partnership = w.swv_a
    w.school_a.save()
    w.school_b.partnership = w.swv_b
    w.school_b.save()
    w.consultant_a = MembershipFactory(organisation=w.swv_a, role=Role.SWV_CONSULTANT)
    w.consultant_b = MembershipFactory(organisation=w.swv_b, role=Role.SWV_CONSULTANT)
    # born 2 March 2011: 14 on 2 March 2025, leerplicht until 31 July 2027
    w.child_a = pupil(w.school_a, family_name="Aalders", birth_date=D(2011, 3, 2))
    w.child_b = pupil(w.school_b, family_name="Bakker", birth_date=D(2011, 3, 2))
    # born 5 May 2008: leerplicht until 31 July 2024, then kwalificatieplicht
    w.older_a = pupil(w.school_a, family_name="Claessen", birth_date=D(2008, 5, 5))
    w.leerplicht = actor_for(w.leerplicht_a)
    w.leerplicht_b_actor = actor_for(w.leerplicht_b)
    w.swv = actor_for(w.consultant_a)
    w.swv_b_actor = actor_for(w.consultant_b)
    w.school = actor_for(w.school_staff_a)
    return w
