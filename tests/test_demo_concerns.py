"""The demo's concerns: on a small demo municipality after detection, the school and the GGD each
register a concern about one pupil with a system concern, and all three match; the GGD does not
see the child (issue 9); running it again changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbeeld.attendance.detection import detection_run
from inbeeld.concerns.demo import concerns_demo
from inbeeld.concerns.models import Concern, Match
from inbeeld.concerns.selectors import matches_of
from inbeeld.demo.tests.world import demo_actor, generate_demo_files, load_demo
from inbeeld.people.selectors import student_for

ON = timezone.localdate()
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return generate_demo_files(tmp_path_factory, students=800, seed=4, on=ON)


def test_the_demo_concerns_match(demo_files):
    load_demo(demo_files)
    detection_run(on=ON)
    said: list[str] = []
    school_concern, ggd_concern = concerns_demo(on=ON, say=said.append)
    assert school_concern.student_id == ggd_concern.student_id
    assert Concern.objects.filter(student=school_concern.student, system=True).exists()
    assert Match.objects.filter(student=school_concern.student).count() == 3
    school_sees = matches_of(actor=demo_actor("demo-school"), on=ON)
    assert {m.other_organisation for m in school_sees} >= {"GGD Groningen"}
    # the GGD learns who else is involved and how to reach them, never the child (issue 9)
    ggd = demo_actor("demo-ggd")
    ggd_sees = matches_of(actor=ggd, on=ON)
    assert len(ggd_sees) == 2
    assert not any(m.in_sight for m in ggd_sees)
    assert all(m.other_contact_name for m in ggd_sees)
    assert student_for(actor=ggd, pk=school_concern.student_id) is None
    assert concerns_demo(on=ON, say=said.append) == []
    assert said[-1] == "demo concerns already there"
