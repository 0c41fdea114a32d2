"""RULES.md §7 over the API: ``permanent`` on a request (5a only), art. 15 only under
kwalificatieplicht, 5a_trekkend, and the register's ``kind``, ``permanent`` and ``lapses_on``.
Bad values, fuzzed with hypothesis, give a 400 naming each bad field and write nothing."""

from __future__ import annotations

import datetime as dt

import hypothesis
from hypothesis import strategies as st
from rest_framework import serializers

from inbeeld.attendance.tests.factories import PASSWORD, ExemptionFactory
from inbeeld.audit.models import AuditEvent
from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.exemptions.tests.test_api import body
from inbeeld.people.tests.factories import login
from inbeeld.people.tests.fuzz import fuzz
from inbeeld.rules.model import ARTICLES

URL = "/api/v1/exemption-requests"
D = dt.date


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def names(response) -> set[str]:
    return {p["name"] for p in response.json()["invalidParams"]}


def test_permanent_5a_and_its_refusal_elsewhere(client, world):
    login(client, world.leerplicht_a)
    made = post(client, body(world, permanent=True))
    assert made.status_code == 201, made.content
    assert made.json()["permanent"] is True
    refused = post(client, body(world, article="5b", permanent=True))
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    params = refused.json()["invalidParams"]
    assert [p["name"] for p in params] == ["permanent"]
    assert "alleen een vrijstelling op grond van artikel 5, onder a" in params[0]["reason"].lower()
    assert ExemptionRequest.objects.count() == 1


def test_article_15_for_a_fourteen_year_old_is_refused(client, world):
    login(client, world.leerplicht_a)
    refused = post(client, body(world, article="15"))
    assert refused.status_code == 400
    params = refused.json()["invalidParams"]
    assert [p["name"] for p in params] == ["article"]
    assert "alleen voor een kwalificatieplichtige leerling" in params[0]["reason"]
    assert not ExemptionRequest.objects.exists()
    fine = post(
        client, body(world, student=world.older_a.pk, article="15", start_date="2024-09-01")
    )
    assert fine.status_code == 201, fine.content


def test_5a_trekkend_is_offered(client, world):
    login(client, world.leerplicht_a)
    made = post(client, body(world, article="5a_trekkend"))
    assert made.status_code == 201, made.content
    assert made.json()["article"] == "5a_trekkend"


def test_the_register_says_kind_permanent_and_lapse(client, world):
    ExemptionFactory(student=world.child_a, article="5a", start_date=D(2024, 9, 2))
    ExemptionFactory(student=world.child_a, article="5a", start_date=D(2025, 9, 1), permanent=True)
    ExemptionFactory(student=world.child_a, article="3a", start_date=D(2025, 3, 3))
    login(client, world.leerplicht_a)
    rows = client.get("/api/v1/exemptions", {"student": world.child_a.pk}).json()["results"]
    seen = [(r["article"], r["kind"], r["permanent"], r["lapses_on"]) for r in rows]
    assert seen == [
        ("5a", "vrijstelling", False, "2025-07-31"),
        ("3a", "vervangende_leerplicht", False, None),
        ("5a", "vrijstelling", True, None),
    ]
    # on 1 August 2025 the first 5a has lapsed; the 3a runs on
    running = client.get(
        "/api/v1/exemptions", {"student": world.child_a.pk, "active_on": "2025-08-01"}
    ).json()["results"]
    assert [r["article"] for r in running] == ["3a"]
    running = client.get(
        "/api/v1/exemptions", {"student": world.child_a.pk, "active_on": "2025-07-31"}
    ).json()["results"]
    assert [r["article"] for r in running] == ["5a", "3a"]


def test_the_openapi_names_the_new_fields(client, world):
    login(client, world.leerplicht_a)
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"permanent", "lapses_on", "kind"} <= set(schemas["Exemption"]["properties"])
    assert "permanent" in schemas["ExemptionRequestCreateRequest"]["properties"]
    assert "hours_per_day" in schemas["Enrolment"]["properties"]
    assert "5a_trekkend" in str(schemas)
    assert "luxe verzuim" in str(schemas)


FUZZ = fuzz(40)

_json_junk = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10), st.lists(st.none())
)


def _drf_boolean(value) -> bool:
    """What DRF's BooleanField takes as a boolean."""
    accepted = serializers.BooleanField.TRUE_VALUES | serializers.BooleanField.FALSE_VALUES
    try:
        return value in accepted
    except TypeError:  # a list
        return False


def test_fuzz_bad_new_values_are_named_and_nothing_written(client, world):
    """Any bad ``article``/``permanent``, alone or together with a bad date, gives one 400 naming
    exactly those fields; nothing is stored and no audit row is written."""
    assert client.login(username=world.leerplicht_a.user.username, password=PASSWORD)
    events = AuditEvent.objects.count()

    @FUZZ
    @hypothesis.given(
        article=st.one_of(st.sampled_from([*ARTICLES, "9z", "5A", ""]), _json_junk),
        permanent=st.one_of(st.booleans(), _json_junk),
        bad_start=st.booleans(),
    )
    def run(article, permanent, bad_start):
        data = body(world, article=article, permanent=permanent)
        if bad_start:
            data["start_date"] = "2025-02-30"
        bad_article = not (isinstance(article, str) and article in ARTICLES)
        bad_permanent = not _drf_boolean(permanent)
        expected = {
            name
            for name, bad in (
                ("article", bad_article),
                ("permanent", bad_permanent),
                ("start_date", bad_start),
            )
            if bad
        }
        hypothesis.assume(expected)
        response = post(client, data)
        assert response.status_code == 400, (data, response.content)
        assert names(response) == expected, response.json()
        assert not ExemptionRequest.objects.exists()
        assert AuditEvent.objects.count() == events

    run()


def test_fuzz_permanent_on_another_article_is_refused_by_the_service(client, world):
    assert client.login(username=world.leerplicht_a.user.username, password=PASSWORD)

    @FUZZ
    @hypothesis.given(
        article=st.sampled_from([a for a in ARTICLES if a != "5a"]),
        end=st.one_of(st.none(), st.dates(min_value=D(2025, 8, 1), max_value=D(2030, 1, 1))),
    )
    def run(article, end):
        data = body(world, student=world.older_a.pk, article=article, permanent=True)
        data["start_date"] = "2024-09-01"
        data["end_date"] = end.isoformat() if end else None
        response = post(client, data)
        assert response.status_code == 400, response.content
        assert names(response) == {"permanent"}
        assert not ExemptionRequest.objects.exists()

    run()
