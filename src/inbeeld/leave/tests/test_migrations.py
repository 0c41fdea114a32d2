"""Migration leave/0002 gives every leave request made before the history existed its first row:
its state as it stands, dated with the decision (else the request), by who made it."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inbeeld.attendance.tests.factories import pupil, two_organisations
from inbeeld.audit.tests.test_migrations import migrate
from inbeeld.leave.models import LeaveRequestStateChange
from inbeeld.rules.leave import HOLIDAY, LEERPLICHT, SCHOOL

BEFORE_THE_HISTORY = [("leave", "0001_initial")]
D = dt.date


@pytest.mark.django_db(transaction=True)
def test_existing_requests_get_their_state_as_the_first_row():
    w = two_organisations()
    child = pupil(w.school_a, family_name="Aalders")
    school_org, gemeente = w.school_a.organisation, w.gemeente_a
    staff, leerplicht = w.school_staff_a.user, w.leerplicht_a.user
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = migrate(BEFORE_THE_HISTORY)
    try:
        old = executor.loader.project_state(BEFORE_THE_HISTORY).apps.get_model(
            "leave", "LeaveRequest"
        )
        common = {
            "student_id": child.pk,
            "school_id": w.school_a.pk,
            "kind": HOLIDAY,
            "start_date": D(2025, 3, 10),
            "end_date": D(2025, 3, 14),
            "requested_on": D(2025, 1, 20),
            "requested_by_id": staff.pk,
            "requested_by_organisation_id": school_org.pk,
            "decider": SCHOOL,
        }
        open_one = old.objects.create(state="ingediend", **common)
        forwarded = old.objects.create(
            **{**common, "decider": LEERPLICHT}, state="doorgestuurd", forwarded_to_id=gemeente.pk
        )
        granted = old.objects.create(
            **{**common, "decider": LEERPLICHT},
            state="toegekend",
            forwarded_to_id=gemeente.pk,
            decided_on=D(2025, 2, 3),
            decided_by_id=leerplicht.pk,
            decided_by_organisation_id=gemeente.pk,
            decision_note="akkoord",
        )
    finally:
        migrate(latest)
    rows = {row.request_id: row for row in LeaveRequestStateChange.objects.all()}
    assert len(rows) == 3
    for request, state, on, user, organisation, note in (
        (open_one, "ingediend", D(2025, 1, 20), staff, school_org, ""),
        (forwarded, "doorgestuurd", D(2025, 1, 20), staff, school_org, ""),
        (granted, "toegekend", D(2025, 2, 3), leerplicht, gemeente, "akkoord"),
    ):
        row = rows[request.pk]
        assert (row.from_state, row.to_state, row.on, row.note) == ("", state, on, note)
        assert (row.user_id, row.organisation_id) == (user.pk, organisation.pk)
        assert row.at == request.created_at
        assert row.step == "stand bij invoering van de geschiedenis"
