"""The demo barriers: on the demo cases, by the organisation that leads each; once."""

from __future__ import annotations

import pytest

from inbeeld.barriers.demo import barriers_demo
from inbeeld.barriers.models import Barrier
from inbeeld.cases.demo import cases_demo
from inbeeld.cases.tests.test_demo import ON, demo_world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_demo_barriers_on_the_demo_cases(demo_world):  # noqa: F811
    cases_demo(on=ON)
    assert barriers_demo(on=ON) == 3
    rows = list(Barrier.objects.order_by("pk"))
    assert [(b.kind, b.state) for b in rows] == [
        ("leerlingenvervoer", "bezwaar"),
        ("wachtlijst", "open"),
        ("geen_passende_plek", "open"),
    ]
    assert [b.changes.count() for b in rows] == [3, 1, 1]
    for barrier in rows:
        assert barrier.created_by is not None
        assert barrier.created_by.memberships.filter(
            organisation=barrier.case.lead_organisation
        ).exists()
    assert barriers_demo(on=ON) == 0
    assert Barrier.objects.count() == 3
