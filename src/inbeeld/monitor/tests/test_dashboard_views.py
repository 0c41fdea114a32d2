"""The monitor's screens: the dashboard per organisation, htmx breakdown, the leerplichttelling
and its downloads; a beleidsmedewerker never reaches a child from a figure."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inbeeld.accounts.models import OrganisationType
from inbeeld.attendance.tests.factories import MembershipFactory, OrganisationFactory
from inbeeld.audit.models import AuditEvent
from inbeeld.monitor.tests.downloads import download_telling

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def _client(client, membership):
    client.force_login(membership.user)
    return client


def _figure(page: str, testid: str) -> str:
    match = re.search(
        rf'data-testid="{testid}"><span class="monitor-figure__value">(.*?)</span>', page
    )
    assert match, testid
    return match.group(1)


def test_beleid_lands_on_the_dashboard_and_sees_its_figures(client, world):
    response = _client(client, world.beleid_a).get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("monitor:dashboard")
    page = response.content.decode()
    for heading in ("Nu", "Doelen van het pact", "Trends", "Leerplichttelling"):
        assert f">{heading}</h2>" in page
    assert _figure(page, "figure-thuiszitters") == "9"
    assert _figure(page, "figure-pupils") == "20"
    assert 'aria-current="page"' in page
    assert ">Monitor</a>" in page
    # the charts' specs are embedded, each with a table under it
    # (per school every count is hidden: that chart gives way to a sentence)
    assert page.count('type="application/json"') == 3
    assert 'data-testid="chart-empty"' in page
    assert page.count("<caption") >= 10
    assert "vega-embed.min.js" in page
    # RULES.md §7: the exemptions by their article, vervangende leerplicht in a table apart
    assert 'data-testid="table-exemptions"' in page
    assert (
        "artikel 5, onder a – lichamelijk of psychisch niet in staat om naar school te gaan" in page
    )
    assert 'data-testid="table-vervangende-leerplicht"' in page
    assert "Vervangende leerplicht nu, per artikel" in page


def test_suppression_is_visible_on_the_dashboard(client, world):
    page = _client(client, world.beleid_a).get(reverse("monitor:dashboard")).content.decode()
    assert 'data-testid="hidden-figure"' in page
    assert _figure(page, "figure-over-3-months").startswith('<span class="monitor-hidden"')


def test_beleid_gets_no_link_to_a_child(client, world):
    page = _client(client, world.beleid_a).get(reverse("monitor:dashboard")).content.decode()
    child = world.thuiszitter_a
    assert "/leerling/" not in page
    assert child.family_name not in page
    assert child.external_id not in page
    assert reverse("attendance:student", args=[child.pk]) not in page
    breakdown = client.get(
        reverse("monitor:dashboard"),
        {"indeling": "postcode"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="uitsplitsing",
    ).content.decode()
    assert "/leerling/" not in breakdown


def test_two_organisations_never_see_each_others_figures(client, world):
    page_b = _client(client, world.beleid_b).get(reverse("monitor:dashboard")).content.decode()
    assert _figure(page_b, "figure-thuiszitters") == "18"
    assert "De Linde" not in page_b
    assert "Gemeente A" not in page_b
    client.logout()
    page_a = _client(client, world.beleid_a).get(reverse("monitor:dashboard")).content.decode()
    assert "De Eik" not in page_a


def test_breakdown_comes_as_a_fragment_with_htmx(client, world):
    response = _client(client, world.beleid_a).get(
        reverse("monitor:dashboard"),
        {"indeling": "gemeente", "schooljaar": "2024"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="uitsplitsing",
    )
    body = response.content.decode()
    assert "<h1" not in body
    assert 'data-testid="table-breakdown"' in body
    assert "Gemeente A" in body
    assert 'id="chart-breakdown"' in body


def test_an_unknown_school_year_or_breakdown_falls_back(client, world):
    response = _client(client, world.beleid_a).get(
        reverse("monitor:dashboard"), {"schooljaar": "1999", "indeling": "kind"}
    )
    assert response.status_code == 200


def test_ggd_sees_that_it_has_no_figures(client):
    ggd = OrganisationFactory(type=OrganisationType.GGD, code="GGD01", name="GGD Test")
    member = MembershipFactory(organisation=ggd)  # leerplicht role: figures, but no scope
    response = _client(client, member).get(reverse("monitor:dashboard"))
    assert response.status_code == 200
    assert 'data-testid="no-figures"' in response.content.decode()


def test_without_view_figures_the_monitor_is_forbidden(client, world):
    from inbeeld.accounts.models import Role

    wijkteam = MembershipFactory(organisation=world.gemeente_a, role=Role.WIJKTEAM_MEDEWERKER)
    assert _client(client, wijkteam).get(reverse("monitor:dashboard")).status_code == 403


def test_leerplichttelling_page_and_downloads(client, world):
    _client(client, world.beleid_a)
    page = client.get(reverse("monitor:telling", args=[2024])).content.decode()
    assert "Leerplichttelling 2024/25" in page
    assert 'data-testid="telling-thuiszitters">' in page
    assert "/leerling/" not in page
    for fmt in ("csv", "xlsx", "pdf"):  # forms that start the export in the worker (issue 14)
        action = reverse("monitor:telling_export", args=[2024, fmt])
        assert f'<form method="post" action="{action}">' in page
    assert 'name="csrfmiddlewaretoken"' in page

    response, content = download_telling(client, 2024, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "leerplichttelling-2024-25.xlsx" in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert any("Leerplichttelling" in str(v) for v in values)

    _response, content = download_telling(client, 2024, "pdf")
    assert content.startswith(b"%PDF")

    _response, content = download_telling(client, 2024, "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) > 3
    assert AuditEvent.objects.filter(action="export").count() == 3


def test_telling_of_a_year_out_of_range_is_not_found(client, world):
    _client(client, world.beleid_a)
    assert client.get(reverse("monitor:telling", args=[1990])).status_code == 404
    response = client.post(reverse("monitor:telling_export", args=[2024, "doc"]))
    assert response.status_code == 404
    response = client.post(reverse("monitor:telling_export", args=[1990, "csv"]))
    assert response.status_code == 404
