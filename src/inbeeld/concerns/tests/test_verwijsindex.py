"""Issue 9, findings 4 and 5: concerns follow the Verwijsindex model strictly.

* registering a concern gives no sight of the child (finding 4);
* a registration answers the same whether or not the BSN and birth date belong to a child in
  Inbeeld: every field is checked first, all at once, then the child is looked up (finding 5);
* a registration about a child not (yet) in Inbeeld is kept and linked when the child appears.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.tests.factories import token_client as api
from inbeeld.concerns import linking, selectors
from inbeeld.concerns.models import Concern, Match
from inbeeld.concerns.tests.conftest import ON, register
from inbeeld.people.selectors import student_for
from inbeeld.people.tests.factories import PASSWORD, StudentFactory, valid_bsn

D = dt.date
UNKNOWN_BSN = valid_bsn(777)


BODY = {
    "domain": "health",
    "urgent": True,
    "contact_name": "A. de Jong, jeugdarts",
    "contact_phone": "050 123 45 67",
    "contact_email": "a.dejong@ggd.example",
}


def _masked(text: str) -> str:
    """A response with what differs by nature between two registrations (ids, BSN, birth date)
    taken out, so two responses can be compared as a whole."""
    text = re.sub(r'"id":\s*\d+', '"id": 0', text)
    text = re.sub(r"\b\d{9}\b", "BSN", text)
    return re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", text)


# -- finding 4: a registration gives no sight ---------------------------------------------------


@pytest.mark.parametrize("who", ["jeugdarts", "wijkteam_member"])
def test_a_registration_by_bsn_gives_no_sight_of_the_child(client, world, who):
    membership = getattr(world, who)
    response = api(membership).post(
        "/api/v1/concerns",
        {**BODY, "bsn": world.pupil.bsn, "birth_date": world.pupil.birth_date.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Concern.objects.get().student == world.pupil  # linked, for matching
    # but neither the API nor the child's page opens
    assert api(membership).get(f"/api/v1/students/{world.pupil.pk}").status_code == 404
    assert student_for(actor=world.actor(who), pk=world.pupil.pk) is None
    assert client.login(username=membership.user.username, password=PASSWORD)
    assert client.get(reverse("attendance:student", args=[world.pupil.pk])).status_code == 404
    # and the own list shows what was entered, nothing of the registry
    listed = api(membership).get("/api/v1/concerns").content.decode()
    assert "Sanne" not in listed
    assert "Bakker" not in listed
    assert world.pupil.external_id not in listed
    page = client.get(reverse("concerns:index")).content.decode()
    assert "Sanne" not in page
    assert world.pupil.bsn in page


def test_the_service_creates_no_involvement(world):
    from inbeeld.people.models import Involvement

    register(world, "jeugdarts", bsn=world.pupil.bsn, birth_date=world.pupil.birth_date)
    register(world, "zorg", student=world.pupil, domain="school")
    assert not Involvement.objects.exists()


def test_existing_concern_involvements_stop_giving_sight(world):
    """Involvements written by the concern service before issue 9 are ended by a migration."""
    import importlib

    from inbeeld.people.models import Involvement, Student

    concern = register(world, "jeugdarts", bsn=world.pupil.bsn, birth_date=world.pupil.birth_date)
    old = Involvement.objects.create(
        student=world.pupil,
        organisation=world.ggd,
        source=Involvement.Source.CONCERN,
        source_id=concern.pk,
        since=D(2024, 1, 1),
        until=D(2099, 1, 1),
    )
    team = Involvement.objects.create(
        student=world.pupil,
        organisation=world.wijkteam,
        source=Involvement.Source.CASE_TEAM,
        source_id=1,
        since=D(2024, 1, 1),
    )
    assert student_for(actor=world.actor("wijkteam_member"), pk=world.pupil.pk) == world.pupil
    migration = importlib.import_module(
        "inbeeld.concerns.migrations.0003_concern_involvements_give_no_sight"
    )
    models = {"Involvement": Involvement, "Concern": Concern, "Student": Student}
    registry = SimpleNamespace(get_model=lambda _app, name: models[name])  # today's models
    migration.end_concern_involvements(registry, None)
    old.refresh_from_db()
    assert old.until < timezone.localdate()
    assert student_for(actor=world.actor("jeugdarts"), pk=world.pupil.pk) is None
    # a case team still gives sight
    team.refresh_from_db()
    assert team.until is None
    assert student_for(actor=world.actor("wijkteam_member"), pk=world.pupil.pk) == world.pupil


def test_the_childs_page_is_refused_even_with_an_old_concern_involvement(world):
    """Defence in depth: only a case team's involvement opens a child outside the own scope."""
    from inbeeld.people.models import Involvement

    Involvement.objects.create(
        student=world.pupil,
        organisation=world.ggd,
        source=Involvement.Source.CONCERN,
        source_id=424242,
        since=D(2024, 1, 1),
    )
    assert student_for(actor=world.actor("jeugdarts"), pk=world.pupil.pk) is None


# -- finding 5: no BSN oracle -------------------------------------------------------------------


LONG_EMAIL = "x" * 250 + "@example.org"
#: bad values, and the fields the answer must name
BAD_BODIES = [
    ({"contact_email": LONG_EMAIL}, {"contact_email"}),  # over long: the finding
    ({"contact_email": "geen-adres"}, {"contact_email"}),
    ({"contact_name": ""}, {"contact_name"}),
    ({"contact_phone": "", "contact_email": ""}, {"contact_phone"}),
    ({"domain": "finance"}, {"domain"}),
    ({"contact_phone": "0" * 31}, {"contact_phone"}),
    (
        {"contact_email": LONG_EMAIL, "domain": "finance", "contact_name": ""},
        {"contact_email", "domain", "contact_name"},
    ),
]


@pytest.mark.parametrize(("bad", "fields"), BAD_BODIES)
def test_the_api_answers_the_same_whether_the_child_exists_or_not(world, bad, fields):
    client = api(world.jeugdarts)
    known = {"bsn": world.pupil.bsn, "birth_date": world.pupil.birth_date.isoformat()}
    unknown = {"bsn": UNKNOWN_BSN, "birth_date": "2012-05-01"}
    wrong_date = {"bsn": world.pupil.bsn, "birth_date": "2012-05-02"}
    answers = [
        client.post("/api/v1/concerns", {**BODY, **bad, **who}, format="json")
        for who in (known, unknown, wrong_date)
    ]
    assert {a.status_code for a in answers} == {400}
    assert len({_masked(a.content.decode()) for a in answers}) == 1, [a.content for a in answers]
    assert {p["name"] for p in answers[0].json()["invalidParams"]} == fields
    assert not Concern.objects.exists()


def test_all_field_errors_come_at_once(world):
    response = api(world.jeugdarts).post(
        "/api/v1/concerns",
        {
            "bsn": "123",
            "birth_date": "morgen",
            "domain": "finance",
            "contact_name": "",
            "contact_email": "x" * 250 + "@example.org",
        },
        format="json",
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"bsn", "birth_date", "domain", "contact_name", "contact_email"}


def test_a_good_registration_answers_the_same_for_a_known_and_an_unknown_child(world):
    client = api(world.jeugdarts)

    def both():
        return [
            client.post("/api/v1/concerns", {**BODY, **who}, format="json")
            for who in (
                {"bsn": world.pupil.bsn, "birth_date": world.pupil.birth_date.isoformat()},
                {"bsn": UNKNOWN_BSN, "birth_date": "2012-05-01"},
            )
        ]

    known, unknown = both()
    assert known.status_code == unknown.status_code == 201
    assert _masked(known.content.decode()) == _masked(unknown.content.decode())
    assert known.json()["bsn"] == world.pupil.bsn
    assert known.json()["student"] is None
    assert unknown.json()["bsn"] == UNKNOWN_BSN
    # the own list: the same two rows, neither says which one is known
    listed = client.get("/api/v1/concerns").json()
    assert listed["count"] == 2
    first, second = listed["results"]
    assert _masked(json.dumps(first)) == _masked(json.dumps(second))
    # a second registration of the same: refused the same way for both
    again_known, again_unknown = both()
    assert again_known.status_code == again_unknown.status_code == 400
    assert _masked(again_known.content.decode()) == _masked(again_unknown.content.decode())


def _screen(client, bsn, birth_date, **extra):
    data = {
        "bsn": bsn,
        "birth_date": birth_date,
        "domain": "health",
        "contact_name": "A. de Jong",
        "contact_phone": "050 000 00 00",
        "contact_email": "a.dejong@example.org",
        **extra,
    }
    return client.post(reverse("concerns:register"), data)


def _page(response) -> str:
    text = response.content.decode()
    text = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", text)  # the form's and htmx's CSRF tokens
    return _masked(text)


@pytest.mark.parametrize(("bad", "fields"), BAD_BODIES)
def test_the_screen_answers_the_same_whether_the_child_exists_or_not(client, world, bad, fields):
    assert client.login(username=world.jeugdarts.user.username, password=PASSWORD)
    known = _screen(client, world.pupil.bsn, world.pupil.birth_date.isoformat(), **bad)
    unknown = _screen(client, UNKNOWN_BSN, "2012-05-01", **bad)
    assert known.status_code == unknown.status_code == 200
    assert _page(known) == _page(unknown)
    for field in fields:
        assert f'id="id_{field}_error"' in known.content.decode()
    assert not Concern.objects.exists()


def test_the_screen_stores_an_unknown_child_like_a_known_one(client, world):
    assert client.login(username=world.jeugdarts.user.username, password=PASSWORD)
    known = _screen(client, world.pupil.bsn, world.pupil.birth_date.isoformat())
    unknown = _screen(client, UNKNOWN_BSN, "2012-05-01", domain="family")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(reverse("concerns:index")).content.decode()
    assert world.pupil.bsn in page
    assert UNKNOWN_BSN in page
    assert "Sanne" not in page


# -- pending registrations ----------------------------------------------------------------------


def test_a_pending_registration_is_linked_when_the_child_appears_and_then_matches(world):
    pending = register(world, "jeugdarts", bsn=UNKNOWN_BSN, birth_date=D(2013, 2, 3), on=ON)
    assert pending.student is None
    assert [c.pk for c in selectors.concerns_of(actor=world.actor("jeugdarts"), on=ON)] == [
        pending.pk
    ]
    assert linking.link_pending_concerns(on=ON) == 0  # nobody with that BSN yet
    child = StudentFactory(bsn=UNKNOWN_BSN, birth_date=D(2013, 2, 3), municipality_code="GM0014")
    school = register(world, "leerplicht", student=child, domain="school", on=ON)
    assert school.new_matches == []
    assert linking.link_pending_concerns(on=ON) == 1
    pending.refresh_from_db()
    assert pending.student == child
    match = Match.objects.get()
    assert {match.concern_a_id, match.concern_b_id} == {pending.pk, school.pk}
    # both see the other's contact details; the GGD still does not see the child
    [seen_by_ggd] = selectors.matches_of(actor=world.actor("jeugdarts"), on=ON)
    assert seen_by_ggd.other_organisation == "Gemeente Groningen"
    [seen_by_gemeente] = selectors.matches_of(actor=world.actor("leerplicht"), on=ON)
    assert seen_by_gemeente.other_organisation == "GGD Groningen"
    assert seen_by_gemeente.other_contact_phone == "050 123 45 67"
    assert student_for(actor=world.actor("jeugdarts"), pk=child.pk) is None
    # idempotent
    assert linking.link_pending_concerns(on=ON) == 0
    assert Match.objects.count() == 1


def test_a_wrong_birth_date_is_never_linked(world):
    register(world, "jeugdarts", bsn=world.pupil.bsn, birth_date=D(2012, 5, 2))
    assert linking.link_pending_concerns(on=ON) == 0
    assert Concern.objects.get().student is None


# -- fuzz: any mix of bad values, the same answer for a known and an unknown child -------------

GOOD = {
    "domain": "health",
    "urgent": False,
    "contact_name": "A. de Jong",
    "contact_phone": "050 123 45 67",
    "contact_email": "a.dejong@example.org",
}
#: per field, values that must be refused with a message on that field
BAD = {
    "domain": ["", "finance", "HEALTH", None, 3, ["health"]],
    "urgent": ["misschien", 7, {"a": 1}],
    "contact_name": ["", "   ", "x" * 201, None, 12, ["A"]],
    "contact_phone": ["0" * 31, "bel mij", {"a": 1}],
    "contact_email": ["geen-adres", LONG_EMAIL, "a@b", 5, ["a@b.nl"]],
}


def _fuzz_settings():
    import hypothesis
    from hypothesis import HealthCheck

    return hypothesis.settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


def test_fuzz_any_mix_of_bad_values_gives_a_message_per_field_known_or_not(world):
    import hypothesis
    from django.core.exceptions import ValidationError
    from hypothesis import strategies as st

    from inbeeld.concerns.services import concern_register

    ggd = world.actor("jeugdarts")
    field_values = {
        name: st.one_of(
            st.just(("good", GOOD[name])),
            st.sampled_from(values).map(lambda v: ("bad", v)),
            st.text(max_size=40).map(lambda v: ("any", v)),
        )
        for name, values in BAD.items()
    }

    def answer(values, bsn, birth_date):
        try:
            concern = concern_register(actor=ggd, bsn=bsn, birth_date=birth_date, **values)
        except ValidationError as error:
            return "refused", error.message_dict
        Concern.objects.filter(pk=concern.pk).delete()
        return "registered", {}

    @_fuzz_settings()
    @hypothesis.given(st.fixed_dictionaries(field_values))
    def run(generated):
        values = {name: value for name, (_kind, value) in generated.items()}
        known = answer(values, world.pupil.bsn, world.pupil.birth_date)
        unknown = answer(values, UNKNOWN_BSN, world.pupil.birth_date)
        assert known == unknown
        outcome, errors = known
        for name, (kind, _value) in generated.items():
            if kind == "bad":
                assert name in errors, (name, generated, errors)
        for name, messages in errors.items():
            assert name in BAD, name
            assert messages
            assert all(m.strip() and len(m) < 200 for m in messages)
        if outcome == "registered":
            assert all(kind != "bad" for kind, _ in generated.values())

    run()
    assert not Concern.objects.exists()


def test_a_child_named_by_id_must_be_in_sight_and_says_no_more_than_an_unknown_id(world):
    from django.core.exceptions import ValidationError

    from inbeeld.concerns.services import concern_register

    answers = []
    for student_id in (world.pupil.pk, 987654):
        with pytest.raises(ValidationError) as raised:
            concern_register(actor=world.actor("jeugdarts"), student_id=student_id, **GOOD)
        answers.append(raised.value.message_dict)
    assert (
        answers[0]
        == answers[1]
        == {"student": ["Er is geen leerling met dit nummer die u mag zien."]}
    )
    client = api(world.wijkteam_member)
    responses = [
        client.post("/api/v1/concerns", {**BODY, "student": pk}, format="json")
        for pk in (world.pupil.pk, 987654)
    ]
    assert [r.status_code for r in responses] == [400, 400]
    assert responses[0].content == responses[1].content
    assert not Concern.objects.exists()
