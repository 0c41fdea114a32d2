"""The demo leave requests, on a small generated demo municipality imported as ``inbeeld
demo-setup`` does: one holiday leave granted, one request of more than ten school days forwarded
to leerplicht (who sees it), one refused at once; running it again changes nothing."""

from __future__ import annotations

import pytest

from inbeeld.demo import setup
from inbeeld.demo.tests.world import demo_actor
from inbeeld.leave import selectors
from inbeeld.leave.demo import leave_demo
from inbeeld.leave.models import LeaveRequest, LeaveState
from inbeeld.leave.tests.conftest import ON
from inbeeld.rules.leave import HOLIDAY, LEERPLICHT, WEIGHTY

pytestmark = pytest.mark.django_db


def test_three_demo_leave_requests(demo):
    said: list[str] = []
    made = leave_demo(on=ON, say=said.append)
    assert said == ["3 demo leave requests"]
    granted, forwarded, refused = made
    assert {r.school_id for r in made} == {demo.pk}
    assert len({r.student_id for r in made}) == 3
    assert (granted.kind, granted.state, granted.school_days) == (
        HOLIDAY,
        LeaveState.TOEGEKEND,
        5,
    )
    assert granted.employer_statement
    assert not granted.refusals
    assert (forwarded.kind, forwarded.state, forwarded.decider) == (
        WEIGHTY,
        LeaveState.DOORGESTUURD,
        LEERPLICHT,
    )
    assert forwarded.school_days > 10
    assert forwarded.forwarded_to.code == setup.MUNICIPALITY
    assert (refused.kind, refused.state) == (HOLIDAY, LeaveState.AFGEWEZEN)
    assert "eerste 2 lesweken" in refused.refusals[0]
    # leerplicht sees the request forwarded to it, and may decide it
    leerplicht = demo_actor("demo-leerplicht")
    assert selectors.leave_request_for(actor=leerplicht, pk=forwarded.pk) is not None
    assert set(selectors.leave_requests_visible_to(actor=demo_actor("demo-school"))) == set(made)
    # a second run changes nothing
    assert leave_demo(on=ON) == []
    assert LeaveRequest.objects.count() == 3


def test_the_demo_avoids_the_children_of_other_stories(demo):
    first = leave_demo(on=ON)
    used = {r.student_id for r in first}
    LeaveRequest.objects.all().delete()
    again = leave_demo(on=ON, avoid=used)
    assert len(again) == 3
    assert not used & {r.student_id for r in again}


def test_without_demo_users_no_demo_leave(db):
    said: list[str] = []
    assert leave_demo(on=ON, say=said.append) == []
    assert said == ["no demo school user: no demo leave requests"]
