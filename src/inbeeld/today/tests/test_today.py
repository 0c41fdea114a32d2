""" "Vandaag" (issue 11 §1): per kind of item who sees what, the order by urgency, never a child out
of the person's scope, a constant number of queries, the page (audited) and the menu's number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from inbeeld.attendance.models import Melding, MeldingState
from inbeeld.attendance.tests.factories import MembershipFactory, UserFactory, log_in, pupil
from inbeeld.audit.models import AuditEvent
from inbeeld.cases.models import Step
from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.exemptions.workflow import ADVIES_GEGEVEN, ADVIES_GEVRAAGD, TOEGEKEND
from inbeeld.leave.models import LeaveRequest
from inbeeld.leave.workflow import AFGEWEZEN, DOORGESTUURD, INGEDIEND
from inbeeld.notifications.models import Notification, NotificationKind
from inbeeld.rules import leave as rules_leave
from inbeeld.today import selectors
from inbeeld.today.selectors import today_count, today_for

D = dt.date
pytestmark = pytest.mark.django_db
ON = D(2025, 10, 10)


def kinds(today, kind):
    return [item for item in today.items if item.kind == kind]


def melding(world, student, *, rule="lrv", state=MeldingState.OPEN, assignee=None, start=None):
    start = start or D(2025, 9, 1)
    m = Melding.objects.create(
        student=student,
        rule=rule,
        start_date=start,
        end_date=start + dt.timedelta(days=10),
        hours=Decimal(20),
        school=student.enrolments.first().school,
        first_run=world.melding.first_run,
        state=state,
        assignee=assignee,
    )
    m.organisations.add(world.gemeente_a)
    return m


def colleague_of(membership):
    user = UserFactory(first_name="Ruben", last_name="Dijk")
    return MembershipFactory(user=user, organisation=membership.organisation, role=membership.role)


# -- meldingen ------------------------------------------------------------------------------------


def test_meldingen_assigned_to_me_or_to_nobody_never_a_colleagues(world):
    colleague = colleague_of(world.leerplicht_a)
    mine = melding(world, world.child, rule="16_uur", assignee=world.leerplicht_a.user)
    theirs = melding(world, world.child, rule="verzuim_x", assignee=colleague.user)
    done = melding(world, world.child, rule="y", state=MeldingState.AFGESLOTEN)
    today = today_for(actor=world.actor(world.leerplicht_a), on=ON)
    shown = {item.href: item for item in kinds(today, "melding")}
    href = lambda m: reverse("attendance:melding_transition", args=[m.pk])  # noqa: E731
    assert href(mine) in shown
    assert href(world.melding) in shown
    assert href(theirs) not in shown
    assert href(done) not in shown
    assert shown[href(mine)].note == "aan u toegewezen"
    assert shown[href(world.melding)].note == "nog aan niemand toegewezen"
    assert shown[href(mine)].student == world.child
    assert today.counts["melding"] == 2
    # the colleague sees their own and the unassigned one
    other = today_for(actor=world.actor(colleague), on=ON)
    assert {i.href for i in kinds(other, "melding")} == {href(theirs), href(world.melding)}


def test_a_new_melding_is_overdue_after_the_teams_norm_one_in_handling_has_no_deadline(
    world, settings
):
    settings.INBEELD_MELDING_RESPONSE_DAYS = 5
    handling = melding(world, world.child, rule="16_uur", state=MeldingState.IN_BEHANDELING)
    arrived = timezone.localdate(world.melding.created_at)
    lead = world.actor(world.leerplicht_a)
    on_time = today_for(actor=lead, on=arrived + dt.timedelta(days=5))
    first, second = kinds(on_time, "melding")
    assert (first.deadline, first.overdue) == (arrived + dt.timedelta(days=5), False)
    assert second.href.endswith(f"/{handling.pk}/behandelen/")
    assert (second.deadline, second.overdue) == (None, False)
    late = kinds(today_for(actor=lead, on=arrived + dt.timedelta(days=6)), "melding")[0]
    assert late.overdue


def test_meldingen_of_another_gemeente_or_out_of_scope_never_shown(world):
    # gemeente B's leerplicht: the melding is routed to gemeente A, the child is not theirs
    assert not kinds(today_for(actor=world.actor(world.leerplicht_b), on=ON), "melding")
    # a melding routed to gemeente A about a child of gemeente B (outside A's scope)
    stray = melding(world, world.child_b)
    today = today_for(actor=world.actor(world.leerplicht_a), on=ON)
    assert world.child_b not in [i.student for i in today.items]
    assert not any(i.href.endswith(f"/{stray.pk}/behandelen/") for i in today.items)


def test_who_may_not_handle_meldingen_gets_none(world):
    # the GGD's jeugdarts works on cases but handles no melding
    assert not kinds(today_for(actor=world.actor(world.jeugdarts), on=ON), "melding")


# -- actions --------------------------------------------------------------------------------------


def test_actions_due_and_overdue_of_me_or_my_organisation(world):
    case = world.open_case()
    world.add_member(case)
    overdue = world.add_action(case, description="Huisbezoek", due_date=D(2025, 10, 1))
    soon = world.add_action(case, description="Gesprek school", due_date=D(2025, 10, 11))
    later = world.add_action(case, description="Evaluatie", due_date=D(2025, 11, 30))
    ggd = world.add_action(
        case,
        description="Medisch advies",
        due_date=D(2025, 10, 2),
        owner_organisation=world.ggd,
        owner_user=world.jeugdarts.user,
    )
    lead = today_for(actor=world.actor(world.leerplicht_a), on=ON)
    actions = kinds(lead, "action")
    assert [(a.what, a.deadline, a.overdue) for a in actions] == [
        ("Huisbezoek", overdue.due_date, True),
        ("Gesprek school", soon.due_date, False),
    ]
    assert actions[0].student == world.child
    assert actions[0].href == reverse("cases:detail", args=[case.pk]) + "#plan-kop"
    assert later.description not in [a.what for a in actions]
    # the jeugdarts sees the GGD's own action, named to them, not gemeente A's
    jeugdarts = kinds(today_for(actor=world.actor(world.jeugdarts), on=ON), "action")
    assert [(a.what, a.note) for a in jeugdarts] == [(ggd.description, "aan u")]
    # a gemeente not in the case sees none
    assert not kinds(today_for(actor=world.actor(world.leerplicht_b), on=ON), "action")


# -- decisions owed -------------------------------------------------------------------------------


def test_the_decision_owed_by_the_named_decider_not_by_others(world):
    case = world.open_case()
    step = world.escalate(
        case,
        Step.SCHOOL_TEAM,
        deciding_organisation=world.school_a.organisation,
        deciding_user=world.school_staff_a.user,
        deadline=D(2025, 10, 8),
        on=D(2025, 10, 1),
    )
    school = kinds(today_for(actor=world.actor(world.school_staff_a), on=ON), "decision")
    assert [(d.deadline, d.overdue, d.note, d.student) for d in school] == [
        (step.deadline, True, "u bent de beslisser", world.child)
    ]
    assert school[0].href.endswith("#opschaling-kop")
    for other in (world.leerplicht_a, world.leerplicht_b, world.school_staff_b, world.jeugdarts):
        assert not kinds(today_for(actor=world.actor(other), on=ON), "decision")


# -- exemption advice and decisions ---------------------------------------------------------------


def exemption(world, student, state, **kwargs):
    return ExemptionRequest.objects.create(
        student=student,
        article="5a",
        requested_on=D(2025, 9, 1),
        start_date=kwargs.pop("start_date", D(2025, 11, 1)),
        state=state,
        municipality=world.gemeente_a,
        partnership=world.swv_a,
        **kwargs,
    )


def test_the_swv_sees_the_advice_asked_of_it_leerplicht_what_it_must_decide(world):
    asked = exemption(world, world.child, ADVIES_GEVRAAGD, start_date=D(2025, 10, 1))
    given = exemption(world, world.child, ADVIES_GEGEVEN)
    exemption(world, world.child, TOEGEKEND)
    swv = today_for(actor=world.actor(world.consultant_a), on=ON)
    assert [(i.href, i.overdue, i.student) for i in kinds(swv, "advice")] == [
        (reverse("exemptions:advise", args=[asked.pk]), True, world.child)
    ]
    assert not kinds(swv, "exemption")
    assert not today_for(actor=world.actor(world.consultant_b), on=ON).items
    lead = today_for(actor=world.actor(world.leerplicht_a), on=ON)
    assert [i.href for i in kinds(lead, "exemption")] == [
        reverse("exemptions:detail", args=[given.pk])
    ]
    assert not kinds(lead, "advice")
    assert not kinds(today_for(actor=world.actor(world.leerplicht_b), on=ON), "exemption")


# -- leave ----------------------------------------------------------------------------------------


def leave_request(world, student, *, decider, state, start, forwarded_to=None):
    school = student.enrolments.first().school
    return LeaveRequest.objects.create(
        student=student,
        school=school,
        kind="vakantieverlof",
        start_date=start,
        end_date=start + dt.timedelta(days=3),
        requested_on=D(2025, 9, 1),
        requested_by_organisation=school.organisation,
        school_days=4 if decider == rules_leave.SCHOOL else 12,
        decider=decider,
        state=state,
        forwarded_to=forwarded_to,
    )


def test_leave_to_decide_by_the_school_or_by_leerplicht(world):
    at_school = leave_request(
        world, world.child, decider=rules_leave.SCHOOL, state=INGEDIEND, start=D(2025, 10, 20)
    )
    forwarded = leave_request(
        world,
        world.child,
        decider=rules_leave.LEERPLICHT,
        state=DOORGESTUURD,
        start=D(2025, 10, 6),
        forwarded_to=world.gemeente_a,
    )
    leave_request(
        world, world.child, decider=rules_leave.SCHOOL, state=AFGEWEZEN, start=D(2025, 10, 1)
    )
    school = kinds(today_for(actor=world.actor(world.school_staff_a), on=ON), "leave")
    assert [(i.href, i.overdue) for i in school] == [
        (reverse("leave:decide", args=[at_school.pk]), False)
    ]
    lead = kinds(today_for(actor=world.actor(world.leerplicht_a), on=ON), "leave")
    assert [(i.href, i.overdue) for i in lead] == [
        (reverse("leave:decide", args=[forwarded.pk]), True)
    ]
    for other in (world.school_staff_b, world.leerplicht_b, world.consultant_a):
        assert not kinds(today_for(actor=world.actor(other), on=ON), "leave")


# -- matches and messages -------------------------------------------------------------------------


def register_concern(membership, student, on):
    from inbeeld.attendance.tests.factories import actor_for
    from inbeeld.concerns.services import concern_register

    return concern_register(
        actor=actor_for(membership),
        on=on,
        student_id=student.pk,
        domain="health",
        urgent=True,
        contact_name=membership.user.get_full_name() or "Contact",
        contact_phone="050 123 45 67",
        contact_email="contact@example.org",
    )


def test_a_new_match_is_listed_for_both_sides_while_new(world):
    on = timezone.localdate()
    case = world.open_case(on=on)
    world.add_member(case, on=on)  # the jeugdarts sees the child through the case team
    register_concern(world.leerplicht_a, world.child, on)
    register_concern(world.jeugdarts, world.child, on)
    lead = kinds(today_for(actor=world.actor(world.leerplicht_a), on=on), "match")
    assert len(lead) == 1
    assert lead[0].student == world.child
    assert lead[0].note == "dringend"
    assert "GGD A" in lead[0].what
    assert len(kinds(today_for(actor=world.actor(world.jeugdarts), on=on), "match")) == 1
    later = on + dt.timedelta(days=selectors.concerns.NEW_MATCH_DAYS + 1)
    assert not kinds(today_for(actor=world.actor(world.leerplicht_a), on=later), "match")
    assert not kinds(today_for(actor=world.actor(world.leerplicht_b), on=on), "match")


def test_unread_messages_of_the_user_only(world):
    user = world.leerplicht_a.user
    Notification.objects.create(user=user, kind=NotificationKind.TEAM, title="Nieuw in team")
    Notification.objects.create(
        user=user, kind=NotificationKind.TEAM, title="Gelezen", read_at=timezone.now()
    )
    Notification.objects.create(
        user=world.leerplicht_b.user, kind=NotificationKind.TEAM, title="Van een ander"
    )
    messages = kinds(today_for(actor=world.actor(world.leerplicht_a), on=ON), "message")
    assert [(m.what, m.student, m.deadline) for m in messages] == [("Nieuw in team", None, None)]


# -- the order and the counts ---------------------------------------------------------------------


def test_overdue_first_then_by_deadline_then_without_deadline(world):
    case = world.open_case()
    world.add_action(case, description="Later", due_date=D(2025, 10, 12))
    world.add_action(case, description="Te laat", due_date=D(2025, 10, 3))
    step = world.escalate(case, Step.SCHOOL_TEAM, deadline=D(2025, 10, 5), on=D(2025, 10, 1))
    Notification.objects.create(
        user=world.leerplicht_a.user, kind=NotificationKind.TEAM, title="Bericht"
    )
    world.melding.created_at = dt.datetime(2025, 9, 20, 9, tzinfo=dt.UTC)
    world.melding.save()
    today = today_for(actor=world.actor(world.leerplicht_a), on=ON)
    order = [(i.kind, i.deadline, i.overdue) for i in today.items]
    assert order == [
        ("melding", D(2025, 9, 27), True),
        ("action", D(2025, 10, 3), True),
        ("decision", step.deadline, True),
        ("action", D(2025, 10, 12), False),
        ("message", None, False),
    ]
    assert today.total == today_count(actor=world.actor(world.leerplicht_a), on=ON) == 5
    assert today.overdue == 3


def test_only_the_first_of_a_kind_are_listed_the_count_is_complete(world, monkeypatch):
    monkeypatch.setattr(selectors, "LIMIT", 3)
    for i in range(5):
        melding(world, world.child, rule=f"r{i}")
    today = today_for(actor=world.actor(world.leerplicht_a), on=ON)
    assert len(kinds(today, "melding")) == 3
    assert today.counts["melding"] == 6
    assert today.more["melding"] == reverse("attendance:meldingen")


def test_the_number_of_queries_does_not_grow_with_the_work(world, django_assert_max_num_queries):
    lead = world.actor(world.leerplicht_a)
    case = world.open_case()
    world.escalate(case, Step.SCHOOL_TEAM, deadline=D(2025, 10, 5), on=D(2025, 10, 1))

    def more_work(n: int) -> None:
        for i in range(n):
            child = pupil(world.school_a, family_name=f"Kind{i}")
            melding(world, child, rule=f"r{i}")
            world.add_action(case, description=f"A{i}", due_date=D(2025, 10, 4))

    more_work(selectors.LIMIT + 1)  # more than are listed: each kind is counted too
    # new meldingen come with a detection run, which makes a new key for the cached counts;
    # these are made directly, so the cache is emptied before each measurement instead
    cache.clear()
    with django_assert_max_num_queries(20) as few:
        today_for(actor=lead, on=ON)
    more_work(30)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        today = today_for(actor=lead, on=ON)
    assert today.counts["melding"] == selectors.LIMIT + 32
    assert today.counts["action"] == selectors.LIMIT + 31
    cache.clear()
    with django_assert_max_num_queries(12):
        today_count(actor=lead, on=ON)


def test_nobody_without_work_has_a_today(world):
    for membership in (world.beleid_a, world.beheer_a):
        actor = world.actor(membership)
        assert not selectors.has_today(actor)
        assert today_for(actor=actor, on=ON).items == []
        assert today_count(actor=actor, on=ON) == 0


# -- the page and the menu ------------------------------------------------------------------------


def test_the_home_page_is_vandaag_audited_with_the_menus_number(client, world):
    case = world.open_case()
    world.add_action(case, description="Huisbezoek", due_date=D(2025, 10, 1))
    log_in(client, world.leerplicht_a)
    before = AuditEvent.objects.count()
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="today"' in html
    assert "Huisbezoek" in html
    assert "Noor Aalders" in html or "Aalders" in html
    assert 'data-testid="menu-count"' in html
    rows = AuditEvent.objects.filter(summary="vandaag")
    assert AuditEvent.objects.count() > before
    assert set(rows.values_list("student_id", flat=True)) == {world.child.pk}


def test_the_beleidsmedewerker_still_lands_on_the_monitor(client, world):
    log_in(client, world.beleid_a)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("monitor:dashboard")


def test_the_swv_consultant_lands_on_vandaag_with_the_advice_asked(client, world):
    asked = exemption(world, world.child, ADVIES_GEVRAAGD, start_date=D(2025, 10, 1))
    page = log_in(client, world.consultant_a).get("/").content.decode()
    assert 'data-testid="today"' in page
    assert reverse("exemptions:advise", args=[asked.pk]) in page
    assert "Adviesaanvragen vrijstelling" in page
    audited = AuditEvent.objects.filter(summary="vandaag", student=world.child)
    assert audited.filter(user=world.consultant_a.user).exists()
    # the other SWV: nothing to do, and no child named
    empty = log_in(client, world.consultant_b).get("/").content.decode()
    assert 'data-testid="today-empty"' in empty
    assert world.child.family_name not in empty
