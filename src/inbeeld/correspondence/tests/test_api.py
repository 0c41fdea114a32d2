"""/api/v1/contact-entries and /api/v1/letters: list within sight (the own organisation's), add,
make a letter, download its PDF; and a fuzz of what create accepts (never a 500, nothing
half-written)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.accounts.tests.factories import PASSWORD
from inbeeld.audit.models import AuditEvent
from inbeeld.correspondence.letters import SPECS
from inbeeld.correspondence.models import ContactEntry, Letter
from inbeeld.correspondence.tests.conftest import TODAY

ENTRIES, LETTERS = "/api/v1/contact-entries", "/api/v1/letters"


def login(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_add_list_and_correct_entries(client, world):
    login(client, world.w.leerplicht_a)
    body = {
        "student": world.child.pk,
        "kind": "huisbezoek",
        "contact_with": "ouder_verzorger",
        "summary": "Niemand thuis.",
        "on": (TODAY - dt.timedelta(days=1)).isoformat(),
    }
    created = post(client, ENTRIES, body)
    assert created.status_code == 201, created.content
    first = created.json()
    assert first["organisation"] == world.w.gemeente_a.code
    assert first["is_corrected"] is False
    fixed = post(client, ENTRIES, {**body, "summary": "Moeder gesproken.", "corrects": first["id"]})
    assert fixed.status_code == 201
    rows = client.get(ENTRIES, {"student": world.child.pk}).json()["results"]
    assert [(r["id"], r["is_corrected"]) for r in rows] == [
        (fixed.json()["id"], False),
        (first["id"], True),
    ]
    assert AuditEvent.objects.filter(action="view", student=world.child).exists()


def test_entries_are_the_writing_organisations_own(client, world):
    login(client, world.w.school_staff_a)
    post(
        client,
        ENTRIES,
        {"student": world.child.pk, "kind": "gesprek", "contact_with": "leerling", "summary": "x"},
    )
    client.logout()
    login(client, world.w.leerplicht_a)
    assert client.get(ENTRIES).json()["results"] == []


def test_problems_per_field_and_unknown_children(client, world):
    login(client, world.w.leerplicht_a)
    response = post(
        client,
        ENTRIES,
        {"student": world.child.pk, "kind": "gesprek", "contact_with": "anders", "summary": "x"},
    )
    assert response.status_code == 400
    assert "contact_name" in response.content.decode()
    response = post(
        client,
        ENTRIES,
        {
            "student": world.child_b.pk,
            "kind": "gesprek",
            "contact_with": "leerling",
            "summary": "x",
        },
    )
    assert response.status_code == 400
    assert "onbekende leerling" in response.content.decode()


def test_a_policy_officer_is_refused(client, world):
    login(client, world.w.beleid_a)
    assert client.get(ENTRIES).status_code == 403
    assert client.get(LETTERS).status_code == 403


def test_make_list_and_download_a_letter(client, world):
    login(client, world.w.leerplicht_a)
    body = {
        "student": world.child.pk,
        "kind": "waarschuwing",
        "fields": {"recipient": "Fam. de Vries\nDorpsstraat 1", "melding": world.melding_16.pk},
    }
    created = post(client, LETTERS, body)
    assert created.status_code == 201, created.content
    letter = created.json()
    assert letter["data"]["facts"]["melding"]["hours"] == "17.50"
    assert [r["id"] for r in client.get(LETTERS, {"kind": "waarschuwing"}).json()["results"]] == [
        letter["id"]
    ]
    download = client.get(f"{LETTERS}/{letter['id']}/pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", student=world.child).count() == 1
    # the school sees neither the letter nor its PDF
    client.logout()
    login(client, world.w.school_staff_a)
    assert client.get(f"{LETTERS}/{letter['id']}/pdf").status_code == 404
    assert client.get(LETTERS).json()["results"] == []


def test_a_refused_letter_names_its_missing_facts(client, world):
    login(client, world.w.leerplicht_a)
    response = post(
        client,
        LETTERS,
        {
            "student": world.young.pk,
            "kind": "halt",
            "fields": {
                "recipient": "Halt",
                "melding": world.melding_young.pk,
                "parents": "Fam. Bakker",
            },
        },
    )
    assert response.status_code == 400
    problem = response.json()
    assert "12 jaar" in str(problem)
    assert "earlier_steps_note" in str(problem)
    assert not Letter.objects.exists()


def test_a_school_may_not_hand_over_a_proces_verbaal(client, world):
    login(client, world.w.school_staff_a)
    response = post(
        client,
        LETTERS,
        {"student": world.child.pk, "kind": "proces_verbaal", "fields": {"recipient": "OM"}},
    )
    assert response.status_code == 403


# -- fuzz ------------------------------------------------------------------------------------------

FIELD_NAMES = sorted({f.name for spec in SPECS.values() for f in spec.fields} | {"x"})
JSON_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["2026-12-24", "10:30", "9.5", "ouders", "leerling", "beide", "1", "0"]),
    st.lists(st.integers(), max_size=2),
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fuzz(client, url, body):
    before = Letter.objects.count(), ContactEntry.objects.count()
    with transaction.atomic():
        response = post(client, url, body)
        assert response.status_code in (201, 400, 403), response.content
        if response.status_code != 201:
            assert (Letter.objects.count(), ContactEntry.objects.count()) == before
        transaction.set_rollback(True)


@FUZZ
@given(
    kind=st.one_of(st.sampled_from(sorted(SPECS)), st.text(max_size=10), st.none()),
    fields=st.one_of(
        st.dictionaries(st.sampled_from(FIELD_NAMES), JSON_VALUE, max_size=8),
        JSON_VALUE,
    ),
    student=st.one_of(st.sampled_from(["child", "young", "child_b"]), JSON_VALUE),
)
def test_fuzz_letter_create(client, world, kind, fields, student):
    login(client, world.w.leerplicht_a)
    if student in ("child", "young", "child_b"):
        student = getattr(world, student).pk
    _fuzz(client, LETTERS, {"student": student, "kind": kind, "fields": fields})


@FUZZ
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "student": st.one_of(st.just("child"), JSON_VALUE),
            "kind": st.one_of(st.sampled_from(["gesprek", "e-mail", "brief"]), JSON_VALUE),
            "contact_with": st.one_of(st.sampled_from(["leerling", "anders"]), JSON_VALUE),
            "contact_name": JSON_VALUE,
            "on": st.one_of(st.dates().map(str), JSON_VALUE),
            "summary": JSON_VALUE,
            "corrects": JSON_VALUE,
        },
    )
)
def test_fuzz_contact_entry_create(client, world, body):
    login(client, world.w.leerplicht_a)
    if body.get("student") == "child":
        body["student"] = world.child.pk
    _fuzz(client, ENTRIES, body)
