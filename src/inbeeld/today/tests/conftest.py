"""The cases world (gemeente A and B, school A and B, a GGD and a wijkteam, the child Noor Aalders
of school A with an lrv melding for gemeente A) plus samenwerkingsverband A of school A with its
consultant: everyone who has something to do on "Vandaag"."""

from __future__ import annotations

import pytest

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.attendance.tests.factories import MembershipFactory, OrganisationFactory
from inbeeld.cases.tests.conftest import world as case_world  # noqa: F401  (the fixture)


@pytest.fixture
def world(case_world):  # noqa: F811
    w = case_world
    w.swv_a = OrganisationFactory(
        type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV0001", name="SWV A"
    )
    w.school_a.partnership = w.swv_a
    w.school_a.save()
    w.consultant_a = MembershipFactory(organisation=w.swv_a, role=Role.SWV_CONSULTANT)
    w.swv_b = OrganisationFactory(
        type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV0002", name="SWV B"
    )
    w.consultant_b = MembershipFactory(organisation=w.swv_b, role=Role.SWV_CONSULTANT)
    return w
