"""The demo exemption requests, on a small generated demo municipality imported as ``inbeeld
demo-setup`` does: one awaiting the samenwerkingsverband's advice (which the demo consultant
sees), one granted 5a in the exemptions register whose renewal is due; running it again changes
nothing."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, OrganisationType
from inbeeld.accounts.services import organisation_create
from inbeeld.attendance.imports import import_exchange
from inbeeld.demo import setup
from inbeeld.demo.generator import generate_demo_data
from inbeeld.exemptions import selectors
from inbeeld.exemptions.demo import exemptions_demo
from inbeeld.exemptions.models import ExemptionRequest, RequestState
from inbeeld.people.models import School
from inbeeld.people.selectors import current_enrolment

#: the demo runs on the day it is set up; the services check today's enrolments
ON = timezone.localdate()
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    generate_demo_data(directory, students=400, seed=3, on=ON, municipality=setup.MUNICIPALITY)
    return directory


@pytest.fixture
def demo(demo_files, db):
    gemeente = organisation_create(
        actor=None,
        type=OrganisationType.GEMEENTE,
        name=setup.MUNICIPALITY_NAME,
        code=setup.MUNICIPALITY,
        municipality_code=setup.MUNICIPALITY,
    )
    assert import_exchange(source=demo_files, organisation=gemeente).state == "done"
    school = (
        School.objects.filter(sector="vo", organisation__isnull=False)
        .annotate(pupils=Count("enrolments", filter=Q(enrolments__end_date__isnull=True)))
        .order_by("-pupils", "brin")
        .first()
    )
    setup.demo_users(school.organisation.code, school.partnership.code)
    return school


def actor(username: str) -> Actor:
    membership = Membership.objects.select_related("organisation").get(user__username=username)
    return Actor.for_membership([membership], ip="192.0.2.1")


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
    leerplicht = actor("demo-leerplicht")
    assert set(selectors.exemption_requests_visible_to(actor=leerplicht)) == {waiting, granted}
    assert exemption in [e for e, _ in selectors.renewals_due_for(actor=leerplicht, on=ON)]
    swv = actor("demo-swv")
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
