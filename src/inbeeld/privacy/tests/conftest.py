"""Two gemeenten with a school each (``two_organisations``), a pupil at each school, and a privacy
officer at gemeente A and at school A."""

from __future__ import annotations

import pytest

from inbeeld.accounts.models import Role
from inbeeld.attendance.tests.factories import (
    AbsenceFactory,
    MembershipFactory,
    pupil,
    two_organisations,
)


@pytest.fixture
def world(db):
    w = two_organisations()
    w.child_a = pupil(w.school_a, given_names="Noor", family_name="Aalders")
    AbsenceFactory(student=w.child_a)
    w.child_b = pupil(w.school_b, given_names="Finn", family_name="Evers")
    w.officer_a = MembershipFactory(organisation=w.gemeente_a, role=Role.PRIVACY_OFFICER)
    w.school_officer_a = MembershipFactory(
        organisation=w.school_a.organisation, role=Role.PRIVACY_OFFICER
    )
    return w
