"""Who sees which case, what the timeline shows to whom, the escalation proposal on frozen
dates, overdue actions and the daily reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from inbeeld.cases import selectors, services
from inbeeld.cases.models import OpenedFrom, Step
from inbeeld.notifications.models import Notification, NotificationKind
from inbeeld.rules.escalation import BOVENSCHOOLS_TEAM, SCHOOL_TEAM

D = dt.date
pytestmark = pytest.mark.django_db


def test_neither_organisation_sees_the_others_cases(world):
    case_a = world.open_case()
    case_b = services.case_open(
        actor=world.actor(world.leerplicht_b),
        student=world.child_b,
        opened_from=OpenedFrom.FINDING,
        on=D(2025, 9, 20),
    )
    a, b = world.actor(world.leerplicht_a), world.actor(world.leerplicht_b)
    assert list(selectors.cases_for(actor=a)) == [case_a]
    assert list(selectors.cases_for(actor=b)) == [case_b]
    assert selectors.case_for(actor=a, pk=case_b.pk) is None
    # the school of the child is not in the team (yet): it does not see the case
    assert selectors.case_for(actor=world.actor(world.school_staff_a), pk=case_a.pk) is None
    # nor does a wijkteam outside it, nor a policy officer
    assert selectors.case_for(actor=world.actor(world.wijkteam_worker), pk=case_a.pk) is None
    assert selectors.case_for(actor=world.actor(world.beleid_a), pk=case_a.pk) is None
    member = world.add_member(case_a)
    ggd = world.actor(world.jeugdarts)
    assert selectors.case_for(actor=ggd, pk=case_a.pk) == case_a
    services.team_member_end(actor=a, member=member, on=D(2025, 10, 1))
    assert selectors.case_for(actor=ggd, pk=case_a.pk) is None


def test_the_ggds_own_note_is_hidden_from_leerplicht(world):
    case = world.open_case()
    world.add_member(case)
    services.note_add(actor=world.actor(world.jeugdarts), case=case, text="medisch: angststoornis")
    services.note_add(
        actor=world.actor(world.jeugdarts),
        case=case,
        text="advies: rustige start, halve dagen",
        visibility="team",
    )
    leerplicht = [
        i.text for i in selectors.timeline(actor=world.actor(world.leerplicht_a), case=case)
    ]
    ggd_items = selectors.timeline(actor=world.actor(world.jeugdarts), case=case)
    assert not any("angst" in t for t in leerplicht)
    assert any("halve dagen" in t for t in leerplicht)
    assert any("angst" in i.text and i.restricted for i in ggd_items)
    # newest first
    days = [i.on for i in ggd_items]
    assert days == sorted(days, reverse=True)


def test_timeline_gathers_everything(world):
    case = world.open_case()
    actor = world.actor(world.leerplicht_a)
    world.add_action(case, description="Huisbezoek")
    services.referral_request(actor=actor, case=case, kind="jeugd_ggz", requested_on=D(2025, 9, 23))
    world.escalate(case, SCHOOL_TEAM, reason="geen aanbod")
    kinds = {i.kind for i in selectors.timeline(actor=actor, case=case)}
    assert {"status", "team", "plan", "verwijzing", "opschaling"} <= kinds


# -- escalation proposals on frozen dates ---------------------------------------------------------


def test_no_plan_six_weeks_after_the_lrv_melding(world):
    case = world.open_case()  # lrv melding of 15 September 2025
    assert selectors.proposal_for(case=case, on=D(2025, 10, 27)) is None  # exactly six weeks
    proposal = selectors.proposal_for(case=case, on=D(2025, 10, 28))
    assert proposal.to_step == SCHOOL_TEAM
    assert any("geen plan van aanpak 6 weken" in r for r in proposal.reasons)
    # a meeting without agreed actions is no plan yet
    services.meeting_record(
        actor=world.actor(world.leerplicht_a),
        case=case,
        kind=SCHOOL_TEAM,
        held_on=D(2025, 10, 6),
        decisions="Volgende keer verder",
    )
    assert selectors.proposal_for(case=case, on=D(2025, 10, 28)) is not None
    world.add_action(case, due_date=D(2025, 11, 1), agreed_on=D(2025, 10, 20))
    assert selectors.proposal_for(case=case, on=D(2025, 10, 28)) is None


def test_three_months_at_home_without_a_suitable_offer(world):
    case = world.open_case()  # at home since 18 August 2025
    world.add_action(case)
    # RULES.md §7: since ≤ the day minus 3 months, so 18 November itself counts (as in the status)
    assert selectors.proposal_for(case=case, on=D(2025, 11, 17)) is None
    proposal = selectors.proposal_for(case=case, on=D(2025, 11, 18))
    assert any("langer dan 3 maanden thuis" in r for r in proposal.reasons)
    services.intervention_add(
        actor=world.actor(world.leerplicht_a),
        case=case,
        kind="digitaal_onderwijs",
        start_date=D(2025, 11, 10),
    )
    assert selectors.proposal_for(case=case, on=D(2025, 11, 19)) is None


def test_a_referral_waiting_longer_than_the_norm(world, settings):
    settings.INBEELD_REFERRAL_NORM_WEEKS = 8
    case = world.open_case()
    actor = world.actor(world.leerplicht_a)
    world.add_action(case)
    services.intervention_add(
        actor=actor, case=case, kind="aangepast_rooster", start_date=D(2025, 9, 29)
    )
    world.escalate(case, SCHOOL_TEAM, reason="start", deadline=D(2025, 10, 15), on=D(2025, 10, 1))
    referral = services.referral_request(
        actor=actor, case=case, kind="jeugd_ggz", requested_on=D(2025, 10, 1)
    )
    case.refresh_from_db()
    assert selectors.proposal_for(case=case, on=D(2025, 11, 26)) is None  # 8 weeks: the norm
    proposal = selectors.proposal_for(case=case, on=D(2025, 12, 10))  # 10 weeks
    assert proposal.to_step == BOVENSCHOOLS_TEAM
    assert proposal.reasons == (
        "verwijzing naar jeugd-ggz wacht al 10 weken (norm 8 weken) en houdt de terugkeer "
        "naar school tegen",
    )
    waits = selectors.referral_waits(case=case, on=D(2025, 12, 10))
    assert waits[0].weeks == 10
    assert waits[0].over_norm
    services.referral_started(actor=actor, referral=referral, on=D(2025, 12, 8))
    assert selectors.proposal_for(case=case, on=D(2025, 12, 10)) is None


def test_no_proposal_once_back_at_school_or_at_the_top(world):
    case = world.open_case()
    for step in (Step.SCHOOL_TEAM, Step.BOVENSCHOOLS_TEAM, Step.DOORBRAAKOVERLEG):
        world.escalate(case, step, deadline=D(2026, 1, 1), on=D(2025, 12, 1))
    case.refresh_from_db()
    assert selectors.proposal_for(case=case, on=D(2026, 6, 1)) is None


# -- overdue actions and reminders ----------------------------------------------------------------


def test_overdue_actions_and_reminders_arrive_once(world):
    case = world.open_case()
    world.add_member(case)
    lead = world.actor(world.leerplicht_a)
    overdue = world.add_action(case, description="Huisbezoek")
    soon = world.add_action(
        case, description="Advies jeugdarts", due_date=D(2025, 10, 12), owner_organisation=world.ggd
    )
    world.add_action(case, description="Later", due_date=D(2025, 12, 1))
    assert list(selectors.overdue_actions_for(actor=lead, on=D(2025, 10, 10))) == [overdue]
    assert services.remind_due_actions(on=D(2025, 10, 10)) == 2
    assert services.remind_due_actions(on=D(2025, 10, 10)) == 0  # deduplicated
    ggd_note = Notification.objects.get(user=world.jeugdarts.user, kind=NotificationKind.ACTION_DUE)
    assert "12-10-2025" in ggd_note.title
    # once it is overdue, one more reminder
    assert services.remind_due_actions(on=D(2025, 10, 13)) == 1
    services.action_done(actor=world.actor(world.jeugdarts), action=soon, on=D(2025, 10, 14))
    call_command("case_reminders", "--on", "2025-10-20")
    assert Notification.objects.filter(kind=NotificationKind.ACTION_DUE).count() == 3
