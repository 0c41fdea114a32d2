"""The figures over the API: same scope and suppression as the dashboard, never a child."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.tests.factories import token_client
from inbeeld.attendance.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def _session_client(membership) -> APIClient:
    client = APIClient()
    client.force_login(membership.user)
    return client


def _rows(rows):
    return {row["key"]: row for row in rows}


def test_now_is_scoped_and_suppressed(world):
    a = token_client(world.leerplicht_a).get("/api/v1/figures/now")
    assert a.status_code == 200
    assert a["API-Version"]
    body = a.json()
    assert body["pupils"] == 20
    rows = _rows(body["thuiszitters"])
    assert rows["total"]["now"] == 9
    assert rows["absoluut_verzuim"]["now"] is None
    assert rows["langdurig_relatief_verzuim"]["now"] is None
    assert body["targets"]["is_default"] is True
    assert "student" not in str(body).lower()

    leerplicht_b = MembershipFactory(organisation=world.gemeente_b)
    b = token_client(leerplicht_b).get("/api/v1/figures/now").json()
    assert b["pupils"] == 30
    assert _rows(b["thuiszitters"])["total"]["now"] == 18


def test_beleid_reads_the_figures_with_a_session(world):
    response = _session_client(world.beleid_swv).get("/api/v1/figures/now")
    assert response.status_code == 200
    assert _rows(response.json()["thuiszitters"])["absoluut_verzuim"]["now"] == 7


def test_trends_with_breakdown(world):
    client = token_client(world.leerplicht_a)
    response = client.get("/api/v1/figures/trends", {"school_year": 2024, "breakdown": "gemeente"})
    assert response.status_code == 200
    body = response.json()
    assert body["label"] == "2024/25"
    assert _rows(body["months"])["total"]["new"] == 16
    assert [r["label"] for r in body["breakdown_rows"]] == ["Gemeente A", "totaal"]
    assert client.get("/api/v1/figures/trends", {"breakdown": "kind"}).status_code == 400
    assert client.get("/api/v1/figures/trends", {"school_year": 2010}).status_code == 404


def test_leerplichttelling(world):
    client = token_client(world.leerplicht_a)
    response = client.get("/api/v1/figures/leerplichttellingen/2024")
    assert response.status_code == 200
    body = response.json()
    assert body["label"] == "2024/25"
    figures = {figure["key"]: figure["value"] for figure in body["figures"]}
    assert figures["thuiszitters"] == 15
    assert figures["lrv_total"] is None  # 2 children: hidden
    assert {t["key"] for t in body["tables"]} >= {"thuiszitters", "exemptions", "per_school"}
    assert "student" not in str(body).lower()
    response = client.get("/api/v1/figures/leerplichttellingen/1990")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_roles_and_organisations_without_figures_are_refused(world):
    from inbeeld.accounts.models import Role

    wijkteam = MembershipFactory(organisation=world.gemeente_a, role=Role.WIJKTEAM_MEDEWERKER)
    assert token_client(wijkteam).get("/api/v1/figures/now").status_code == 403
    ggd = OrganisationFactory(type=OrganisationType.GGD, code="GGD01", name="GGD")
    jeugdarts = MembershipFactory(organisation=ggd, role=Role.JEUGDARTS)
    response = token_client(jeugdarts).get("/api/v1/figures/trends")
    assert response.status_code == 403
    assert "telt geen cijfers" in response.json()["detail"]
    assert APIClient().get("/api/v1/figures/now").status_code == 401
