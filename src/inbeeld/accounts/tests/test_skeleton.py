"""The application starts: migrations apply, login page renders, the OpenAPI spec is served."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_renders(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("attendance:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_openapi_spec_is_json(admin_client):
    response = admin_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
