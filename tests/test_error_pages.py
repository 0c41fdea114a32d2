"""Styled Dutch 403, 404 and 500 pages (issue 9, finding 14: a failing download showed Django's
debug page). With DEBUG off every error answers in the NL Design System look, in Dutch, without
any detail of the error; the 500 page renders without the database or any context processor.
API errors stay application/problem+json."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import path

from inbeeld.accounts.tests.factories import MembershipFactory
from inbeeld.urls import handler403, handler404, handler500  # noqa: F401 (this test's urlconf)
from inbeeld.urls import urlpatterns as app_urlpatterns


def _forbidden(request):
    raise PermissionDenied("geheime reden 4711")


def _missing(request):
    raise Http404("geheime reden 4712")


def _broken(request):
    raise RuntimeError("geheime reden 4713")


def _api_broken(request):
    raise RuntimeError("geheime reden 4714")


urlpatterns = [
    path("test-fout/403/", _forbidden),
    path("test-fout/404/", _missing),
    path("test-fout/500/", _broken),
    path("api/v1/test-fout/500/", _api_broken),
    *app_urlpatterns,
]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.test_error_pages"),
]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _page(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="nl"' in page
    assert "ui/inbeeld.css" in page  # the NL Design System look
    assert "geheime reden" not in page
    assert "Traceback" not in page
    return page


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/test-fout/403/", 403, "Geen toegang"),
        ("/test-fout/404/", 404, "Pagina niet gevonden"),
        ("/bestaat-niet/", 404, "Pagina niet gevonden"),
        ("/test-fout/500/", 500, "Er ging iets mis"),
    ],
)
def test_an_error_is_a_styled_dutch_page(client, url, status, heading):
    client.force_login(MembershipFactory().user)
    response = client.get(url)
    assert response.status_code == status
    page = _page(response)
    assert f">{heading}</h1>" in page


@override_settings(DEBUG=False)
def test_the_not_found_page_of_a_logged_in_user_keeps_the_menu(client):
    client.force_login(MembershipFactory().user)
    page = _page(client.get("/bestaat-niet/"))
    assert 'aria-label="Hoofdmenu"' in page


def test_the_500_page_renders_without_database_or_context(django_db_blocker):
    # as Django's server_error does: the template alone, no request, no context processors
    with django_db_blocker.block():
        page = render_to_string("500.html")
    assert ">Er ging iets mis</h1>" in page
    assert "ui/inbeeld.css" in page


def test_the_500_page_renders_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("no database")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    with override_settings(DEBUG=False):
        response = client.get("/test-fout/500/")
    assert response.status_code == 500
    assert ">Er ging iets mis</h1>" in _page(response)


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("url", "status"), [("/api/v1/bestaat-niet", 404), ("/api/v1/test-fout/500/", 500)]
)
def test_api_errors_stay_problem_json(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["title"]
    assert "geheime reden" not in response.content.decode()


@override_settings(DEBUG=False)
def test_a_csrf_failure_is_a_styled_dutch_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = _page(response)
    assert ">Formulier verlopen</h1>" in page
