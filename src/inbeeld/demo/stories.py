"""The demo's stories, after the demo municipality is in (``inbeeld demo-setup``): cases in
different stages, the monitor's episodes and target, concerns that match, and leave and exemption
requests, each about other children. This module uses every app; ``demo.setup`` uses none above
people, so that the apps' tests can load the demo municipality with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from inbeeld.attendance.demo import sick_pupil_demo
from inbeeld.barriers.demo import barriers_demo
from inbeeld.cases.demo import cases_demo
from inbeeld.cases.models import Case
from inbeeld.concerns.demo import concerns_demo
from inbeeld.exemptions.demo import exemptions_demo
from inbeeld.leave.demo import leave_demo
from inbeeld.leave.models import LeaveRequest
from inbeeld.monitor.demo import figures_demo
from inbeeld.people.models import School
from inbeeld.prevention.demo import school_teams_demo


def _children_in_cases() -> set[int]:
    return set(Case.objects.values_list("student_id", flat=True))


def before_detection(on: dt.date, say: Callable[[str], None], school: School) -> None:
    """What detection is to find (issue 12 §2): a pupil of the demo school sick for weeks, so
    that a MAZL melding goes to the school and GGD Groningen and the long sickness to the demo
    samenwerkingsverband."""
    sick_pupil_demo(on=on, say=say, school=school)


def after_detection(on: dt.date, say: Callable[[str], None]) -> None:
    """The stories that follow a detection run on ``on``: cases in different stages (issue 4
    §2), the monitor's episodes and target (issue 5), and concerns that match about a child not
    in a case (issue 4 §1)."""
    cases_demo(on=on, say=say)
    barriers_demo(on=on, say=say)
    figures_demo(on=on, say=say)
    concerns_demo(on=on, say=say, avoid=_children_in_cases())
    school_teams_demo(on=on, say=say)


def requests(on: dt.date, say: Callable[[str], None]) -> None:
    """Leave and exemption requests (issue 4 §4, §5), each for other children than the cases and
    than each other."""
    used = _children_in_cases()
    leave_demo(on=on, say=say, avoid=used)
    used |= set(LeaveRequest.objects.values_list("student_id", flat=True))
    exemptions_demo(on=on, say=say, avoid=used)
