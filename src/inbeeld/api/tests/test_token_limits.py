"""Personal tokens at the API: they expire, reach only their scopes, and are throttled per token
(issue 9 §11). A browser session is limited by the user's roles only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.permissions import SAFE_METHODS
from rest_framework.test import APIClient
from rest_framework.views import APIView

from inbeeld.accounts.models import Role
from inbeeld.accounts.token_scopes import READ_ONLY_FAMILIES, ResourceFamily
from inbeeld.api import urls as api_urls
from inbeeld.api.tests.conftest import make_member, make_token, token_client
from inbeeld.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
#: the one API view without a family: the OpenAPI description, public and without data
PUBLIC_VIEWS = {"SpectacularJSONAPIView"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    return body


# -- every view declares its family --------------------------------------------------------------


def _api_views():
    """(route, view class, HTTP methods) of every DRF view under /api/v1/."""
    for pattern in api_urls.urlpatterns:
        cls = getattr(pattern.callback, "cls", None)
        if cls is None or not issubclass(cls, APIView):
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions is not None:
            methods = {method.upper() for method in actions}
        else:
            methods = {m.upper() for m in cls.http_method_names if hasattr(cls, m)} - {"OPTIONS"}
        yield str(pattern.pattern), cls, methods


def test_every_api_view_declares_its_resource_family():
    checked = 0
    for route, cls, _methods in _api_views():
        if cls.__name__ in PUBLIC_VIEWS:
            continue
        family = getattr(cls, "resource_family", None)
        assert family in set(ResourceFamily), f"{route} ({cls.__name__}) names no resource family"
        checked += 1
    assert checked > 20


def test_read_only_families_have_no_writes_and_the_others_do():
    writes: dict[str, set[str]] = {}
    for route, cls, methods in _api_views():
        if cls.__name__ in PUBLIC_VIEWS:
            continue
        for method in methods - set(SAFE_METHODS):
            writes.setdefault(cls.resource_family, set()).add(f"{method} {route}")
    for family in ResourceFamily:
        if family in READ_ONLY_FAMILIES:
            assert family not in writes, writes.get(family)
        else:
            assert writes.get(family), f"{family} offers write but has no writing endpoint"


# -- expiry --------------------------------------------------------------------------------------


def test_an_expired_token_is_401_saying_it_expired_and_the_refusal_is_audited(side_a):
    expired = timezone.now() - dt.timedelta(minutes=1)
    key = make_token(side_a.membership, expires_at=expired)
    body = _problem(token_client(key).get("/api/v1/students"), 401)
    assert "verlopen" in body["detail"]
    event = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert event.user == side_a.user
    assert event.organisation == side_a.school_org
    assert event.detail["reason"] == "expired"
    assert event.detail["prefix"] == key[:8]


def test_a_token_works_until_it_expires(side_a):
    key = make_token(side_a.membership, expires_at=timezone.now() + dt.timedelta(minutes=5))
    assert token_client(key).get("/api/v1/students").status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.REFUSED).exists()


# -- scopes --------------------------------------------------------------------------------------


def test_a_read_scope_reads_and_does_not_write(side_a):
    client = token_client(make_token(side_a.membership, scopes={"absences": "read"}))
    assert client.get("/api/v1/absences").status_code == 200
    body = _problem(client.post("/api/v1/absences", [], format="json"), 403)
    assert body["missingScope"] == "absences:write"
    assert "absences:write" in body["detail"]
    event = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert event.detail["reason"] == "scope"
    assert event.detail["scope"] == "absences:write"
    assert event.detail["path"] == "/api/v1/absences"
    assert event.user == side_a.user


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("get", "/api/v1/students", "students:read"),
        ("get", "/api/v1/enrolments", "students:read"),
        ("get", "/api/v1/findings", "findings:read"),
        ("get", "/api/v1/exemptions", "exemptions:read"),
        ("get", "/api/v1/cases", "cases:read"),
        ("post", "/api/v1/cases", "cases:write"),
        ("post", "/api/v1/cases/1/notes", "cases:write"),
        ("get", "/api/v1/leave-requests", "leave:read"),
        ("post", "/api/v1/exemption-requests", "exemption_requests:write"),
        ("get", "/api/v1/concerns", "concerns:read"),
        ("get", "/api/v1/matches", "concerns:read"),
        ("get", "/api/v1/figures/now", "figures:read"),
        ("post", "/api/v1/notifications/1/read", "notifications:write"),
        ("get", "/api/v1/organisations", "organisations:read"),
    ],
)
def test_outside_its_scopes_a_token_gets_403_naming_the_scope(side_a, method, path, scope):
    family = scope.split(":")[0]
    scopes = {"absences": "write"} if family != "absences" else {"students": "read"}
    if scope.endswith(":write"):
        scopes[family] = "read"  # reading it is not enough
    client = token_client(make_token(side_a.membership, scopes=scopes))
    body = _problem(getattr(client, method)(path, {}, format="json"), 403)
    assert body["missingScope"] == scope


def test_scopes_only_narrow_never_widen(side_a):
    """A functioneel beheerder's token with the students scope still sees no child."""
    membership = make_member("beheer", side_a.school_org, Role.FUNCTIONEEL_BEHEERDER)
    client = token_client(make_token(membership, scopes={"students": "read", "absences": "write"}))
    body = _problem(client.get("/api/v1/students"), 403)
    assert "missingScope" not in body
    assert "view_student" in body["detail"]


def test_a_session_is_not_limited_by_scopes(side_a):
    make_token(side_a.membership, scopes={"students": "read"})
    client = APIClient()
    client.force_login(side_a.user)
    assert client.get("/api/v1/cases").status_code == 200
    # an empty batch is refused by the endpoint itself (400), not by a scope (403)
    _problem(client.post("/api/v1/absences", [], format="json"), 400)


# -- throttling ----------------------------------------------------------------------------------


def test_each_token_is_throttled_on_its_own(sides, settings):
    a, b = sides
    settings.INBEELD_API_TOKEN_RATE = "2/minute"
    cache.clear()
    client = a.client()
    assert client.get("/api/v1/organisations").status_code == 200
    assert client.get("/api/v1/organisations").status_code == 200
    body = _problem(client.get("/api/v1/organisations"), 429)
    response = client.get("/api/v1/organisations")
    assert 0 < int(response["Retry-After"]) <= 60
    assert body["detail"]
    # another token of the same person is counted apart, and so is another organisation's
    assert token_client(make_token(a.membership)).get("/api/v1/organisations").status_code == 200
    assert b.client().get("/api/v1/organisations").status_code == 200
    session = APIClient()
    session.force_login(a.user)
    for _ in range(3):
        assert session.get("/api/v1/organisations").status_code == 200
    cache.clear()
