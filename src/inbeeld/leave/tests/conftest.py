"""The world of the leave tests: two gemeenten with a school each (``two_organisations``, region
zuid), a child at each school, and the acting school and leerplicht of both."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbeeld.attendance.tests.factories import actor_for, pupil, two_organisations
from inbeeld.demo.tests.world import generate_demo_files, load_demo

#: the demo runs on the day it is set up; the services check today's enrolments
ON = timezone.localdate()


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


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    """The demo municipality's files, generated once per test module (for test_demo)."""
    return generate_demo_files(tmp_path_factory, students=400, seed=3, on=ON)


@pytest.fixture
def demo(demo_files, db):
    """The demo municipality imported as ``inbeeld demo-setup`` does; the demo school."""
    return load_demo(demo_files)
