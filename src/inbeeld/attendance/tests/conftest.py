"""The world of the attendance app's tests as a fixture: :func:`factories.two_organisations` and
Aalders (``world.child``), a pupil of school A. A test module that needs more adds it to this world
(an autouse fixture of its own); none defines another."""

from __future__ import annotations

import pytest

from inbeeld.attendance.tests.factories import World, pupil, two_organisations


@pytest.fixture
def world(db) -> World:
    w = two_organisations()
    w.child = pupil(w.school_a, family_name="Aalders")
    return w
