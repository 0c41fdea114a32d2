"""Migration exemptions/0004 gives every request for vrijstelling made before the history existed
its first row: its state as it stands, dated with its last step, by who made it."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inbeeld.audit.tests.test_migrations import migrate
from inbeeld.exemptions.models import ExemptionRequestStateChange

BEFORE_THE_HISTORY = [("exemptions", "0003_rules_v2_request_permanent")]
D = dt.date


@pytest.mark.django_db(transaction=True)
def test_existing_requests_get_their_state_as_the_first_row(world):
    w = world
    registrar, consultant = w.leerplicht_a.user, w.consultant_a.user
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = migrate(BEFORE_THE_HISTORY)
    try:
        apps = executor.loader.project_state(BEFORE_THE_HISTORY).apps
        old = apps.get_model("exemptions", "ExemptionRequest")
        old_advice = apps.get_model("exemptions", "SwvAdvice")
        common = {
            "student_id": w.child_a.pk,
            "article": "5a",
            "requested_on": D(2025, 5, 1),
            "start_date": D(2025, 8, 1),
            "municipality_id": w.gemeente_a.pk,
            "registered_by_id": registrar.pk,
        }
        submitted = old.objects.create(state="ingediend", **common)
        asked = old.objects.create(
            state="advies_gevraagd",
            partnership_id=w.swv_a.pk,
            advice_requested_on=D(2025, 5, 6),
            **common,
        )
        advised = old.objects.create(
            state="advies_gegeven",
            partnership_id=w.swv_a.pk,
            advice_requested_on=D(2025, 5, 6),
            **common,
        )
        old_advice.objects.create(
            request_id=advised.pk,
            organisation_id=w.swv_a.pk,
            user_id=consultant.pk,
            advice="met_aanpassingen",
            education_still_possible="ochtenden",
            given_on=D(2025, 5, 20),
        )
        refused = old.objects.create(
            state="afgewezen",
            decided_on=D(2025, 6, 1),
            decided_by_id=registrar.pk,
            decision_note="geen verklaring",
            **common,
        )
    finally:
        migrate(latest)
    rows = {row.request_id: row for row in ExemptionRequestStateChange.objects.all()}
    assert len(rows) == 4
    for request, state, on, user, organisation, note in (
        (submitted, "ingediend", D(2025, 5, 1), registrar.pk, w.gemeente_a.pk, ""),
        (asked, "advies_gevraagd", D(2025, 5, 6), None, w.gemeente_a.pk, ""),
        (advised, "advies_gegeven", D(2025, 5, 20), consultant.pk, w.swv_a.pk, ""),
        (refused, "afgewezen", D(2025, 6, 1), registrar.pk, w.gemeente_a.pk, "geen verklaring"),
    ):
        row = rows[request.pk]
        assert (row.from_state, row.to_state, row.on, row.note) == ("", state, on, note)
        assert (row.user_id, row.organisation_id) == (user, organisation)
        assert row.at == request.created_at
        assert row.step == "stand bij invoering van de geschiedenis"
