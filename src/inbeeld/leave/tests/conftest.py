"""The world of the leave tests: two gemeenten with a school each (``two_organisations``, region
zuid), a child at each school, and the acting school and leerplicht of both."""

from __future__ import annotations

import pytest

from inbeeld.attendance.tests.factories import actor_for, pupil, two_organisations
from inbeeld.demo.tests.world import ON, demo, demo_files  # noqa: F401 (fixtures)


@pytest.fixture
def world(db):
    w = two_organisations()
    w.child_a = pupil(w.school_a, family_name="Aalders")
    w.child_b = pupil(w.school_b, family_name="Bakker")
    w.school = actor_for(w.school_staff_a)
    w.school_b_actor = actor_for(w.school_staff_b)
    w.leerplicht = actor_for(w.leerplicht_a)
    w.leerplicht_b_actor = actor_for(w.leerplicht_b)
    return w
