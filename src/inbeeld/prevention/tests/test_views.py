"""The school-team screens: the list of my teams, the team page (its reads audited per child), a
child's entry with its discussions, the forms, the menu link, the case page's history; and a fuzz
of the forms' inputs (a bad value: a clear message and nothing half-written)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.audit.models import AuditEvent
from inbeeld.cases.causes import Cause
from inbeeld.prevention import services
from inbeeld.prevention.models import AgreedStep, Discussion, DiscussionCause, ListEntry
from inbeeld.rules.care_signals import CareSignal

TODAY = timezone.localdate()


def login(client, membership):
    client.force_login(membership.user)
    return client


def test_the_menu_and_the_team_list(client, team_world):
    tw = team_world
    page = login(client, tw.jeugdarts).get(reverse("prevention:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Schoolteams" in html
    assert tw.team.name in html
    assert reverse("prevention:list") in html  # the menu link


def test_a_beleidsmedewerker_has_no_school_teams(client, team_world):
    assert login(client, team_world.beleid_a).get(reverse("prevention:list")).status_code == 403


def test_the_team_page_shows_the_list_and_proposals_and_audits_each_child(client, team_world):
    tw = team_world
    tw.put_on_list()
    signal = CareSignal("stijgend_ongeoorloofd", "Stijgend verzuim", "12 uur ongeoorloofd")
    services.proposal_record(team=tw.team, student=tw.other, signal=signal, on=TODAY)
    page = login(client, tw.school_staff_a).get(reverse("prevention:team", args=[tw.team.pk]))
    html = page.content.decode()
    assert "Aalders" in html
    assert "12 uur ongeoorloofd" in html
    assert "Voorgesteld door een zorgsignaal" in html
    for child in (tw.child, tw.other):
        assert AuditEvent.objects.filter(
            student_id=child.pk, summary=f"schoolteam {tw.team.pk} bekeken"
        ).exists()
    # the GGD sees the child on the list, not the proposed pupil
    html = login(client, tw.jeugdarts).get(reverse("prevention:team", args=[tw.team.pk]))
    assert "Aalders" in html.content.decode()
    assert "Bos" not in html.content.decode()


def test_put_on_the_list_by_student_number_then_discuss_and_add_a_step(client, team_world):
    tw = team_world
    login(client, tw.school_staff_a)
    url = reverse("prevention:team_act", args=[tw.team.pk, "kind"])
    answer = client.post(url, {"student_number": tw.child.external_id, "reason": "verzuim"})
    assert answer.status_code == 302
    entry = ListEntry.objects.get()
    answer = client.post(
        reverse("prevention:entry_act", args=[entry.pk, "bespreking"]),
        {
            "discussed_on": TODAY.isoformat(),
            "consent": "gegeven",
            "visibility": "team",
            "minutes": "besproken",
            "causes": ["pesten", "vervoer"],
            "step": "gesprek",
            "step_organisation": tw.ggd.pk,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    discussion = Discussion.objects.get()
    answer = client.post(
        reverse("prevention:step", args=[discussion.pk]),
        {"description": "huisbezoek", "organisation": tw.wijkteam.pk},
    )
    assert answer.status_code == 302
    assert AgreedStep.objects.count() == 2
    page = client.get(reverse("prevention:entry", args=[entry.pk])).content.decode()
    assert "huisbezoek" in page
    assert "pesten" in page
    assert AuditEvent.objects.filter(
        student_id=tw.child.pk, summary__contains="kind op de lijst bekeken"
    ).exists()


def test_an_unknown_student_number_is_a_clear_message(client, team_world):
    tw = team_world
    answer = login(client, tw.school_staff_a).post(
        reverse("prevention:team_act", args=[tw.team.pk, "kind"]),
        {"student_number": tw.child_b.external_id, "reason": "x"},
    )
    assert answer.status_code == 400
    assert "Geen leerling met dit nummer" in answer.content.decode()
    assert not ListEntry.objects.exists()


def test_moving_into_a_case_from_the_screen_and_the_history_on_the_case_page(client, team_world):
    tw = team_world
    entry = tw.put_on_list()
    services.discussion_add(actor=tw.school, entry=entry, minutes="eerste bespreking")
    login(client, tw.leerplicht_a)
    answer = client.post(reverse("prevention:entry_act", args=[entry.pk, "naar-casus"]))
    assert answer.status_code == 302
    entry.refresh_from_db()
    case_page = client.get(answer["Location"]).content.decode()
    assert reverse("prevention:case_history", args=[entry.case_id]) in case_page
    history = client.get(reverse("prevention:case_history", args=[entry.case_id]))
    assert "eerste bespreking" in history.content.decode()


def test_taking_off_the_list_from_the_screen(client, team_world):
    tw = team_world
    entry = tw.put_on_list()
    login(client, tw.jeugdarts)
    url = reverse("prevention:entry_act", args=[entry.pk, "van-de-lijst"])
    assert client.post(url, {"end_reason": ""}).status_code == 400
    assert client.post(url, {"end_reason": "gaat weer goed"}).status_code == 302
    assert client.get(reverse("prevention:entry", args=[entry.pk])).status_code == 404


# -- fuzz -----------------------------------------------------------------------------------------

_DATE = st.one_of(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)).map(str),
    st.text(max_size=12),
)
_TEXT = st.text(max_size=40)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "discussed_on": _DATE,
            "meeting": st.one_of(st.integers(-5, 10**12).map(str), _TEXT),
            "minutes": st.text(max_size=50),
            "consent": st.one_of(st.sampled_from(["gegeven", "geweigerd", "niet_gevraagd"]), _TEXT),
            "visibility": st.one_of(st.sampled_from(["team", "eigen_organisatie"]), _TEXT),
            "causes": st.lists(st.one_of(st.sampled_from(Cause.values), _TEXT), max_size=3),
            "cause_other": _TEXT,
            "next_review": _DATE,
            "step": _TEXT,
            "step_organisation": st.one_of(st.integers(-5, 10**12).map(str), _TEXT),
            "step_due": _DATE,
        },
    )
)
def test_any_discussion_form_input_is_saved_whole_or_refused_with_a_message(
    client, team_world, fields
):
    tw = team_world
    entry = ListEntry.objects.filter(ended_on__isnull=True).first() or tw.put_on_list()
    login(client, tw.school_staff_a)
    before = (
        Discussion.objects.count(),
        AgreedStep.objects.count(),
        DiscussionCause.objects.count(),
    )
    data = {k: (v.replace("\x00", "") if isinstance(v, str) else v) for k, v in fields.items()}
    answer = client.post(reverse("prevention:entry_act", args=[entry.pk, "bespreking"]), data)
    after = (
        Discussion.objects.count(),
        AgreedStep.objects.count(),
        DiscussionCause.objects.count(),
    )
    assert answer.status_code in (302, 400)
    if answer.status_code == 400:
        assert after == before
        assert 'role="alert"' in answer.content.decode()
    else:
        assert after[0] == before[0] + 1


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(number=st.text(max_size=20), reason=st.text(max_size=320), held_on=_DATE)
def test_any_list_or_meeting_input_is_saved_or_refused_with_a_message(
    client, team_world, number, reason, held_on
):
    tw = team_world
    login(client, tw.school_staff_a)
    entries = ListEntry.objects.count()
    answer = client.post(
        reverse("prevention:team_act", args=[tw.team.pk, "kind"]),
        {"student_number": number.replace("\x00", ""), "reason": reason.replace("\x00", "")},
    )
    assert answer.status_code == 400  # no pupil has such a number
    assert ListEntry.objects.count() == entries
    meetings = tw.team.meetings.count()
    answer = client.post(
        reverse("prevention:team_act", args=[tw.team.pk, "overleg"]), {"held_on": held_on}
    )
    assert answer.status_code in (302, 400)
    assert tw.team.meetings.count() == meetings + (answer.status_code == 302)


@pytest.mark.parametrize("what", ["onbekend", "lid"])
def test_an_unknown_form_or_one_the_role_may_not_use_is_404(client, team_world, what):
    tw = team_world
    answer = login(client, tw.jeugdarts).post(
        reverse("prevention:team_act", args=[tw.team.pk, what]), {}
    )
    assert answer.status_code == 404
