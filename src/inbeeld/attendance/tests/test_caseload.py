"""Meldingen as a caseload (issue 11 §2): assignment, the team's caseload, the worklist's filters
(one selector for the screen and the API), the bulk actions (all or nothing) and the DUO state
"ingetrokken" by the school. Two gemeenten: nobody sees or touches the other's meldingen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.accounts.models import Role
from inbeeld.attendance import services
from inbeeld.attendance.models import (
    DetectionRun,
    Melding,
    MeldingEvent,
    MeldingEventKind,
    MeldingState,
)
from inbeeld.attendance.selectors import (
    MeldingFilters,
    assignable_people,
    caseload_for,
    melding_filters_from,
    meldingen_filtered,
    open_meldingen_for,
)
from inbeeld.attendance.tests.factories import (
    PASSWORD,
    MembershipFactory,
    actor_for,
    pupil,
    two_organisations,
)
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.rules.duty import age_on

D = dt.date


END = D(2024, 11, 4)


def _melding(run, student, school, orgs, *, rule="16_uur", end=END, state="open"):
    melding = Melding.objects.create(
        student=student,
        rule=rule,
        start_date=end - dt.timedelta(days=28),
        end_date=end,
        school=school,
        first_run=run,
        state=state,
    )
    melding.organisations.add(*orgs)
    return melding


@pytest.fixture
def world(db):
    w = two_organisations()
    w.colleague_a = MembershipFactory(organisation=w.gemeente_a)
    run = DetectionRun.objects.create(on_date=D(2024, 11, 8), finished_at=dt.datetime.now(dt.UTC))
    w.young = pupil(w.school_a, family_name="Aalders", birth_date=D(2014, 11, 4))
    w.older = pupil(w.school_a, family_name="Claes", birth_date=D(2010, 6, 1))
    w.other = pupil(w.school_b, family_name="Bakker")
    both_a = (w.gemeente_a, w.school_a.organisation)
    # Aalders turns 10 on the end date of the 16-uur melding
    w.m_young = _melding(run, w.young, w.school_a, both_a)
    w.m_older = _melding(run, w.older, w.school_a, both_a, rule="lrv", end=D(2024, 10, 1))
    w.m_closed = _melding(
        run, w.older, w.school_a, both_a, rule="luxe_verzuim", end=D(2024, 9, 1), state="afgesloten"
    )
    w.m_gemeente_only = _melding(
        run, w.young, None, (w.gemeente_a,), rule="absoluut_verzuim", end=D(2024, 8, 20)
    )
    w.m_b = _melding(run, w.other, w.school_b, (w.gemeente_b, w.school_b.organisation))
    w.lp = actor_for(w.leerplicht_a)
    w.school = actor_for(w.school_staff_a)
    return w


def _ids(rows):
    return {m.pk for m in rows}


# -- assignment ------------------------------------------------------------------------------------


def test_assign_reassign_and_unassign_each_an_event_and_an_audit_event(world):
    lp, colleague = world.lp, world.colleague_a.user
    services.melding_assign(actor=lp, melding_id=world.m_young.pk, assignee_id=colleague.pk)
    services.melding_assign(actor=lp, melding_id=world.m_young.pk, assignee_id=lp.user.pk)
    # the same person again: nothing to write
    services.melding_assign(actor=lp, melding_id=world.m_young.pk, assignee_id=lp.user.pk)
    melding = services.melding_assign(actor=lp, melding_id=world.m_young.pk, assignee_id=None)
    assert melding.assignee is None
    events = list(MeldingEvent.objects.filter(melding=world.m_young))
    assert [(e.kind, e.assignee_id, e.state) for e in events] == [
        (MeldingEventKind.ASSIGNMENT, colleague.pk, MeldingState.OPEN),
        (MeldingEventKind.ASSIGNMENT, lp.user.pk, MeldingState.OPEN),
        (MeldingEventKind.ASSIGNMENT, None, MeldingState.OPEN),
    ]
    audits = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(world.m_young.pk)
    ).order_by("pk")
    assert audits.count() == 3
    assert "toegewezen aan" in audits[0].summary
    assert "beëindigd" in audits[2].summary
    assert audits[0].student_id == world.young.pk


def test_assignment_needs_the_permission(world):
    for membership in (world.school_staff_a, world.beleid_a, world.beheer_a):
        with pytest.raises(PermissionDenied):
            services.melding_assign(
                actor=actor_for(membership),
                melding_id=world.m_young.pk,
                assignee_id=world.leerplicht_a.user.pk,
            )
    assert not MeldingEvent.objects.exists()


def test_only_a_person_of_the_own_team_who_may_handle_meldingen(world):
    lp = world.lp
    for stranger in (world.leerplicht_b.user, world.beleid_a.user, world.school_staff_a.user):
        with pytest.raises(ValidationError) as refused:
            services.melding_assign(actor=lp, melding_id=world.m_young.pk, assignee_id=stranger.pk)
        assert "organisatie" in " ".join(refused.value.messages)
    assert {u.pk for u in assignable_people(actor=lp)} == {
        world.leerplicht_a.user.pk,
        world.colleague_a.user.pk,
    }
    world.m_young.refresh_from_db()
    assert world.m_young.assignee is None


def test_another_organisations_melding_is_not_found(world):
    with pytest.raises(services.MeldingNotFoundError):
        services.melding_assign(
            actor=world.lp, melding_id=world.m_b.pk, assignee_id=world.lp.user.pk
        )
    world.m_b.refresh_from_db()
    assert world.m_b.assignee is None


def test_a_closed_melding_is_not_assigned(world):
    with pytest.raises(services.TransitionNotAllowedError, match="afgehandeld"):
        services.melding_assign(
            actor=world.lp, melding_id=world.m_closed.pk, assignee_id=world.lp.user.pk
        )


# -- the caseload ----------------------------------------------------------------------------------


def test_caseload_per_person_and_nobody(world):
    lp = world.lp
    services.melding_assign(
        actor=lp, melding_id=world.m_young.pk, assignee_id=world.colleague_a.user.pk
    )
    services.melding_take_in_handling(actor=lp, melding_id=world.m_older.pk)
    services.melding_assign(actor=lp, melding_id=world.m_older.pk, assignee_id=lp.user.pk)
    rows = {(r.person.pk if r.person else None): r for r in caseload_for(actor=lp)}
    assert (rows[world.colleague_a.user.pk].new, rows[world.colleague_a.user.pk].in_progress) == (
        1,
        0,
    )
    assert (rows[lp.user.pk].new, rows[lp.user.pk].in_progress) == (0, 1)
    assert rows[None].total == 1  # the absoluut-verzuim melding; the closed one is not counted
    assert sum(r.total for r in rows.values()) == open_meldingen_for(actor=lp).count()
    # someone who left the team keeps their meldingen in view, marked to reassign
    world.colleague_a.active = False
    world.colleague_a.save()
    left = [r for r in caseload_for(actor=lp) if not r.in_team]
    assert [(r.person.pk, r.total) for r in left] == [(world.colleague_a.user.pk, 1)]
    # without the permission: nothing
    assert caseload_for(actor=world.school) == []


# -- bulk actions ----------------------------------------------------------------------------------


def test_bulk_assign_is_all_or_nothing_and_names_each_refusal(world):
    lp = world.lp
    ids = [world.m_young.pk, world.m_closed.pk, world.m_b.pk]
    with pytest.raises(services.BulkRefusedError) as refused:
        services.meldingen_bulk_assign(actor=lp, melding_ids=ids, assignee_id=lp.user.pk)
    text = " | ".join(refused.value.messages)
    assert "Claes" in text
    assert "afgehandeld" in text
    assert f"Melding {world.m_b.pk}: niet gevonden" in text
    assert "Bakker" not in text  # the other gemeente's child is never named
    assert "Aalders" not in text  # the one that was fine is not a problem
    assert not Melding.objects.filter(assignee__isnull=False).exists()
    assert not MeldingEvent.objects.exists()

    done = services.meldingen_bulk_assign(
        actor=lp, melding_ids=[world.m_young.pk, world.m_older.pk], assignee_id=lp.user.pk
    )
    assert done == 2
    assert set(Melding.objects.filter(assignee=lp.user).values_list("pk", flat=True)) == {
        world.m_young.pk,
        world.m_older.pk,
    }
    assert MeldingEvent.objects.filter(kind=MeldingEventKind.ASSIGNMENT).count() == 2


def test_bulk_assign_refuses_a_person_outside_the_team_and_needs_the_permission(world):
    with pytest.raises(ValidationError):
        services.meldingen_bulk_assign(
            actor=world.lp, melding_ids=[world.m_young.pk], assignee_id=world.leerplicht_b.user.pk
        )
    with pytest.raises(PermissionDenied):
        services.meldingen_bulk_assign(
            actor=world.school, melding_ids=[world.m_young.pk], assignee_id=None
        )
    with pytest.raises(services.BulkRefusedError, match="ten minste één"):
        services.meldingen_bulk_assign(actor=world.lp, melding_ids=[], assignee_id=None)
    assert not MeldingEvent.objects.exists()


def test_bulk_acknowledge_with_one_reason_all_or_nothing(world):
    lp = world.lp
    ids = [world.m_young.pk, world.m_older.pk]
    with pytest.raises(services.BulkRefusedError, match="reden"):
        services.meldingen_bulk_acknowledge(actor=lp, melding_ids=ids, note="  ")
    with pytest.raises(services.BulkRefusedError) as refused:
        services.meldingen_bulk_acknowledge(
            actor=lp, melding_ids=[*ids, world.m_closed.pk], note="bekend bij de school"
        )
    assert "Claes" in refused.value.messages[0]
    assert set(Melding.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"open"}
    assert not MeldingEvent.objects.exists()

    assert services.meldingen_bulk_acknowledge(actor=lp, melding_ids=ids, note="bekend") == 2
    assert set(Melding.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        MeldingState.TER_KENNISNEMING
    }
    assert set(MeldingEvent.objects.values_list("note", flat=True)) == {"bekend"}
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 2
    with pytest.raises(PermissionDenied):
        services.meldingen_bulk_acknowledge(
            actor=actor_for(MembershipFactory(organisation=world.gemeente_a, role=Role.JEUGDARTS)),
            melding_ids=[world.m_young.pk],
            note="x",
        )


# -- ingetrokken -----------------------------------------------------------------------------------


def test_the_school_withdraws_its_melding_with_a_reason(world):
    school = world.school
    assert MeldingState.INGETROKKEN in services.available_moves(school, world.m_young)
    assert MeldingState.INGETROKKEN not in services.available_moves(world.lp, world.m_young)
    with pytest.raises(services.TransitionNotAllowedError, match="reden"):
        services.melding_withdraw(actor=school, melding_id=world.m_young.pk, note=" ")
    melding = services.melding_withdraw(
        actor=school, melding_id=world.m_young.pk, note="verzuim was geoorloofd, verkeerd geboekt"
    )
    assert melding.state == MeldingState.INGETROKKEN
    event = MeldingEvent.objects.get(melding=melding)
    assert (event.state, event.organisation_id) == ("ingetrokken", world.school_a.organisation.pk)
    assert "verkeerd geboekt" in event.note
    # leerplicht sees it as ingetrokken, no longer open; nothing more to do with it
    assert melding.pk not in _ids(open_meldingen_for(actor=world.lp))
    withdrawn = meldingen_filtered(
        actor=world.lp, filters=MeldingFilters(states=(MeldingState.INGETROKKEN,))
    )
    assert _ids(withdrawn) == {melding.pk}
    assert services.available_moves(world.lp, melding) == frozenset()


def test_only_the_reporting_school_withdraws(world):
    with pytest.raises(services.TransitionNotAllowedError, match="niet intrekken"):
        services.melding_withdraw(actor=world.lp, melding_id=world.m_young.pk, note="waarom")
    with pytest.raises(services.MeldingNotFoundError):
        services.melding_withdraw(
            actor=actor_for(world.school_staff_b), melding_id=world.m_young.pk, note="x"
        )
    # a melding routed to the school without being the school's own report
    world.m_older.school = None
    world.m_older.save()
    with pytest.raises(services.TransitionNotAllowedError, match="Alleen de school"):
        services.melding_withdraw(actor=world.school, melding_id=world.m_older.pk, note="x")
    with pytest.raises(services.TransitionNotAllowedError):
        services.melding_withdraw(actor=world.school, melding_id=world.m_closed.pk, note="x")
    assert not Melding.objects.filter(state=MeldingState.INGETROKKEN).exists()
    assert not MeldingEvent.objects.exists()


def test_the_transition_table_knows_ingetrokken():
    assert services.TRANSITIONS[MeldingState.INGETROKKEN] == frozenset()
    for state in (MeldingState.OPEN, MeldingState.IN_BEHANDELING):
        assert MeldingState.INGETROKKEN in services.TRANSITIONS[state]
    assert {MeldingState.INGETROKKEN} == services.SCHOOL_MOVES


# -- filters ---------------------------------------------------------------------------------------


def _filtered(world, query: str, actor=None):
    filters, errors = melding_filters_from(QueryDict(query))
    assert errors == {}
    return _ids(meldingen_filtered(actor=actor or world.lp, filters=filters))


def test_each_filter(world):
    w = world
    services.melding_assign(actor=w.lp, melding_id=w.m_older.pk, assignee_id=w.lp.user.pk)
    services.melding_assign(actor=w.lp, melding_id=w.m_young.pk, assignee_id=w.colleague_a.user.pk)
    open_a = {w.m_young.pk, w.m_older.pk, w.m_gemeente_only.pk}
    assert _filtered(w, "") == open_a
    assert _filtered(w, "rule=lrv") == {w.m_older.pk}
    assert _filtered(w, f"school={w.school_a.pk}") == {w.m_young.pk, w.m_older.pk}
    assert _filtered(w, f"school={w.school_b.pk}") == set()  # never the other gemeente's
    # ages on the end date: Aalders turns 10 on it, Claes is 14
    assert _filtered(w, "age_from=10&age_to=10") == {w.m_young.pk}
    assert _filtered(w, "age_to=9") == {w.m_gemeente_only.pk}  # 20 August: still 9
    assert _filtered(w, "age_from=14") == {w.m_older.pk}
    assert _filtered(w, "state=afgesloten") == {w.m_closed.pk}
    assert _filtered(w, "state=all") == open_a | {w.m_closed.pk}
    assert _filtered(w, "state=open&state=afgesloten") == open_a | {w.m_closed.pk}
    services.melding_take_in_handling(actor=w.lp, melding_id=w.m_older.pk)
    assert _filtered(w, "state=in_behandeling") == {w.m_older.pk}
    assert _filtered(w, "state=open&state=afgesloten") == open_a - {w.m_older.pk} | {w.m_closed.pk}
    assert _filtered(w, "assignee=me") == {w.m_older.pk}  # in behandeling: still open
    assert _filtered(w, "assignee=none") == {w.m_gemeente_only.pk}
    assert _filtered(w, f"assignee={w.colleague_a.user.pk}") == {w.m_young.pk}
    assert _filtered(w, "end_from=2024-10-01&end_to=2024-10-31") == {w.m_older.pk}
    assert _filtered(w, "end_to=2024-08-31&state=all") == {w.m_gemeente_only.pk}
    assert _filtered(w, "rule=lrv&assignee=none") == set()


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("rule=bestaat_niet", "rule"),
        ("school=abc", "school"),
        ("age_from=-1", "age_from"),
        ("age_to=1000", "age_to"),
        ("age_from=12&age_to=8", "age_to"),
        ("state=dicht", "state"),
        ("assignee=iemand", "assignee"),
        ("end_from=31-12-2024", "end_from"),
        ("end_from=2024-12-31&end_to=2024-01-01", "end_to"),
        ("end_to=2024-02-30", "end_to"),
    ],
)
def test_a_filter_that_cannot_be_read_is_named_and_left_out(query, param):
    filters, errors = melding_filters_from(QueryDict(query))
    assert list(errors) == [param]
    assert errors[param]
    assert getattr(filters, param if param != "state" else "states") in (
        None,
        "",
        MeldingFilters().states,
    )


def test_filters_read_back_from_their_query():
    query = "rule=lrv&school=3&age_from=4&age_to=12&state=open&assignee=none&end_from=2024-01-01"
    filters, errors = melding_filters_from(QueryDict(query))
    assert errors == {}
    again, _ = melding_filters_from(_as_querydict(filters.query()))
    assert again == filters


def _as_querydict(pairs):
    q = QueryDict(mutable=True)
    for key, value in pairs:
        q.appendlist(key, value)
    return q


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (D(2014, 11, 4), D(2024, 11, 4), 10),
        (D(2014, 11, 4), D(2024, 11, 3), 9),
        (D(2012, 2, 29), D(2024, 2, 28), 11),
        (D(2012, 2, 29), D(2024, 2, 29), 12),
        (D(2012, 2, 29), D(2023, 3, 1), 11),
        (D(2010, 12, 31), D(2024, 1, 1), 13),
    ],
)
def test_age_on_the_end_date_in_python_and_in_the_database(world, birth, day, age):
    assert age_on(birth, day) == age
    world.young.birth_date = birth
    world.young.save()
    Melding.objects.filter(pk=world.m_young.pk).update(end_date=day)
    found = _ids(
        meldingen_filtered(actor=world.lp, filters=MeldingFilters(age_from=age, age_to=age))
    )
    assert world.m_young.pk in found
    assert world.m_young.pk not in _ids(
        meldingen_filtered(actor=world.lp, filters=MeldingFilters(age_from=age + 1))
    )


# -- the screen and the API: one selector ----------------------------------------------------------


def _login(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def _screen_ids(client, query: str) -> set[int]:
    response = client.get(f"{reverse('attendance:meldingen')}?{query}")
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'id="werklijst-(\d+)"', response.content.decode())}


def _api_ids(client, query: str) -> set[int]:
    response = client.get(f"/api/v1/meldingen?{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


QUERIES = [
    "",
    "rule=lrv",
    "state=all",
    "state=afgesloten&state=open",
    "age_from=10&age_to=12",
    "assignee=me",
    "assignee=none&state=all",
    "end_from=2024-09-01&end_to=2024-10-31&state=all",
]


def test_screen_and_api_give_the_same_meldingen(client, world):
    services.melding_assign(
        actor=world.lp, melding_id=world.m_young.pk, assignee_id=world.lp.user.pk
    )
    _login(client, world.leerplicht_a)
    for query in [*QUERIES, f"school={world.school_a.pk}"]:
        assert _screen_ids(client, query) == _api_ids(client, query), query
        assert _api_ids(client, query) == _filtered(world, query)


def test_the_api_names_a_filter_it_cannot_read(client, world):
    _login(client, world.leerplicht_a)
    response = client.get("/api/v1/meldingen?age_from=oud&rule=x")
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"age_from", "rule"}
    # the screen shows the same messages and leaves those filters out
    page = client.get(f"{reverse('attendance:meldingen')}?age_from=oud&rule=x").content.decode()
    assert "Leeftijd vanaf" in page
    assert "Onbekende soort melding" in page


def test_api_caseload(client, world):
    services.melding_assign(
        actor=world.lp, melding_id=world.m_young.pk, assignee_id=world.lp.user.pk
    )
    _login(client, world.leerplicht_a)
    rows = client.get("/api/v1/meldingen/caseload").json()
    mine = next(r for r in rows if r["assignee"] and r["assignee"]["id"] == world.lp.user.pk)
    assert (mine["open"], mine["in_behandeling"], mine["total"], mine["in_team"]) == (1, 0, 1, True)
    assert rows[-1]["assignee"] is None
    assert rows[-1]["total"] == 2
    client.logout()
    _login(client, world.school_staff_a)
    assert client.get("/api/v1/meldingen/caseload").status_code == 403


_PARAM = st.sampled_from(
    ["rule", "school", "age_from", "age_to", "state", "assignee", "end_from", "end_to", "pagina"]
)
_VALUE = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
    st.sampled_from(["me", "none", "all", "open", "lrv", "2024-02-30", "0", "99", "100"]),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=st.lists(st.tuples(st.one_of(_PARAM, st.text(max_size=8)), _VALUE), max_size=6))
def test_any_query_string_gives_a_clear_message_or_is_ignored_never_a_500(client, world, params):
    _login(client, world.leerplicht_a)
    query = QueryDict(mutable=True)
    for key, value in params:
        query.appendlist(key, value.replace("\x00", ""))
    _filters, errors = melding_filters_from(query)
    assert all(isinstance(text, str) for text in errors.values())
    assert all(errors.values())
    encoded = query.urlencode()
    screen = client.get(f"{reverse('attendance:meldingen')}?{encoded}")
    assert screen.status_code == 200
    api = client.get(f"/api/v1/meldingen?{encoded}")
    assert api.status_code == (400 if errors else 200)
    if errors:
        assert {p["name"] for p in api.json()["invalidParams"]} == set(errors)


# -- the screens -----------------------------------------------------------------------------------


def test_bulk_screen_refuses_all_and_names_why(client, world):
    _login(client, world.leerplicht_a)
    response = client.post(
        reverse("attendance:meldingen_bulk"),
        {
            "actie": "kennisneming",
            "melding": [world.m_young.pk, world.m_closed.pk],
            "toelichting": "bekend",
            "terug": "state=all",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is niets gewijzigd" in page
    assert "Claes" in page
    assert Melding.objects.get(pk=world.m_young.pk).state == MeldingState.OPEN
    response = client.post(
        reverse("attendance:meldingen_bulk"),
        {
            "actie": "toewijzen",
            "melding": [world.m_young.pk, world.m_older.pk],
            "toegewezen_aan": world.colleague_a.user.pk,
            "terug": "rule=lrv&junk=1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('attendance:meldingen')}?rule=lrv"
    assert Melding.objects.filter(assignee=world.colleague_a.user).count() == 2


def test_worklist_page_is_accessible_in_structure(client, world):
    _login(client, world.leerplicht_a)
    page = client.get(reverse("attendance:meldingen")).content.decode()
    assert "<legend" in page
    assert "<fieldset" in page
    for control in re.findall(r'<(?:select|input|textarea)[^>]*\bid="([^"]+)"', page):
        assert f'for="{control}"' in page, control


def test_assign_one_from_the_row_and_the_caseload_page(client, world):
    _login(client, world.leerplicht_a)
    response = client.post(
        reverse("attendance:melding_assign", args=[world.m_young.pk]),
        {"toegewezen_aan": world.colleague_a.user.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert world.colleague_a.user.get_full_name() in response.content.decode()
    page = client.get(reverse("attendance:caseload")).content.decode()
    assert world.colleague_a.user.get_full_name() in page
    assert "Niet toegewezen" in page
    client.logout()
    _login(client, world.school_staff_a)
    assert client.get(reverse("attendance:caseload")).status_code == 403
    response = client.post(
        reverse("attendance:melding_assign", args=[world.m_young.pk]), {"toegewezen_aan": "none"}
    )
    assert response.status_code == 403


def test_the_school_withdraws_from_the_worklist_row(client, world):
    _login(client, world.school_staff_a)
    form = client.get(
        reverse("attendance:melding_transition", args=[world.m_young.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'value="ingetrokken"' in form
    response = client.post(
        reverse("attendance:melding_transition", args=[world.m_young.pk]),
        {"naar": "ingetrokken", "toelichting": "dubbel gemeld"},
    )
    assert response.status_code == 302
    assert Melding.objects.get(pk=world.m_young.pk).state == MeldingState.INGETROKKEN
    client.logout()
    _login(client, world.leerplicht_a)
    form = client.get(
        reverse("attendance:melding_transition", args=[world.m_older.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'value="ingetrokken"' not in form


def test_each_caseload_line_is_what_its_worklist_link_shows(world):
    lp = world.lp
    services.melding_assign(actor=lp, melding_id=world.m_young.pk, assignee_id=lp.user.pk)
    services.melding_take_in_handling(actor=lp, melding_id=world.m_older.pk)
    for row in caseload_for(actor=lp):
        query = f"assignee={row.person.pk if row.person else 'none'}"
        assert len(_filtered(world, query)) == row.total, query
