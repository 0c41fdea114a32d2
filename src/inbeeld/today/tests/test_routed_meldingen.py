"""Issue 12 §2 on "Vandaag": the meldingen routed to someone who does not handle them (the
jeugdarts of a MAZL melding, the samenwerkingsverband of long sickness) are listed for
information, and the jeugdarts and leerplicht find their consultation list from there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import Melding
from inbeeld.attendance.tests.factories import (
    AbsenceFactory,
    actor_for,
    consultant_of_partnership,
    jeugdarts_of_ggd,
    log_in,
    pupil,
)
from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK
from inbeeld.today.selectors import today_count, today_for

D = dt.date
ON = D(2024, 11, 8)
pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(world):
    world.jeugdarts = jeugdarts_of_ggd("GGD-A", "GM0001")
    world.consultant = consultant_of_partnership(world.school_a, "SWV9001")
    world.sick = pupil(world.school_a, family_name="Ziekmans")
    AbsenceFactory(
        student=world.sick, start_date=D(2024, 9, 2), end_date=D(2024, 9, 27), reason="ziek"
    )
    detection_run(on=ON)
    return world


def routed_items(membership):
    return [i for i in today_for(actor=actor_for(membership)).items if i.kind == "routed"]


def test_the_jeugdarts_has_the_mazl_melding_on_vandaag(routed):
    items = routed_items(routed.jeugdarts)
    melding = Melding.objects.get(rule="mazl_7_dagen")
    assert [(i.student, i.href) for i in items] == [
        (routed.sick, reverse("attendance:melding_transition", args=[melding.pk]))
    ]
    assert "MAZL" in items[0].what
    assert today_count(actor=actor_for(routed.jeugdarts)) == 1


def test_the_samenwerkingsverband_has_the_long_sickness_on_vandaag(routed):
    items = routed_items(routed.consultant)
    assert [i.student for i in items] == [routed.sick]
    assert "langdurig ziek" in items[0].what
    assert Melding.objects.get(rule=REPORT_LANGDURIG_ZIEK).organisations.get() == (
        routed.school_a.partnership
    )


def test_who_handles_meldingen_has_them_as_before(routed):
    # the school handles the MAZL melding: under "melding", not "routed"
    today = today_for(actor=actor_for(routed.school_staff_a))
    assert [i.kind for i in today.items if i.student == routed.sick] == ["melding"]


def test_the_page_links_to_the_consultation_list_for_ggd_and_gemeente(routed, client):
    log_in(client, routed.jeugdarts)
    page = client.get(reverse("today:index")).content.decode()
    assert "Ziekmans" in page
    assert reverse("attendance:consultation") in page
    client.logout()
    log_in(client, routed.consultant)
    assert (
        reverse("attendance:consultation")
        not in client.get(reverse("today:index")).content.decode()
    )
