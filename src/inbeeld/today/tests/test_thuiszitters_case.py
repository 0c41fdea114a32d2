"""The thuiszitters list (issue 11 §1) shows per child the open case (a link) and whether the child
has a suitable offer (passend aanbod: an intervention or a return that has started), only of a
case the viewer sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inbeeld.attendance.tests.factories import log_in
from inbeeld.cases import selectors, services
from inbeeld.cases.models import Intervention

pytestmark = pytest.mark.django_db


def cells(client, membership):
    page = log_in(client, membership).get(reverse("attendance:home")).content.decode()
    start = page.index('data-testid="thuiszitter-case"')
    return page[start : page.index("</tr>", start)]


def test_the_case_and_the_offer_of_a_child_at_home(client, world):
    assert "geen casus" in cells(client, world.leerplicht_a)
    case = world.open_case()
    row = cells(client, world.leerplicht_a)
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in row
    assert "nee, nog geen passend aanbod" in row
    services.intervention_add(
        actor=world.actor(world.leerplicht_a),
        case=case,
        kind=Intervention.Kind.PART_TIME,
        start_date=dt.date(2025, 9, 25),
    )
    row = cells(client, world.leerplicht_a)
    assert "nog geen" not in row
    assert ">ja<" in row


def test_an_offer_that_has_not_started_is_no_offer_yet(world):
    case = world.open_case()
    services.intervention_add(
        actor=world.actor(world.leerplicht_a),
        case=case,
        kind=Intervention.Kind.TRANSPORT,
        start_date=dt.date(2025, 10, 20),
    )
    lead = world.actor(world.leerplicht_a)
    before = selectors.case_offers_for(
        actor=lead, student_ids=[world.child.pk], on=dt.date(2025, 10, 1)
    )
    assert before[world.child.pk].has_offer is False
    after = selectors.case_offers_for(
        actor=lead, student_ids=[world.child.pk], on=dt.date(2025, 10, 20)
    )
    assert after[world.child.pk].has_offer is True


def test_a_case_the_viewer_does_not_see_is_not_shown(world):
    world.open_case()
    # the school of the child is not in the case team (yet): no case for it
    school = world.actor(world.school_staff_a)
    assert selectors.case_offers_for(actor=school, student_ids=[world.child.pk]) == {}
    other = world.actor(world.leerplicht_b)
    assert selectors.case_offers_for(actor=other, student_ids=[world.child.pk]) == {}
