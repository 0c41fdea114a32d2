"""School teams (issue 12 §1): the services' permissions and scope, need-to-know through the list,
the history that goes along into a case, and the care signals' proposals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inbeeld.audit.models import AuditEvent
from inbeeld.cases.models import Case, CaseCause, Note
from inbeeld.cases.selectors import notes_for
from inbeeld.people.models import Involvement
from inbeeld.people.selectors import NotInScopeError, student_for
from inbeeld.prevention import selectors, services
from inbeeld.prevention.models import ListEntry, Proposal, SchoolTeam
from inbeeld.rules.care_signals import CareSignal

TODAY = timezone.localdate()


def sees(tw, membership, student) -> bool:
    return student_for(actor=tw.actor(membership), pk=student.pk) is not None


# -- setting up -----------------------------------------------------------------------------------


def test_a_school_sets_up_its_team_with_itself_as_first_member(team_world):
    tw = team_world
    members = {m.organisation for m in selectors.active_members(tw.team)}
    assert members == {tw.school_a.organisation, tw.gemeente_a, tw.ggd, tw.swv, tw.wijkteam}
    assert AuditEvent.objects.filter(
        summary__contains=f"schoolteam {tw.team.pk} ingesteld"
    ).exists()


def test_nobody_sets_up_a_team_for_another_school(team_world):
    tw = team_world
    with pytest.raises(ValidationError):
        services.team_create(actor=tw.actor(tw.school_staff_a), school=tw.school_b)
    with pytest.raises(PermissionDenied):  # a jeugdarts does not open cases nor set up teams
        services.team_create(actor=tw.actor(tw.jeugdarts), school=tw.school_a)


def test_one_active_team_per_school(team_world):
    tw = team_world
    with pytest.raises(ValidationError):
        services.team_create(actor=tw.actor(tw.school_staff_a), school=tw.school_a)
    located = services.team_create(
        actor=tw.actor(tw.school_staff_a), school=tw.school_a, location="Noord"
    )
    assert located.location == "Noord"


def test_only_who_keeps_the_membership_adds_an_organisation(team_world):
    tw = team_world
    services.member_end(actor=tw.school, member=tw.team.members.get(organisation=tw.wijkteam))
    with pytest.raises(PermissionDenied):  # a member without OPEN_CASE
        services.member_add(actor=tw.actor(tw.jeugdarts), team=tw.team, organisation=tw.wijkteam)
    with pytest.raises(NotInScopeError):  # not a member: as if the team did not exist
        services.member_add(
            actor=tw.actor(tw.school_staff_b), team=tw.team, organisation=tw.wijkteam
        )
    with pytest.raises(ValidationError):  # a person of another organisation
        services.member_add(
            actor=tw.school, team=tw.team, organisation=tw.wijkteam, user=tw.jeugdarts.user
        )


# -- the list and need-to-know ------------------------------------------------------------------


def test_a_member_organisation_sees_only_the_children_on_the_list(team_world):
    tw = team_world
    assert not sees(tw, tw.jeugdarts, tw.child)
    tw.put_on_list()
    assert sees(tw, tw.jeugdarts, tw.child)
    assert sees(tw, tw.wijkteam_worker, tw.child)  # an organisation member without a name
    assert not sees(tw, tw.jeugdarts, tw.other)  # a pupil of the school not on the list
    rows = Involvement.objects.filter(student=tw.child, source=Involvement.Source.SCHOOL_TEAM)
    assert rows.count() == 5  # one per member organisation


def test_taking_a_child_off_the_list_ends_the_sight_at_once(team_world):
    tw = team_world
    entry = tw.put_on_list()
    services.entry_end(actor=tw.actor(tw.jeugdarts), entry=entry, reason="gaat goed")
    assert not sees(tw, tw.jeugdarts, tw.child)
    assert not sees(tw, tw.wijkteam_worker, tw.child)
    assert sees(tw, tw.school_staff_a, tw.child)  # its own pupil
    assert selectors.entry_for(actor=tw.actor(tw.jeugdarts), pk=entry.pk) is None
    assert selectors.entry_for(actor=tw.school, pk=entry.pk) is not None
    # on the list again later: sight again
    tw.put_on_list()
    assert sees(tw, tw.jeugdarts, tw.child)


def test_a_ggd_member_loses_sight_when_it_leaves_the_team(team_world):
    tw = team_world
    tw.put_on_list()
    member = tw.team.members.get(organisation=tw.ggd, left_on__isnull=True)
    services.member_end(actor=tw.school, member=member, reason="andere jeugdarts")
    assert not sees(tw, tw.jeugdarts, tw.child)
    assert sees(tw, tw.wijkteam_worker, tw.child)
    assert selectors.team_for(actor=tw.actor(tw.jeugdarts), pk=tw.team.pk) is None


def test_a_member_that_joins_later_sees_the_children_already_on_the_list(team_world):
    tw = team_world
    services.member_end(actor=tw.school, member=tw.team.members.get(organisation=tw.ggd))
    tw.put_on_list()
    assert not sees(tw, tw.jeugdarts, tw.child)
    services.member_add(actor=tw.school, team=tw.team, organisation=tw.ggd)
    assert sees(tw, tw.jeugdarts, tw.child)


def test_only_a_child_the_adding_organisation_sees_and_a_pupil_of_the_school(team_world):
    tw = team_world
    with pytest.raises(NotInScopeError):  # the GGD does not see the school's pupils
        tw.put_on_list(by=tw.jeugdarts)
    with pytest.raises(NotInScopeError):  # gemeente A does not see a pupil of gemeente B
        tw.put_on_list(student=tw.child_b, by=tw.w.leerplicht_a)
    with pytest.raises(NotInScopeError):  # school B is no member
        tw.put_on_list(by=tw.w.school_staff_b)
    tw.put_on_list()
    with pytest.raises(ValidationError):  # once on the list
        tw.put_on_list(by=tw.w.leerplicht_a)
    assert ListEntry.objects.count() == 1


def test_a_child_living_in_the_gemeente_but_at_another_school_is_refused(team_world):
    from inbeeld.attendance.tests.factories import pupil

    tw = team_world
    elsewhere = pupil(tw.school_b, municipality_code="GM0001")  # gemeente A sees it (lives there)
    with pytest.raises(ValidationError) as refused:
        tw.put_on_list(student=elsewhere, by=tw.w.leerplicht_a)
    assert "student" in refused.value.message_dict


def test_every_write_is_audited_with_the_child(team_world):
    tw = team_world
    entry = tw.put_on_list()
    assert AuditEvent.objects.filter(
        student_id=tw.child.pk, summary__contains="op de lijst"
    ).exists()
    services.entry_end(actor=tw.school, entry=entry, reason="klaar")
    assert AuditEvent.objects.filter(
        student_id=tw.child.pk, summary__contains="van de lijst"
    ).exists()


# -- discussions ----------------------------------------------------------------------------------


def test_a_discussion_with_views_consent_causes_and_a_step(team_world):
    tw = team_world
    entry = tw.put_on_list()
    meeting = services.meeting_plan(actor=tw.school, team=tw.team, held_on=TODAY)
    discussion = services.discussion_add(
        actor=tw.actor(tw.swv_consultant),
        entry=entry,
        meeting=meeting,
        minutes="Veel gemist na de herfstvakantie.",
        child_view="Vindt de klas te druk.",
        parents_view="Maken zich zorgen.",
        consent="gegeven",
        next_review=TODAY + dt.timedelta(days=28),
        causes=["pesten", "anders"],
        cause_other="te druk in de klas",
        step="Gesprek met mentor",
        step_organisation=tw.school_a.organisation,
        step_due=TODAY + dt.timedelta(days=14),
    )
    assert sorted(c.cause for c in discussion.causes.all()) == ["anders", "pesten"]
    assert discussion.steps.get().owner_organisation == tw.school_a.organisation
    assert discussion.visibility == Note.Visibility.TEAM


def test_discussion_refusals_write_nothing(team_world):
    tw = team_world
    entry = tw.put_on_list()
    bad = [
        {"causes": ["onbekend"]},
        {"causes": ["anders"]},
        {"discussed_on": TODAY + dt.timedelta(days=1)},
        {"next_review": TODAY - dt.timedelta(days=1)},
        {"step": "iets", "step_organisation": tw.w.gemeente_b},
        {"step": "", "step_organisation": tw.ggd},
        {"consent": "misschien"},
        {"visibility": "iedereen"},
        {"minutes": "x" * 4001},
    ]
    for fields in bad:
        with pytest.raises(ValidationError):
            services.discussion_add(actor=tw.school, entry=entry, **fields)
    assert not entry.discussions.exists()


def test_minutes_follow_the_rule_of_case_notes(team_world):
    tw = team_world
    entry = tw.put_on_list()
    services.discussion_add(actor=tw.actor(tw.jeugdarts), entry=entry, minutes="medisch")
    views = {
        m: selectors.discussions_of(actor=tw.actor(m), entry=entry)[0].readable
        for m in (tw.jeugdarts, tw.school_staff_a)
    }
    # a GGD professional's minutes stay with the GGD by default, as its case notes do
    assert views == {tw.jeugdarts: True, tw.school_staff_a: False}
    services.discussion_add(actor=tw.school, entry=entry, minutes="voor iedereen")
    assert all(
        v.readable for v in selectors.discussions_of(actor=tw.actor(tw.jeugdarts), entry=entry)
    )
    assert notes_for  # the same rule: cases.selectors.note_readable


def test_a_member_leaving_cannot_discuss_any_more(team_world):
    tw = team_world
    entry = tw.put_on_list()
    services.member_end(actor=tw.school, member=tw.team.members.get(organisation=tw.swv))
    with pytest.raises(NotInScopeError):
        services.discussion_add(actor=tw.actor(tw.swv_consultant), entry=entry)


# -- into a case ----------------------------------------------------------------------------------


def test_moving_a_child_into_a_case_takes_the_history_along(team_world):
    tw = team_world
    entry = tw.put_on_list()
    services.discussion_add(actor=tw.school, entry=entry, causes=["pesten", "vervoer"])
    services.discussion_add(actor=tw.school, entry=entry, causes=["pesten"])
    case = services.move_to_case(actor=tw.actor(tw.w.leerplicht_a), entry=entry)
    entry.refresh_from_db()
    assert entry.case == case
    assert entry.ended_on == TODAY
    assert case.lead_organisation == tw.gemeente_a
    assert sorted(CaseCause.objects.filter(case=case).values_list("cause", flat=True)) == [
        "pesten",
        "vervoer",
    ]
    assert selectors.entries_of_case(actor=tw.actor(tw.w.leerplicht_a), case=case) == [entry]
    assert not sees(tw, tw.jeugdarts, tw.child)  # the case team decides who is involved now


def test_moving_needs_the_right_to_open_a_case_and_writes_nothing_otherwise(team_world):
    tw = team_world
    entry = tw.put_on_list()
    with pytest.raises(PermissionDenied):
        services.move_to_case(actor=tw.actor(tw.jeugdarts), entry=entry)
    assert not Case.objects.exists()
    entry.refresh_from_db()
    assert entry.ended_on is None


# -- proposals ------------------------------------------------------------------------------------

SIGNAL = CareSignal("stijgend_ongeoorloofd", "Stijgend ongeoorloofd verzuim", "12 uur ongeoorloofd")


def test_a_proposal_is_stored_once_and_a_member_accepts_it(team_world):
    tw = team_world
    first = services.proposal_record(team=tw.team, student=tw.child, signal=SIGNAL, on=TODAY)
    again = services.proposal_record(team=tw.team, student=tw.child, signal=SIGNAL, on=TODAY)
    assert first is not None
    assert again is None
    assert selectors.proposals_of(actor=tw.actor(tw.jeugdarts), team=tw.team).count() == 0
    assert list(selectors.proposals_of(actor=tw.school, team=tw.team)) == [first]
    entry = services.proposal_accept(actor=tw.school, proposal=first)
    first.refresh_from_db()
    assert first.state == Proposal.State.ACCEPTED
    assert entry.proposal == first
    assert entry.reason == SIGNAL.sentence
    assert services.proposal_record(team=tw.team, student=tw.child, signal=SIGNAL, on=TODAY) is None


def test_a_dismissed_proposal_stays_quiet_for_a_while(team_world):
    tw = team_world
    proposal = services.proposal_record(team=tw.team, student=tw.child, signal=SIGNAL, on=TODAY)
    services.proposal_dismiss(actor=tw.school, proposal=proposal, reason="bekend, loopt al")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DISMISSED
    later = TODAY + dt.timedelta(days=services.QUIET_DAYS - 1)
    assert services.proposal_record(team=tw.team, student=tw.child, signal=SIGNAL, on=later) is None
    much_later = TODAY + dt.timedelta(days=services.QUIET_DAYS + 1)
    assert services.proposal_record(team=tw.team, student=tw.child, signal=SIGNAL, on=much_later)
    with pytest.raises(ValidationError):
        services.proposal_dismiss(actor=tw.school, proposal=proposal)


def test_a_member_that_does_not_see_the_child_cannot_decide_a_proposal(team_world):
    tw = team_world
    proposal = services.proposal_record(team=tw.team, student=tw.child, signal=SIGNAL, on=TODAY)
    with pytest.raises(NotInScopeError):
        services.proposal_accept(actor=tw.actor(tw.jeugdarts), proposal=proposal)


def test_the_sweep_proposes_pupils_whose_signals_fire_and_is_idempotent(team_world, monkeypatch):
    from inbeeld.prevention import sweep

    tw = team_world
    fired = {tw.child.pk: [SIGNAL]}
    monkeypatch.setattr(sweep, "care_signals_of_pupils", lambda *, actor, students, on: fired)
    result = sweep.proposals_sweep(on=TODAY)
    assert (result.teams, result.proposed) == (1, 1)
    assert result.children == 2  # the two pupils of school A
    assert sweep.proposals_sweep(on=TODAY).proposed == 0
    assert Proposal.objects.get().student == tw.child


def test_the_sweep_command_runs(team_world, capsys):
    from django.core.management import call_command

    call_command("zorgsignalen_voorstellen", "--on", TODAY.isoformat())
    assert "schoolteams" in capsys.readouterr().out
    assert SchoolTeam.objects.count() == 1
