"""The cases' world (gemeente A with a school, a GGD and a wijkteam; gemeente B apart), and a case
of gemeente A for its child, for the barriers' tests."""

from __future__ import annotations

import pytest

from inbeeld.cases.tests.conftest import world  # noqa: F401  (the fixture)


@pytest.fixture
def case(world):  # noqa: F811
    return world.open_case()
