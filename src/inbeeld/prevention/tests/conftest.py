"""The attendance app's world (two gemeenten, a school each, Aalders a pupil of school A)."""

from __future__ import annotations

import pytest

from inbeeld.attendance.tests.factories import World, pupil, two_organisations


@pytest.fixture
def world(db) -> World:
    w = two_organisations()
    w.child = pupil(w.school_a, family_name="Aalders")
    return w
