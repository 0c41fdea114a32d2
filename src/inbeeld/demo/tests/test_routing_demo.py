"""Issue 12 §2 in the demo: ``inbeeld demo-setup`` shows a MAZL melding routed to GGD Groningen
(the demo GGD sees that child) and a long-sickness report to the demo samenwerkingsverband."""

from __future__ import annotations

import pytest

from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import Melding
from inbeeld.attendance.selectors import OPEN_STATES, open_meldingen_for
from inbeeld.demo import stories
from inbeeld.demo.tests.world import ON, demo, demo_actor, demo_files  # noqa: F401 (fixtures)
from inbeeld.people.selectors import students_visible_to
from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK
from inbeeld.rules.calendar import school_year_start


def test_the_demo_routes_mazl_to_the_ggd_and_long_sickness_to_the_swv(demo):  # noqa: F811
    if (ON - school_year_start(ON)).days < 100:
        pytest.skip("early in a school year the demo's spell is too short (attendance/demo.py)")
    stories.before_detection(ON, lambda _m: None, demo)
    stories.before_detection(ON, lambda _m: None, demo)  # once only
    detection_run(on=ON)
    ggd = demo_actor("demo-ggd")
    mazl = open_meldingen_for(actor=ggd).filter(rule__startswith="mazl_")
    assert mazl.exists()
    assert set(students_visible_to(actor=ggd)) >= {m.student for m in mazl}
    swv = demo_actor("demo-swv")
    report = Melding.objects.get(
        rule=REPORT_LANGDURIG_ZIEK, state__in=OPEN_STATES, organisations=demo.partnership
    )
    assert report in open_meldingen_for(actor=swv)
