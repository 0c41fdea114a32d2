"""The case workflow through its services: opening, team, plan, outcome, relapse, escalation,
disputes, notes; permissions, notifications and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from inbeeld.attendance.models import Melding
from inbeeld.audit.models import AuditEvent
from inbeeld.cases import services
from inbeeld.cases.models import Case, ConsentBasis, Note, OpenedFrom, Step
from inbeeld.cases.workflow import CLOSED, IN_PROGRESS, OPENED, RETURNED
from inbeeld.notifications.models import Notification, NotificationKind
from inbeeld.people.models import Involvement
from inbeeld.people.selectors import NotInScopeError, student_for

D = dt.date
pytestmark = pytest.mark.django_db(transaction=False)


def test_open_a_case_from_a_melding(world):
    case = world.open_case()
    assert case.state == OPENED
    assert case.lead_organisation == world.gemeente_a
    member = case.team.get()
    assert member.user == world.leerplicht_a.user
    assert member.consent_basis == ConsentBasis.LEERPLICHT
    assert Involvement.objects.filter(source="case_team", source_id=member.pk).exists()
    event = AuditEvent.objects.get(object_type="cases.Case", object_id=str(case.pk))
    assert event.student == world.child
    assert "geopend" in event.summary
    assert case.state_changes.get().to_state == OPENED


def test_one_open_case_per_child(world):
    case = world.open_case()
    with pytest.raises(services.CaseAlreadyOpenError) as error:
        services.case_open(
            actor=world.actor(world.school_staff_a),
            student=world.child,
            opened_from=OpenedFrom.FINDING,
        )
    assert error.value.case == case
    assert f"casus {case.pk}" in error.value.messages[0]


def test_opening_needs_the_permission_and_sight_of_the_child(world):
    with pytest.raises(PermissionDenied):
        services.case_open(
            actor=world.actor(world.jeugdarts), student=world.child, opened_from="bevinding"
        )
    with pytest.raises(NotInScopeError):  # "not found", as the selectors answer (issue 9)
        services.case_open(
            actor=world.actor(world.leerplicht_b), student=world.child, opened_from="bevinding"
        )
    assert not Case.objects.exists()
    other = Melding.objects.create(
        student=world.child_b,
        rule="16_uur",
        start_date=D(2025, 9, 1),
        end_date=D(2025, 9, 12),
        first_run=world.melding.first_run,
    )
    with pytest.raises(ValidationError, match="ander kind"):
        services.case_open(
            actor=world.actor(world.leerplicht_a),
            student=world.child,
            opened_from="melding",
            melding=other,
        )


def test_a_team_member_is_told_and_their_organisation_sees_the_child(world):
    ggd_actor = world.actor(world.jeugdarts)
    assert student_for(actor=ggd_actor, pk=world.child.pk) is None
    case = world.open_case()
    member = world.add_member(case)
    assert student_for(actor=ggd_actor, pk=world.child.pk) is not None
    note = Notification.objects.get(user=world.jeugdarts.user)
    assert note.kind == NotificationKind.TEAM
    assert note.url == f"/zaken/{case.pk}/"
    assert world.child.family_name not in note.title + note.body
    with pytest.raises(ValidationError, match="al in het team"):
        world.add_member(case)
    services.team_member_end(
        actor=world.actor(world.leerplicht_a), member=member, on=D(2025, 10, 1)
    )
    involvement = Involvement.objects.get(source="case_team", source_id=member.pk)
    assert involvement.until == D(2025, 10, 1)


def test_only_the_lead_builds_the_team(world):
    case = world.open_case()

    # the school sees the child but not this case: "not found" (issue 9)
    with pytest.raises(NotInScopeError):
        world.add_member(case, by=world.school_staff_a)
    world.add_member(
        case,
        world.school_staff_a,
        organisation=world.school_a.organisation,
        role_in_case="zorgcoördinator",
        reason="school van het kind",
    )
    with pytest.raises(PermissionDenied, match="leidt"):  # in the team, not its lead
        world.add_member(case, by=world.school_staff_a)
    assert not case.team.filter(organisation=world.ggd).exists()


def test_another_organisation_cannot_add_itself_to_a_case_it_does_not_see(world):
    case = world.open_case()
    with pytest.raises(NotInScopeError):
        world.add_member(
            case,
            world.leerplicht_b,
            by=world.leerplicht_b,
            role_in_case="leerplicht",
            consent_basis=ConsentBasis.LEERPLICHT,
        )
    assert student_for(actor=world.actor(world.leerplicht_b), pk=world.child.pk) is None


def test_a_lead_that_no_longer_sees_the_child_adds_nobody(world):
    """The school led the case; the pupil left the school and the school left the team: it still
    sees its case, but no longer the child, so it cannot give anyone sight of it."""
    case = services.case_open(
        actor=world.actor(world.school_staff_a), student=world.child, opened_from="bevinding"
    )
    world.child.enrolments.update(end_date=D(2025, 1, 31))
    Involvement.objects.filter(student=world.child).update(until=D(2025, 2, 1))
    assert student_for(actor=world.actor(world.school_staff_a), pk=world.child.pk) is None
    with pytest.raises(NotInScopeError):
        world.add_member(case, by=world.school_staff_a)
    assert not Involvement.objects.filter(organisation=world.ggd).exists()


def test_a_member_needs_a_reason_a_basis_and_a_casework_role(world):
    case = world.open_case()
    with pytest.raises(ValidationError) as error:
        world.add_member(case, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        world.add_member(
            case,
            world.beleid_a,
            organisation=world.gemeente_a,
            role_in_case="beleid",
            reason="cijfers",
            consent_basis=ConsentBasis.LEERPLICHT,
        )
    assert "casusrol" in error.value.message_dict["user"][0]


def test_the_first_action_puts_the_plan_in_motion_and_actions_are_marked_done(world):
    case = world.open_case()
    actor = world.actor(world.leerplicht_a)
    action = world.add_action(case, description="Gesprek met ouders")
    case.refresh_from_db()
    assert case.state == IN_PROGRESS
    assert action.owner_organisation == world.gemeente_a
    services.action_done(actor=actor, action=action, on=D(2025, 9, 30))
    action.refresh_from_db()
    assert action.done_on == D(2025, 9, 30)
    with pytest.raises(ValidationError, match="al afgerond"):
        services.action_done(actor=actor, action=action)
    with pytest.raises(ValidationError, match="in het team"):
        world.add_action(case, description="x", owner_organisation=world.wijkteam)


def test_an_organisation_outside_the_case_cannot_contribute(world):
    case = world.open_case()
    with pytest.raises(PermissionDenied):
        services.note_add(actor=world.actor(world.wijkteam_worker), case=case, text="x")
    with pytest.raises(PermissionDenied):
        world.add_action(
            case, by=world.leerplicht_b, description="x", due_date=D(2030, 1, 1), agreed_on=None
        )


def test_return_relapse_and_close(world):
    case = world.open_case()
    actor = world.actor(world.leerplicht_a)
    services.outcome_record(
        actor=actor,
        case=case,
        kind="gedeeltelijk",
        returned_on=D(2025, 11, 3),
        school=world.school_a,
    )
    case.refresh_from_db()
    assert case.state == RETURNED
    relapse = services.case_reopen(actor=actor, case=case, reason="weer thuis", on=D(2026, 1, 12))
    case.refresh_from_db()
    assert case.state == IN_PROGRESS
    assert case.relapse_count == 1
    assert relapse.after_return_on == D(2025, 11, 3)
    services.outcome_record(
        actor=actor, case=case, kind="volledig", returned_on=D(2026, 2, 2), school_name="Het Baken"
    )
    services.case_close(
        actor=actor, case=case, reason="terug_op_school", confirmed=True, on=D(2026, 6, 1)
    )
    case.refresh_from_db()
    assert case.state == CLOSED
    assert case.closed_on == D(2026, 6, 1)
    with pytest.raises(ValidationError, match="langer dan 12 maanden"):
        services.case_reopen(actor=actor, case=case, reason="weer thuis", on=D(2027, 3, 1))
    services.case_reopen(actor=actor, case=case, reason="weer thuis", on=D(2026, 9, 1))
    case.refresh_from_db()
    assert case.relapse_count == 2
    assert case.state == IN_PROGRESS
    with pytest.raises(ValidationError, match="heropend"):
        services.case_reopen(actor=actor, case=case, reason="nog eens")


def test_a_closed_case_takes_nothing_new_and_a_new_case_can_be_opened(world):
    case = world.open_case()
    actor = world.actor(world.leerplicht_a)
    services.case_close(
        actor=actor, case=case, reason="verhuisd_uitgeschreven", confirmed=True, on=D(2025, 10, 1)
    )
    with pytest.raises(ValidationError, match="afgesloten"):
        world.add_action(case, description="x", due_date=D(2025, 12, 1), agreed_on=None)
    with pytest.raises(ValidationError, match="kan niet naar"):
        services.case_close(actor=actor, case=case)
    assert world.open_case(on=D(2025, 10, 2)).pk != case.pk


def test_escalation_goes_up_the_ladder_and_notifies_team_and_decider(world):
    case = world.open_case()
    world.add_member(case)
    step = world.escalate(
        case,
        Step.BOVENSCHOOLS_TEAM,
        reason="geen passend aanbod",
        deciding_organisation=world.school_a.organisation,
        deciding_user=world.school_staff_a.user,
        deadline=D(2030, 1, 1),
        on=D(2025, 12, 1),
    )
    case.refresh_from_db()
    assert case.escalation_step == Step.BOVENSCHOOLS_TEAM
    notified = set(
        Notification.objects.filter(kind=NotificationKind.ESCALATION).values_list(
            "user__username", flat=True
        )
    )
    assert notified == {world.jeugdarts.user.username, world.school_staff_a.user.username}
    # the deciding school now sees the case and decides
    school_actor = world.actor(world.school_staff_a)
    services.escalation_decide(actor=school_actor, step=step, decision="plek op De Linde")
    step.refresh_from_db()
    assert step.decided_on is not None
    with pytest.raises(ValidationError, match="alleen omhoog"):
        world.escalate(
            case, Step.SCHOOL_TEAM, reason="x", deadline=D(2030, 1, 1), on=D(2025, 12, 2)
        )
    with pytest.raises(PermissionDenied):
        services.escalation_decide(actor=world.actor(world.jeugdarts), step=step, decision="x")


def test_escalation_records_the_proposal_it_followed(world):
    case = world.open_case()
    step = world.escalate(case, Step.SCHOOL_TEAM, reason="geen plan")
    assert any("geen plan van aanpak" in r for r in step.proposed_reasons)


def test_meeting_referral_intervention_dispute(world):
    case = world.open_case()
    world.add_member(case)
    actor = world.actor(world.jeugdarts)
    meeting = services.meeting_record(
        actor=actor,
        case=case,
        kind=Step.SCHOOL_TEAM,
        held_on=D(2025, 9, 25),
        attendees=[world.jeugdarts.user, world.leerplicht_a.user],
        other_attendees="moeder, Noor",
        child_view="Noor wil naar een kleinere school",
        parents_view="Moeder wil hulp bij angst",
        decisions="Verwijzing jeugd-ggz",
        next_date=D(2025, 10, 23),
    )
    assert meeting.attendees.count() == 2
    referral = services.referral_request(
        actor=actor, case=case, kind="jeugd_ggz", requested_on=D(2025, 9, 26)
    )
    with pytest.raises(ValidationError):
        services.referral_started(actor=actor, referral=referral, on=D(2025, 9, 1))
    services.referral_started(actor=actor, referral=referral, on=D(2025, 12, 1))
    with pytest.raises(ValidationError):
        services.intervention_add(
            actor=actor,
            case=case,
            kind="digitaal_onderwijs",
            start_date=D(2025, 10, 1),
            end_date=D(2025, 9, 1),
        )
    services.intervention_add(
        actor=actor, case=case, kind="digitaal_onderwijs", start_date=D(2025, 10, 1)
    )
    dispute = services.dispute_lodge(
        actor=world.actor(world.leerplicht_a),
        case=case,
        subject="ondersteuning op school",
        lodged_on=D(2025, 10, 5),
    )
    services.dispute_rule(
        actor=world.actor(world.leerplicht_a),
        dispute=dispute,
        ruling="school moet arrangement bieden",
        outcome="gegrond",
        ruled_on=D(2025, 12, 1),
    )
    dispute.refresh_from_db()
    assert dispute.ruled_on == D(2025, 12, 1)


def test_notes_default_to_the_own_organisation_for_the_ggd_and_the_audit_holds_no_text(world):
    case = world.open_case()
    world.add_member(case)
    note = services.note_add(
        actor=world.actor(world.jeugdarts), case=case, text="diagnose: angststoornis"
    )
    assert note.visibility == Note.Visibility.OWN_ORGANISATION
    team_note = services.note_add(
        actor=world.actor(world.leerplicht_a), case=case, text="ouders bereikt"
    )
    assert team_note.visibility == Note.Visibility.TEAM
    summaries = " ".join(AuditEvent.objects.values_list("summary", flat=True))
    assert "angst" not in summaries
    assert "ouders bereikt" not in summaries
    events = AuditEvent.objects.filter(object_type="cases.Note")
    assert events.count() == 2
    assert all(e.student_id == world.child.pk for e in events)


def test_emails_go_out_after_commit(world, django_capture_on_commit_callbacks):
    case = world.open_case()
    with django_capture_on_commit_callbacks(execute=True):
        world.add_member(case)
    assert len(mail.outbox) == 1
    assert world.child.family_name not in mail.outbox[0].body
