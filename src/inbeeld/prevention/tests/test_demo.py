"""The demo's school team: the demo school with its five organisations, two meetings and two
children on the list, each discussed; the GGD sees exactly those two; once."""

from __future__ import annotations

import pytest

from inbeeld.accounts.selectors import actor_of_username
from inbeeld.cases.tests.conftest import world  # noqa: F401  (the cases world, not ours)
from inbeeld.cases.tests.test_demo import ON, demo_world  # noqa: F401  (the fixture)
from inbeeld.people.selectors import students_visible_to
from inbeeld.prevention import selectors
from inbeeld.prevention.demo import school_teams_demo
from inbeeld.prevention.models import ListEntry, SchoolTeam

pytestmark = pytest.mark.django_db


def test_the_demo_school_team(demo_world):  # noqa: F811
    team = school_teams_demo(on=ON)
    assert team is not None
    assert selectors.active_members(team).count() == 5
    assert team.meetings.count() == 2
    entries = list(ListEntry.objects.filter(team=team))
    assert len(entries) == 2
    assert all(e.discussions.count() == 1 for e in entries)
    ggd = actor_of_username("demo-ggd")
    on_list = {e.student_id for e in entries}
    assert on_list <= set(students_visible_to(actor=ggd).values_list("pk", flat=True))
    assert school_teams_demo(on=ON) is None
    assert SchoolTeam.objects.count() == 1
