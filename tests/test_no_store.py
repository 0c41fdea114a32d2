"""Finding 10 of issue 9: pages and API answers with personal data carry ``Cache-Control:
no-store``, so that no browser cache, proxy or back button keeps a child's data. The rule: every
response to a logged-in user or an API token, and everything under /api/. Static files keep their
caching; the login page of an anonymous visitor holds nothing personal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from inbeeld.accounts import services as account_services
from inbeeld.accounts.no_store import NoStoreMiddleware
from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.tests.factories import AbsenceFactory
from inbeeld.monitor.tests.downloads import download_telling
from tests import build

pytestmark = pytest.mark.django_db

D = dt.date


def assert_no_store(response) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert "no-store" in directives, (response.status_code, response.get("Cache-Control"))
    assert "private" in directives


@pytest.fixture
def world(db):
    w = build.two_organisations()
    w.truant_a = build.pupil(w.school_a, family_name="Aalders")
    for day in (D(2024, 10, 7), D(2024, 10, 14), D(2024, 10, 28), D(2024, 11, 4)):
        AbsenceFactory(student=w.truant_a, start_date=day, hours_per_day=Decimal("4"))
    detection_run(on=D(2024, 11, 8))
    return w


def test_a_child_page_is_not_stored(client, world):
    client.force_login(world.leerplicht_a.user)
    response = client.get(reverse("attendance:student", args=[world.truant_a.pk]))
    assert response.status_code == 200
    assert "Aalders" in response.content.decode()
    assert_no_store(response)


def test_an_htmx_fragment_is_not_stored(client, world):
    client.force_login(world.school_staff_a.user)
    response = client.get(
        reverse("attendance:home"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="meldingen"
    )
    assert response.status_code == 200
    assert "<h1" not in response.content.decode()
    assert_no_store(response)


def test_a_not_found_page_of_a_logged_in_user_is_not_stored(client, world):
    client.force_login(world.leerplicht_b.user)
    response = client.get(reverse("attendance:student", args=[world.truant_a.pk]))
    assert response.status_code == 404
    assert_no_store(response)


def test_an_api_answer_with_a_token_is_not_stored(world):
    _, key = account_services.personal_token_create(
        actor=build.actor_for(world.leerplicht_a), name="LAS", scopes={"students": "read"}
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get(f"/api/v1/students/{world.truant_a.pk}")
    assert response.status_code == 200
    assert_no_store(response)
    # an API error too, and an API answer without credentials
    assert_no_store(client.get("/api/v1/students/999999999"))
    assert_no_store(APIClient().get("/api/v1/students"))


def test_a_download_is_not_stored(client):
    world = build.dashboard()
    client.force_login(world.beleid_a.user)
    response, _content = download_telling(client, 2024, "csv")
    assert "attachment" in response["Content-Disposition"]
    assert_no_store(response)


def test_static_files_keep_their_caching():
    def static_file(request):
        response = HttpResponse(b"body{}", content_type="text/css")
        response["Cache-Control"] = "max-age=315360000, public, immutable"
        return response

    request = RequestFactory().get(settings.STATIC_URL + "ui/inbeeld.css")
    request.user = build.person(build.gemeente()).user  # even for a logged-in user
    response = NoStoreMiddleware(static_file)(request)
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"


def test_an_anonymous_page_outside_the_api_is_left_alone():
    request = RequestFactory().get("/inloggen/")
    request.user = AnonymousUser()
    response = NoStoreMiddleware(lambda r: HttpResponse("hallo"))(request)
    assert not response.has_header("Cache-Control")
