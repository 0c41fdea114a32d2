"""Disputes (issue 11 §7): parties, the body, the dates (submitted, hearing, ruling), the ruling
with its outcome and whether it was followed; every step and refusal of ``cases.disputes``, the
history and the audit of each step, scope, the case page's forms and the API."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import PersonalToken
from inbeeld.api.tests.fuzzing import fuzz, wsgi_application
from inbeeld.attendance.tests.factories import PASSWORD
from inbeeld.audit.models import AuditEvent
from inbeeld.cases import disputes as wf
from inbeeld.cases import services
from inbeeld.cases.models import Dispute, DisputeChange
from inbeeld.cases.tests.test_api import client_for

D = dt.date
pytestmark = pytest.mark.django_db
FAR = D(2030, 1, 1)


# -- the rules -------------------------------------------------------------------------------------


def facts(**kw) -> wf.DisputeFacts:
    return wf.DisputeFacts(lodged_on=D(2025, 10, 1), **kw)


def test_what_may_follow_at_each_stage():
    assert wf.available(facts()) == [wf.HEARING, wf.RULING]
    assert wf.available(facts(hearing_on=D(2025, 11, 1))) == [wf.HEARING, wf.RULING]
    ruled = {"ruled_on": D(2025, 12, 1), "outcome": "gegrond"}
    assert wf.available(facts(**ruled)) == [wf.FOLLOW_UP]
    assert wf.available(facts(**ruled, followed="ja")) == []
    assert wf.available(facts(ruled_on=D(2025, 12, 1), outcome="ingetrokken")) == []


def test_the_stages_are_named():
    assert wf.stage(facts()) == "ingediend"
    assert wf.stage(facts(hearing_on=D(2025, 11, 1))) == "zitting gepland"
    assert wf.stage(facts(ruled_on=D(2025, 12, 1), outcome="deels_gegrond")) == "uitspraak gedaan"
    assert wf.stage(facts(ruled_on=D(2025, 12, 1), followed="nee")) == "opvolging vastgelegd"


@pytest.mark.parametrize(
    ("given", "step", "on", "field"),
    [
        ({}, wf.HEARING, D(2025, 9, 30), "on"),  # before submitting
        ({}, wf.RULING, D(2025, 9, 30), "on"),
        ({"hearing_on": D(2025, 11, 1)}, wf.RULING, D(2025, 10, 31), "on"),  # before the hearing
        ({}, wf.FOLLOW_UP, FAR, "request"),  # no ruling yet
        ({"ruled_on": D(2025, 12, 1)}, wf.HEARING, FAR, "request"),
        ({"ruled_on": D(2025, 12, 1)}, wf.RULING, FAR, "request"),
        ({"ruled_on": D(2025, 12, 1), "outcome": "ingetrokken"}, wf.FOLLOW_UP, FAR, "request"),
        ({"ruled_on": D(2025, 12, 1), "followed": "ja"}, wf.FOLLOW_UP, FAR, "request"),
        ({"ruled_on": D(2025, 12, 1)}, wf.FOLLOW_UP, D(2025, 11, 30), "on"),
        ({}, "iets", FAR, "step"),
    ],
)
def test_every_refusal(given, step, on, field):
    refused = wf.refusal(facts(**given), step, on)
    assert refused is not None
    assert refused[0] == field
    with pytest.raises(ValidationError):
        wf.check_step(facts(**given), step, on)


def test_allowed_steps_pass():
    assert wf.refusal(facts(), wf.HEARING, D(2025, 10, 1)) is None
    assert wf.refusal(facts(hearing_on=D(2025, 11, 1)), wf.RULING, D(2025, 11, 1)) is None
    assert wf.refusal(facts(ruled_on=D(2025, 12, 1)), wf.FOLLOW_UP, D(2025, 12, 1)) is None


# -- the services ----------------------------------------------------------------------------------


def _lodge(world, case, by=None, **data):
    return services.dispute_lodge(
        actor=world.actor(by or world.leerplicht_a),
        case=case,
        **{
            "subject": "extra ondersteuning",
            "body": "geschillencommissie",
            "applicant": "ouders",
            "respondent": "Stichting Scholen A",
            "lodged_on": D(2025, 10, 1),
            **data,
        },
    )


def test_a_dispute_from_submission_to_follow_up(world):
    case = world.open_case()
    actor = world.actor(world.leerplicht_a)
    dispute = _lodge(world, case)
    services.dispute_hearing(actor=actor, dispute=dispute, hearing_on=D(2025, 11, 1))
    services.dispute_hearing(actor=actor, dispute=dispute, hearing_on=D(2025, 11, 8))  # moved
    services.dispute_rule(
        actor=actor,
        dispute=dispute,
        ruling="de school moet een arrangement bieden",
        outcome="deels_gegrond",
        ruled_on=D(2025, 12, 1),
    )
    services.dispute_follow_up(actor=actor, dispute=dispute, followed="deels", on=D(2026, 1, 10))
    dispute.refresh_from_db()
    assert (dispute.body, dispute.applicant, dispute.respondent) == (
        "geschillencommissie",
        "ouders",
        "Stichting Scholen A",
    )
    assert (dispute.hearing_on, dispute.ruled_on, dispute.outcome) == (
        D(2025, 11, 8),
        D(2025, 12, 1),
        "deels_gegrond",
    )
    assert (dispute.followed, dispute.followed_on) == ("deels", D(2026, 1, 10))
    assert list(dispute.changes.values_list("step", "on")) == [
        ("ingediend", D(2025, 10, 1)),
        ("zitting", D(2025, 11, 1)),
        ("zitting", D(2025, 11, 8)),
        ("uitspraak", D(2025, 12, 1)),
        ("opvolging", D(2026, 1, 10)),
    ]
    assert set(dispute.changes.values_list("user", flat=True)) == {world.leerplicht_a.user_id}
    events = AuditEvent.objects.filter(object_type="cases.Dispute", object_id=str(dispute.pk))
    assert events.count() == 5
    assert set(events.values_list("student_id", flat=True)) == {world.child.pk}
    assert not events.filter(summary__contains="arrangement").exists()  # no ruling text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"body": "rvdk"}, "body"),
        ({"applicant": "buren"}, "applicant"),
        ({"respondent": "x" * 201}, "respondent"),
        ({"subject": " "}, "subject"),
        ({"lodged_on": timezone.localdate() + dt.timedelta(days=1)}, "lodged_on"),
    ],
)
def test_lodging_refuses_bad_input_and_writes_nothing(world, data, field):
    case = world.open_case()
    with pytest.raises(ValidationError) as refused:
        _lodge(world, case, **data)
    assert field in refused.value.message_dict
    assert not Dispute.objects.exists()
    assert not DisputeChange.objects.exists()


def test_a_withdrawn_dispute_has_no_follow_up_and_refusals_write_nothing(world):
    case = world.open_case()
    actor = world.actor(world.leerplicht_a)
    dispute = _lodge(world, case)
    with pytest.raises(ValidationError):
        services.dispute_rule(actor=actor, dispute=dispute, ruling="x", outcome="misschien")
    with pytest.raises(ValidationError):
        services.dispute_follow_up(actor=actor, dispute=dispute, followed="ja")
    services.dispute_rule(
        actor=actor, dispute=dispute, ruling="ingetrokken door ouders", outcome="ingetrokken"
    )
    with pytest.raises(ValidationError):
        services.dispute_follow_up(actor=actor, dispute=dispute, followed="ja")
    with pytest.raises(ValidationError):
        services.dispute_hearing(actor=actor, dispute=dispute, hearing_on=D(2025, 11, 1))
    dispute.refresh_from_db()
    assert dispute.followed == ""
    assert dispute.hearing_on is None
    assert dispute.changes.count() == 2


def test_out_of_scope_is_refused(world):
    case = world.open_case()
    dispute = _lodge(world, case)
    for outsider in (world.leerplicht_b, world.jeugdarts, world.wijkteam_worker):
        actor = world.actor(outsider)
        with pytest.raises(PermissionDenied):
            _lodge(world, case, by=outsider)
        with pytest.raises(PermissionDenied):
            services.dispute_hearing(actor=actor, dispute=dispute, hearing_on=D(2025, 11, 1))
        with pytest.raises(PermissionDenied):
            services.dispute_rule(actor=actor, dispute=dispute, ruling="x", outcome="gegrond")
    assert Dispute.objects.count() == 1
    assert DisputeChange.objects.count() == 1


# -- the case page and the API ---------------------------------------------------------------------


def test_the_case_page_records_each_step(client, world):
    case = world.open_case()
    dispute = _lodge(world, case)
    assert client.login(username=world.leerplicht_a.user.username, password=PASSWORD)

    def act(what, data):
        return client.post(reverse("cases:act", args=[case.pk, what]), {"id": dispute.pk, **data})

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Geschillencommissie passend onderwijs" in page
    assert "Stichting Scholen A" in page
    assert act("zitting", {"hearing_on": "2025-11-01"}).status_code == 302
    assert act("opvolging", {"followed": "ja", "on": "2025-12-02"}).status_code == 400
    ruled = act("uitspraak", {"ruling": "gegrond", "outcome": "gegrond", "ruled_on": "2025-12-01"})
    assert ruled.status_code == 302
    assert act("opvolging", {"followed": "nee", "on": "2025-12-02"}).status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "nee, niet opgevolgd" in page
    client.logout()
    assert client.login(username=world.leerplicht_b.user.username, password=PASSWORD)
    assert act("zitting", {"hearing_on": "2025-11-02"}).status_code == 404


def test_the_api_records_each_step(world):
    case = world.open_case()
    dispute = _lodge(world, case)
    api = client_for(world.leerplicht_a)
    base = f"/api/v1/cases/{case.pk}/disputes/{dispute.pk}"
    response = api.post(f"{base}/hearing", {"hearing_on": "2025-11-01"}, format="json")
    assert response.status_code == 200, response.content
    response = api.post(f"{base}/follow-up", {"followed": "ja"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    response = api.post(
        f"{base}/ruling",
        {"ruling": "gegrond", "outcome": "gegrond", "ruled_on": "2025-12-01"},
        format="json",
    )
    assert response.status_code == 200, response.content
    response = api.post(f"{base}/follow-up", {"followed": "ja", "on": "2025-12-05"}, format="json")
    body = response.json()
    assert (body["followed"], body["followed_on"]) == ("ja", "2025-12-05")
    assert [h["step"] for h in body["history"]] == [
        "ingediend",
        "zitting",
        "uitspraak",
        "opvolging",
    ]
    detail = api.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["disputes"][0]["outcome"] == "gegrond"
    outsider = client_for(world.leerplicht_b)
    assert (
        outsider.post(f"{base}/hearing", {"hearing_on": "2025-11-02"}, format="json").status_code
        == 404
    )
    response = api.post(
        f"/api/v1/cases/{case.pk}/disputes",
        {"subject": "toelating", "body": "rechter", "applicant": "buren"},
        format="json",
    )
    assert response.status_code == 400
    assert Dispute.objects.count() == 1


@pytest.fixture
def wsgi_app():
    with wsgi_application() as app:
        yield app


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_fuzzing_the_dispute_endpoints_finds_no_server_error_nor_half_writes(world, mode, wsgi_app):
    """Generated inputs for every dispute operation, aimed at a case and a dispute in scope: never
    a 5xx, and every dispute keeps a history row for each step it took."""
    case = world.open_case()
    dispute = _lodge(world, case)
    key = PersonalToken.generate()
    PersonalToken.objects.create(
        membership=world.leerplicht_a, name="f", key_hash=PersonalToken.hash(key), prefix=key[:8]
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)

    def aim(call):
        if call.path_parameters:
            if "id" in call.path_parameters:
                call.path_parameters["id"] = case.pk
            if "dispute_id" in call.path_parameters:
                call.path_parameters["dispute_id"] = dispute.pk
        return call

    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if "/disputes" not in operation.path:
            continue
        strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))
        tried += fuzz(strategy.map(aim), {"Authorization": f"Bearer {key}"}, failures)
    assert tried >= 4
    assert not failures, "\n".join(failures[:10])
    for row in Dispute.objects.all():
        steps = list(row.changes.values_list("step", flat=True))
        assert steps[0] == "ingediend"
        assert (row.hearing_on is not None) == ("zitting" in steps)
        assert (row.ruled_on is not None) == ("uitspraak" in steps)
        assert bool(row.followed) == ("opvolging" in steps)
