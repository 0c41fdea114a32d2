"""School teams over the API (read): the member's teams, the children on the lists while the actor
sees them, one child with its discussions under the rule of case notes; each child read audited."""

from __future__ import annotations

import pytest

from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.cases.tests.test_api import client_for
from inbeeld.prevention import services

pytestmark = pytest.mark.django_db


def test_teams_and_entries_within_sight(team_world):
    tw = team_world
    entry = tw.put_on_list()
    services.discussion_add(actor=tw.actor(tw.jeugdarts), entry=entry, minutes="medisch")
    ggd = client_for(tw.jeugdarts)
    teams = ggd.get("/api/v1/school-teams").json()["results"]
    assert [t["id"] for t in teams] == [tw.team.pk]
    detail = ggd.get(f"/api/v1/school-teams/{tw.team.pk}").json()
    assert len(detail["members"]) == 5
    rows = ggd.get("/api/v1/school-team-entries").json()["results"]
    assert [r["student"] for r in rows] == [tw.child.pk]
    one = ggd.get(f"/api/v1/school-team-entries/{entry.pk}").json()
    assert one["discussions"][0]["minutes"] == "medisch"
    school = client_for(tw.school_staff_a).get(f"/api/v1/school-team-entries/{entry.pk}").json()
    assert school["discussions"][0] == {
        **school["discussions"][0],
        "readable": False,
        "minutes": "",
    }
    assert AuditEvent.objects.filter(student_id=tw.child.pk, action=AuditAction.VIEW).exists()


def test_off_the_list_is_not_found_for_the_ggd(team_world):
    tw = team_world
    entry = tw.put_on_list()
    services.entry_end(actor=tw.school, entry=entry, reason="klaar")
    ggd = client_for(tw.jeugdarts)
    assert ggd.get(f"/api/v1/school-team-entries/{entry.pk}").status_code == 404
    assert ggd.get("/api/v1/school-team-entries").json()["results"] == []
    other = client_for(tw.school_staff_b)
    assert other.get(f"/api/v1/school-teams/{tw.team.pk}").status_code == 404
