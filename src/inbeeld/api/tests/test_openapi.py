"""The served spec validates without warnings, and a schemathesis fuzz run finds no server error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

from inbeeld.api.base import ApiView, ApiViewSet, ScopedReadViewSet, SelectorListViewSet
from inbeeld.api.tests.fuzzing import fuzz, wsgi_application

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("GET", "/api/v1/students"),
    ("GET", "/api/v1/students/{id}"),
    ("GET", "/api/v1/enrolments"),
    ("GET", "/api/v1/absences"),
    ("POST", "/api/v1/absences"),
    ("GET", "/api/v1/exemptions"),
    ("GET", "/api/v1/leave-requests"),
    ("POST", "/api/v1/leave-requests"),
    ("GET", "/api/v1/leave-requests/{id}"),
    ("GET", "/api/v1/exemption-requests"),
    ("POST", "/api/v1/exemption-requests"),
    ("GET", "/api/v1/exemption-requests/{id}"),
    ("POST", "/api/v1/exemption-requests/{id}/decision"),
    ("GET", "/api/v1/findings"),
    ("GET", "/api/v1/meldingen"),
    ("GET", "/api/v1/meldingen/caseload"),
    ("GET", "/api/v1/organisations"),
    ("GET", "/api/v1/cases"),
    ("POST", "/api/v1/cases"),
    ("GET", "/api/v1/cases/{id}"),
    ("POST", "/api/v1/cases/{id}/team-members"),
    ("POST", "/api/v1/cases/{id}/team-members/{member_id}/end"),
    ("POST", "/api/v1/cases/{id}/actions"),
    ("POST", "/api/v1/cases/{id}/actions/{action_id}/done"),
    ("POST", "/api/v1/cases/{id}/actions/{action_id}/hand-over"),
    ("POST", "/api/v1/cases/{id}/meetings"),
    ("POST", "/api/v1/cases/{id}/referrals"),
    ("POST", "/api/v1/cases/{id}/referrals/{referral_id}/start"),
    ("POST", "/api/v1/cases/{id}/interventions"),
    ("POST", "/api/v1/cases/{id}/causes"),
    ("POST", "/api/v1/cases/{id}/causes/{cause_id}/end"),
    ("POST", "/api/v1/cases/{id}/escalations"),
    ("POST", "/api/v1/cases/{id}/escalations/{escalation_id}/decision"),
    ("POST", "/api/v1/cases/{id}/outcomes"),
    ("POST", "/api/v1/cases/{id}/transitions"),
    ("GET", "/api/v1/cases/{id}/notes"),
    ("POST", "/api/v1/cases/{id}/notes"),
    ("POST", "/api/v1/cases/{id}/disputes"),
    ("POST", "/api/v1/cases/{id}/disputes/{dispute_id}/ruling"),
    ("POST", "/api/v1/cases/{id}/disputes/{dispute_id}/hearing"),
    ("POST", "/api/v1/cases/{id}/disputes/{dispute_id}/follow-up"),
    ("GET", "/api/v1/barriers"),
    ("POST", "/api/v1/barriers"),
    ("GET", "/api/v1/barriers/{id}"),
    ("POST", "/api/v1/barriers/{id}/changes"),
    ("GET", "/api/v1/school-teams"),
    ("GET", "/api/v1/school-teams/{id}"),
    ("GET", "/api/v1/school-team-entries"),
    ("GET", "/api/v1/school-team-entries/{id}"),
    ("GET", "/api/v1/notifications"),
    ("POST", "/api/v1/notifications/{id}/read"),
    ("GET", "/api/v1/figures/now"),
    ("GET", "/api/v1/figures/trends"),
    ("GET", "/api/v1/figures/leerplichttellingen/{school_year}"),
    ("GET", "/api/v1/concerns"),
    ("POST", "/api/v1/concerns"),
    ("GET", "/api/v1/matches"),
    ("GET", "/api/v1/contact-entries"),
    ("POST", "/api/v1/contact-entries"),
    ("GET", "/api/v1/letters"),
    ("POST", "/api/v1/letters"),
    ("GET", "/api/v1/letters/{id}/pdf"),
}


def test_served_spec_validates_without_warnings(client):
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    spec = response.json()
    validate_schema(spec)
    assert not GENERATOR_STATS, f"{GENERATOR_STATS._warn_cache} {GENERATOR_STATS._error_cache}"
    operations = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    assert operations == ENDPOINTS
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert all(op["tags"] for ops in spec["paths"].values() for op in ops.values())
    for path in spec["paths"]:
        assert path == path.lower()
        assert not path.endswith("/")
    # an operation is described by its own view or action, never by the shared bases' docstrings
    # (api.schema.lib_doc_excludes)
    shared = {
        cls.__doc__.splitlines()[0]
        for cls in (ApiView, ApiViewSet, SelectorListViewSet, ScopedReadViewSet)
        if cls.__doc__
    }
    assert shared
    for ops in spec["paths"].values():
        for op in ops.values():
            assert not any(text in op.get("description", "") for text in shared), op["operationId"]


def test_spectacular_command_passes_with_fail_on_warn(tmp_path):
    out = tmp_path / "openapi.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    assert out.stat().st_size > 0


def _aim(case, student):
    if case.path_parameters and "id" in case.path_parameters:
        case.path_parameters["id"] = student.pk
    if isinstance(case.body, list):
        for item in case.body:
            if isinstance(item, dict) and "student_id" in item:
                item["student_id"] = student.external_id
    return case


@pytest.fixture
def wsgi_app():
    with wsgi_application() as app:
        yield app


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_fuzz_from_the_spec_finds_no_server_error(sides, mode, wsgi_app):
    side_a, _ = sides
    headers = {"Authorization": f"Bearer {side_a.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))
        if mode == "positive":  # aim valid requests at a pupil that exists, to reach the writes
            strategy = strategy.map(lambda case: _aim(case, side_a.student))
        tried += fuzz(strategy, headers, failures)
    assert tried >= len(ENDPOINTS)
    assert not failures, "\n".join(failures[:10])


def test_the_committed_openapi_document_is_current(tmp_path) -> None:
    """docs/openapi.json is what the code serves: a change to the API shows in review as a change
    to that file (`make openapi` writes it)."""
    generated = tmp_path / "openapi.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(generated))
    committed = Path(__file__).resolve().parents[4] / "docs" / "openapi.json"
    assert json.loads(generated.read_text()) == json.loads(committed.read_text()), (
        "docs/openapi.json is out of date: run `make openapi` and commit it"
    )
