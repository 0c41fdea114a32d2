"""The demo exemption requests, on a small generated demo municipality imported as ``inbeeld
demo-setup`` does: one awaiting the samenwerkingsverband's advice (which the demo consultant
sees), one granted 5a in the exemptions register whose renewal is due; running it again changes
nothing."""

from __future__ import annotations

import pytest

from inbeeld.demo.tests.world import demo_actor
from inbeeld.exemptions import selectors
from inbeeld.exemptions.demo import exemptions_demo
from inbeeld.exemptions.models import ExemptionRequest, RequestState
from inbeeld.exemptions.tests.conftest import ON
from inbeeld.people.selectors import current_enrolment

pytestmark = pytest.mark.django_db


def test_two_demo_exemption_requests(demo):
    said: list[str] = []
    waiting, granted = exemptions_demo(on=ON, say=said.append)
    assert said == ["2 demo exemption requests"]
    for request in (waiting, granted):
        assert request.article == "5a"
        assert request.problems == []
        assert current_enrolment(student=request.student, on=ON).school == demo
        assert request.partnership == demo.partnership
    assert waiting.student_id != granted.student_id
    assert waiting.state == RequestState.ADVIES_GEVRAAGD
    assert granted.state == RequestState.TOEGEKEND
    assert granted.advices.get().organisation == demo.partnership
    exemption = granted.exemption
    assert (exemption.article, exemption.start_date, exemption.end_date) == (
        "5a",
        granted.start_date,
        granted.end_date,
    )
    # leerplicht sees both and the renewal due; the consultant sees both it was asked about
    leerplicht = demo_actor("demo-leerplicht")
    assert set(selectors.exemption_requests_visible_to(actor=leerplicht)) == {waiting, granted}
    assert exemption in [e for e, _ in selectors.renewals_due_for(actor=leerplicht, on=ON)]
    swv = demo_actor("demo-swv")
    assert set(selectors.exemption_requests_visible_to(actor=swv)) == {waiting, granted}
    # a second run changes nothing
    assert exemptions_demo(on=ON) == []
    assert ExemptionRequest.objects.count() == 2


def test_the_demo_avoids_the_children_of_other_stories(demo):
    used = {r.student_id for r in exemptions_demo(on=ON)}
    ExemptionRequest.objects.all().delete()
    again = exemptions_demo(on=ON, avoid=used)
    assert len(again) == 2
    assert not used & {r.student_id for r in again}


def test_without_demo_users_no_demo_exemptions(db):
    said: list[str] = []
    assert exemptions_demo(on=ON, say=said.append) == []
    assert said == ["no demo users: no demo exemption requests"]
