"""A leave request the law forbids is not saved as a success (issue 11 §4): it is stored as
niet-ontvankelijk with its reasons (each a Dutch sentence citing its article), with its history
row, shown as such on the screen (a warning, never "Gelukt") and in the API; malformed input is
refused at once and nothing is stored. Fuzzed over the API: every body is 201 in a state that
matches the law's answer, or 400 with nothing written. Region zuid, school year 2024/25 (first two
lesweken 19 Aug – 1 Sep 2024)."""

from __future__ import annotations

import datetime as dt
import re

import hypothesis
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import strategies as st

from inbeeld.api.tests.fuzzing import FUZZ
from inbeeld.audit.models import AuditEvent
from inbeeld.leave import services, workflow
from inbeeld.leave.models import LeaveRequest, LeaveRequestStateChange, LeaveState
from inbeeld.leave.tests.test_services import register
from inbeeld.notifications.models import Notification
from inbeeld.people.tests.factories import login
from inbeeld.rules.leave import HOLIDAY, KINDS, WEIGHTY

D = dt.date
#: a sentence: a capital first, the article cited in brackets at the end
SENTENCE = re.compile(r"^[A-Z].+\((artikel [^()]+ Leerplichtwet 1969|[^()]*artikel[^()]*)\)\.$")


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        # more than ten school days of holiday leave
        ({"end_date": D(2025, 3, 24)}, ["ten hoogste 10 schooldagen", "gevraagd zijn 11"]),
        # in the first two lesweken after the summer
        (
            {"start_date": D(2024, 8, 26), "end_date": D(2024, 8, 30)},
            ["eerste 2 lesweken", "01-09-2024"],
        ),
        # no employer's statement
        ({"employer_statement": False}, ["werkgeversverklaring", "ontbreekt"]),
        # over two school years
        ({"start_date": D(2025, 7, 7), "end_date": D(2025, 9, 12)}, ["binnen één schooljaar"]),
        # no school days at all (the spring vacation)
        ({"start_date": D(2025, 2, 24), "end_date": D(2025, 2, 28)}, ["geen schooldagen"]),
    ],
)
def test_a_request_the_law_forbids_is_stored_as_niet_ontvankelijk(world, kw, expected):
    leave = register(world, requested_on=D(2025, 1, 20), **kw)
    assert leave.state == LeaveState.NIET_ONTVANKELIJK
    assert leave.is_niet_ontvankelijk
    assert not leave.is_open
    assert leave.refusals
    assert any(all(part in reason for part in expected) for reason in leave.refusals)
    for reason in leave.refusals:
        assert SENTENCE.match(reason), reason
        assert "Leerplichtwet 1969" in reason
    assert leave.decision_note == " ".join(leave.refusals)
    assert (leave.decided_on, leave.decided_by) == (None, None)  # nobody decided
    (change,) = LeaveRequestStateChange.objects.filter(request=leave)
    assert (change.from_state, change.to_state, change.on) == (
        "",
        LeaveState.NIET_ONTVANKELIJK,
        D(2025, 1, 20),
    )
    assert change.step == workflow.WORKFLOW.allowed(workflow.NEW)[LeaveState.NIET_ONTVANKELIJK]
    assert change.note == leave.decision_note
    event = AuditEvent.objects.get(object_id=str(leave.pk), action="create")
    assert event.detail["state"] == LeaveState.NIET_ONTVANKELIJK
    assert event.detail["refusals"] == leave.refusals
    assert not Notification.objects.exists()


def test_a_weighty_request_of_more_than_ten_days_is_forwarded_not_niet_ontvankelijk(world):
    leave = register(world, kind=WEIGHTY, end_date=D(2025, 3, 24), reason="huwelijk")
    assert (leave.state, leave.refusals) == (LeaveState.DOORGESTUURD, [])


def test_nothing_follows_niet_ontvankelijk(world):
    leave = register(world, employer_statement=False)
    assert workflow.WORKFLOW.allowed(LeaveState.NIET_ONTVANKELIJK) == {}
    assert workflow.WORKFLOW.available_transitions(leave, world.school) == {}
    assert workflow.WORKFLOW.available_transitions(leave, world.leerplicht) == {}
    for grant in (True, False):
        with pytest.raises(ValidationError, match="niet-ontvankelijk"):
            services.leave_request_decide(actor=world.school, leave=leave, grant=grant, note="x")
    assert LeaveRequestStateChange.objects.filter(request=leave).count() == 1


def test_every_state_is_open_or_closed_and_the_list_adds_up(client, world):
    assert set(workflow.OPEN_STATES) | set(workflow.CLOSED_STATES) == set(LeaveState.values)
    assert not set(workflow.OPEN_STATES) & set(workflow.CLOSED_STATES)
    register(world)  # ingediend
    register(world, kind=WEIGHTY, end_date=D(2025, 3, 24), reason="huwelijk")  # doorgestuurd
    register(world, employer_statement=False)  # niet-ontvankelijk
    register(world, employer_statement=False, record_refused=True)  # afgewezen
    login(client, world.school_staff_a)

    def listed(status: str = "") -> int:
        page = client.get(reverse("leave:index"), {"status": status}).content.decode()
        return len(re.findall(r'<tr>\s*<th scope="row"><a href="/verlof/\d+/"', page))

    per_state = {state: listed(state) for state in LeaveState.values}
    assert per_state == {s: LeaveRequest.objects.filter(state=s).count() for s in LeaveState.values}
    assert per_state[LeaveState.NIET_ONTVANKELIJK] == 1
    assert sum(per_state.values()) == listed() == LeaveRequest.objects.count() == 4


def test_the_screen_says_niet_ontvankelijk_not_success(client, world):
    login(client, world.school_staff_a)
    response = client.post(
        reverse("leave:new"),
        {
            "student": world.child_a.pk,
            "kind": HOLIDAY,
            "start_date": "2025-03-10",
            "end_date": "2025-03-14",
            "vastleggen": "ingediend",
        },
        follow=True,
    )
    leave = LeaveRequest.objects.get()
    assert leave.state == LeaveState.NIET_ONTVANKELIJK
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("leave:detail", args=[leave.pk])
    assert "Gelukt" not in page
    assert "utrecht-alert--ok" not in page
    assert "vastgelegd als niet-ontvankelijk" in page
    assert 'data-testid="leave-niet-ontvankelijk"' in page
    assert "werkgeversverklaring" in page
    assert 'data-testid="leave-state">niet-ontvankelijk<' in page
    assert 'name="decision"' not in page  # nothing to decide
    assert "niet-ontvankelijk verklaard" in page  # the history's row
    # a request the law allows still says so as a success
    response = client.post(
        reverse("leave:new"),
        {
            "student": world.child_a.pk,
            "kind": HOLIDAY,
            "start_date": "2025-03-10",
            "end_date": "2025-03-14",
            "employer_statement": "on",
        },
        follow=True,
    )
    assert "Verlofaanvraag vastgelegd: ingediend." in response.content.decode()


def test_malformed_input_is_refused_at_once_and_nothing_is_stored(client, world):
    login(client, world.school_staff_a)
    for data, field in (
        ({"end_date": "2025-03-01"}, "end_date"),
        ({"start_date": "1890-03-10"}, "start_date"),
        ({"end_date": "2026-06-01"}, "end_date"),
        ({"kind": "wintersport"}, "kind"),
        ({"reason": "x" * 301}, "reason"),
    ):
        body = {
            "student": world.child_a.pk,
            "kind": HOLIDAY,
            "start_date": "2025-03-10",
            "end_date": "2025-03-14",
            **data,
        }
        response = client.post("/api/v1/leave-requests", body, content_type="application/json")
        assert response.status_code == 400, (data, response.content)
        assert field in {p["name"] for p in response.json()["invalidParams"]}
        page = client.post(reverse("leave:new"), body)
        assert page.status_code == 200
        assert "Het formulier is nog niet goed ingevuld" in page.content.decode()
    assert not LeaveRequest.objects.exists()
    assert not LeaveRequestStateChange.objects.exists()


def test_the_api_answers_niet_ontvankelijk_with_its_reasons_and_history(client, world):
    login(client, world.school_staff_a)
    response = client.post(
        "/api/v1/leave-requests",
        {
            "student": world.child_a.pk,
            "kind": HOLIDAY,
            "start_date": "2025-03-10",
            "end_date": "2025-03-24",
            "employer_statement": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "niet_ontvankelijk"
    assert data["assessment"]["may_be_granted"] is False
    assert "gevraagd zijn 11 schooldagen" in data["assessment"]["refusals"][0]
    one = client.get(f"/api/v1/leave-requests/{data['id']}").json()
    (row,) = one["history"]
    assert row["to_state"] == "niet_ontvankelijk"
    assert "artikel 13a, tweede lid, Leerplichtwet 1969" in row["note"]
    listed = client.get("/api/v1/leave-requests", {"state": "niet_ontvankelijk"}).json()
    assert [r["id"] for r in listed["results"]] == [data["id"]]
    assert client.get("/api/v1/leave-requests", {"state": "ingediend"}).json()["results"] == []


_junk = st.one_of(st.none(), st.integers(), st.text(max_size=6), st.lists(st.none(), max_size=1))


def test_fuzz_the_registration_is_never_an_open_request_the_law_forbids(client, world):
    """Any kind, period and employer's statement: 201 in the state the law's answer gives (open
    only when it may be granted, niet-ontvankelijk with reasons otherwise), or 400 naming the bad
    fields and nothing stored."""
    login(client, world.school_staff_a)

    @FUZZ
    @hypothesis.given(
        kind=st.one_of(st.sampled_from([*KINDS, "x"]), _junk),
        start=st.dates(min_value=D(2024, 7, 1), max_value=D(2025, 9, 30)),
        days=st.integers(min_value=-3, max_value=40),
        statement=st.one_of(st.booleans(), _junk),
    )
    def run(kind, start, days, statement):
        before = LeaveRequest.objects.count()
        end = start + dt.timedelta(days=days)
        body = {
            "student": world.child_a.pk,
            "kind": kind,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "employer_statement": statement,
            "reason": "huwelijk",
        }
        response = client.post("/api/v1/leave-requests", body, content_type="application/json")
        assert response.status_code in (201, 400), response.content
        if response.status_code == 400:
            assert response.json()["invalidParams"]
            assert LeaveRequest.objects.count() == before
            return
        assert kind in KINDS
        assert days >= 0
        data = response.json()
        refusals = data["assessment"]["refusals"]
        if refusals:
            assert data["state"] == "niet_ontvankelijk"
            assert all(SENTENCE.match(r) for r in refusals), refusals
        else:
            assert data["state"] in ("ingediend", "doorgestuurd")
        assert LeaveRequestStateChange.objects.filter(request_id=data["id"]).count() == 1

    run()
