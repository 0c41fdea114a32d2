"""Leave requests against the law (art. 13a, 14) with the school's own calendar, who decides, scope,
permissions and the audit trail. Region zuid, school year 2024/25: summer until Sun 18 Aug 2024,
so the first two lesweken are 19 Aug – 1 Sep 2024; spring vacation 22 Feb – 2 Mar 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inbeeld.accounts.models import Role
from inbeeld.attendance.tests.factories import (
    MembershipFactory,
    actor_for,
)
from inbeeld.audit.models import AuditEvent
from inbeeld.leave import selectors, services
from inbeeld.leave.models import LeaveRequest, LeaveState
from inbeeld.notifications.models import Notification
from inbeeld.people.models import SchoolFreePeriod
from inbeeld.people.selectors import NotInScopeError
from inbeeld.rules.leave import HOLIDAY, LEERPLICHT, SCHOOL, WEIGHTY

D = dt.date


def register(w, **kw):
    values = {
        "actor": w.school,
        "student": w.child_a,
        "kind": HOLIDAY,
        "start_date": D(2025, 3, 10),
        "end_date": D(2025, 3, 14),
        "employer_statement": True,
    }
    values.update(kw)
    return services.leave_request_register(**values)


def test_holiday_leave_of_a_week_the_school_decides(world):
    leave = register(world)
    assert leave.state == LeaveState.INGEDIEND
    assert (leave.school_days, leave.decider, leave.refusals) == (5, SCHOOL, [])
    assert leave.school == world.school_a
    assert leave.requested_by == world.school_staff_a.user
    assert leave.forwarded_to is None
    assert not Notification.objects.exists()  # the school decides: nobody is told


def test_the_schools_own_free_day_is_no_school_day(world):
    SchoolFreePeriod.objects.create(
        school=world.school_a, start_date=D(2025, 3, 12), end_date=D(2025, 3, 12), name="studiedag"
    )
    assert register(world).school_days == 4
    # another school in the same region keeps the day
    other = register(world, actor=world.school_b_actor, student=world.child_b)
    assert other.school_days == 5


def test_weighty_circumstances_over_ten_days_go_to_leerplicht_who_is_notified(world):
    leave = register(world, kind=WEIGHTY, end_date=D(2025, 3, 24), reason="huwelijk")
    assert (leave.school_days, leave.decider) == (11, LEERPLICHT)
    assert leave.state == LeaveState.DOORGESTUURD
    assert leave.forwarded_to == world.gemeente_a
    told = Notification.objects.get()
    assert told.user == world.leerplicht_a.user
    assert told.kind == "leave"
    assert "huwelijk" not in told.title + told.body
    # the gemeente's beleidsmedewerker (no permission to decide) is not told
    assert not Notification.objects.filter(user=world.beleid_a.user).exists()


def test_weighty_days_granted_earlier_this_school_year_count(world):
    first = register(world, kind=WEIGHTY, start_date=D(2025, 1, 6), end_date=D(2025, 1, 15))
    assert (first.school_days, first.decider) == (8, SCHOOL)
    services.leave_request_decide(actor=world.school, leave=first, grant=True)
    assert register(world, kind=WEIGHTY, end_date=D(2025, 3, 11)).decider == SCHOOL  # 8 + 2
    third = register(world, kind=WEIGHTY, end_date=D(2025, 3, 12))  # 8 + 3
    assert third.decider == LEERPLICHT
    assert third.state == LeaveState.DOORGESTUURD
    # the next school year starts counting again
    assert (
        register(world, kind=WEIGHTY, start_date=D(2025, 9, 1), end_date=D(2025, 9, 3)).decider
        == SCHOOL
    )


def test_holiday_leave_in_the_first_two_lesweken_is_niet_ontvankelijk(world):
    leave = register(world, start_date=D(2024, 8, 26), end_date=D(2024, 8, 30))
    assert any("eerste 2 lesweken" in r and "01-09-2024" in r for r in leave.refusals)
    assert leave.state == LeaveState.NIET_ONTVANKELIJK
    assert not leave.is_open
    with pytest.raises(ValidationError, match="niet-ontvankelijk") as caught:
        services.leave_request_decide(actor=world.school, leave=leave, grant=True)
    assert "nieuwe aanvraag" in caught.value.messages[0]
    leave.refresh_from_db()
    assert leave.state == LeaveState.NIET_ONTVANKELIJK


def test_a_second_holiday_leave_in_one_school_year_is_refused(world):
    first = register(world)
    services.leave_request_decide(actor=world.school, leave=first, grant=True, note="akkoord")
    second = register(world, start_date=D(2025, 5, 12), end_date=D(2025, 5, 16))
    assert any("één keer per schooljaar" in r for r in second.refusals)
    assert second.state == LeaveState.NIET_ONTVANKELIJK
    # a niet-ontvankelijk request does not count: the next school year's is fine
    assert register(world, start_date=D(2025, 9, 15), end_date=D(2025, 9, 19)).refusals == []


def test_two_pending_holiday_leaves_the_second_grant_is_refused_by_the_service(world):
    first = register(world)
    second = register(world, start_date=D(2025, 5, 12), end_date=D(2025, 5, 16))
    assert second.refusals == []  # nothing granted yet when it was registered
    services.leave_request_decide(actor=world.school, leave=first, grant=True)
    with pytest.raises(services.LeaveNotAllowedError, match="één keer per schooljaar"):
        services.leave_request_decide(actor=world.school, leave=second, grant=True)


def test_a_request_the_law_forbids_can_be_recorded_as_refused(world):
    leave = register(world, employer_statement=False, record_refused=True)
    assert leave.state == LeaveState.AFGEWEZEN
    assert "werkgeversverklaring" in leave.decision_note
    assert leave.decided_by_organisation == world.school_a.organisation
    with pytest.raises(ValidationError, match="kan volgens de wet worden toegekend"):
        register(world, record_refused=True)


def test_impossible_periods_are_named(world):
    with pytest.raises(ValidationError) as caught:
        register(world, start_date=D(2025, 3, 14), end_date=D(2025, 3, 10))
    assert "einddatum ligt voor de begindatum" in str(caught.value)
    with pytest.raises(ValidationError, match="ten hoogste een jaar"):
        register(world, kind=WEIGHTY, end_date=D(2026, 6, 1))
    with pytest.raises(ValidationError, match="tussen 1990 en 2100"):
        register(world, start_date=D(1, 1, 1))
    with pytest.raises(ValidationError, match="soort verlof"):
        register(world, kind="x")
    assert not LeaveRequest.objects.exists()


def test_only_a_school_registers_for_its_own_current_pupils(world):
    with pytest.raises(NotInScopeError):  # another school's pupil: "not found" (issue 9)
        register(world, student=world.child_b)
    with pytest.raises(PermissionDenied):
        register(world, actor=world.leerplicht)  # leerplicht has no REGISTER_LEAVE_REQUEST
    jeugdarts = actor_for(
        MembershipFactory(organisation=world.school_a.organisation, role=Role.JEUGDARTS)
    )
    with pytest.raises(PermissionDenied):
        register(world, actor=jeugdarts)
    assert not LeaveRequest.objects.exists()


def test_who_may_decide(world):
    at_school = register(world)
    forwarded = register(world, kind=WEIGHTY, end_date=D(2025, 3, 24))
    # leerplicht does not decide what the school decides, nor the school what goes to leerplicht
    with pytest.raises(PermissionDenied):
        services.leave_request_decide(actor=world.leerplicht, leave=at_school, grant=True)
    with pytest.raises(PermissionDenied):
        services.leave_request_decide(actor=world.school, leave=forwarded, grant=True)
    # another school, another gemeente: never
    with pytest.raises(PermissionDenied):
        services.leave_request_decide(actor=world.school_b_actor, leave=at_school, grant=True)
    with pytest.raises(PermissionDenied):
        services.leave_request_decide(actor=world.leerplicht_b_actor, leave=forwarded, grant=True)
    # a member of the gemeente without the permission to decide
    with pytest.raises(PermissionDenied):
        services.leave_request_decide(actor=actor_for(world.beleid_a), leave=forwarded, grant=True)
    leave = services.leave_request_decide(actor=world.leerplicht, leave=forwarded, grant=True)
    assert leave.state == LeaveState.TOEGEKEND
    assert leave.decided_by == world.leerplicht_a.user
    with pytest.raises(ValidationError, match="al beslist"):
        services.leave_request_decide(
            actor=world.leerplicht, leave=forwarded, grant=False, note="x"
        )


def test_a_refusal_needs_a_reason(world):
    leave = register(world)
    with pytest.raises(ValidationError, match="reden"):
        services.leave_request_decide(actor=world.school, leave=leave, grant=False)
    leave = services.leave_request_decide(
        actor=world.school, leave=leave, grant=False, note="geen verklaring", on=D(2025, 3, 1)
    )
    assert (leave.state, leave.decided_on, leave.decision_note) == (
        LeaveState.AFGEWEZEN,
        D(2025, 3, 1),
        "geen verklaring",
    )


def test_every_write_is_audited_with_the_child(world):
    leave = register(world)
    services.leave_request_decide(actor=world.school, leave=leave, grant=True)
    events = AuditEvent.objects.filter(object_type="leave.LeaveRequest", object_id=str(leave.pk))
    assert [(e.action, e.student_id) for e in events.order_by("pk")] == [
        ("create", world.child_a.pk),
        ("update", world.child_a.pk),
    ]
    assert events.order_by("pk").first().detail["decided_by"] == SCHOOL
    assert all(e.organisation == world.school_a.organisation for e in events)


def test_selectors_keep_organisations_apart(world):
    mine = register(world)
    forwarded = register(world, kind=WEIGHTY, end_date=D(2025, 3, 24))
    theirs = register(world, actor=world.school_b_actor, student=world.child_b)
    assert set(selectors.leave_requests_visible_to(actor=world.school)) == {mine, forwarded}
    assert set(selectors.leave_requests_visible_to(actor=world.school_b_actor)) == {theirs}
    assert set(selectors.leave_requests_visible_to(actor=world.leerplicht)) == {mine, forwarded}
    assert set(selectors.leave_requests_visible_to(actor=world.leerplicht_b_actor)) == {theirs}
    assert not selectors.leave_requests_visible_to(actor=actor_for(world.beleid_a)).exists()
    assert selectors.leave_request_for(actor=world.school_b_actor, pk=mine.pk) is None
    assert list(selectors.pupils_for_leave(actor=world.school)) == [world.child_a]
    assert not selectors.pupils_for_leave(actor=world.leerplicht).exists()


def test_a_forwarded_request_to_a_gemeente_of_another_municipality(world):
    # the child lives in gemeente B but goes to school A: leerplicht B decides and sees it
    world.child_a.municipality_code = "GM0002"
    world.child_a.save()
    leave = register(world, kind=WEIGHTY, end_date=D(2025, 3, 24))
    assert leave.forwarded_to == world.gemeente_b
    assert leave in selectors.leave_requests_visible_to(actor=world.leerplicht_b_actor)
    assert leave not in selectors.leave_requests_visible_to(actor=world.leerplicht)
    with pytest.raises(PermissionDenied):
        services.leave_request_decide(actor=world.leerplicht, leave=leave, grant=True)
    services.leave_request_decide(actor=world.leerplicht_b_actor, leave=leave, grant=True)
