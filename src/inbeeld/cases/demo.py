"""Four demo cases in different stages (issue 4 §2, "done when the demo shows three or four
cases in different stages"), for the demo users of ``inbeeld demo-setup``:

1. just opened by leerplicht from an lrv melding, no plan yet: the application proposes to
   escalate;
2. led by the school, with a team (the GGD's jeugdarts among them, so the GGD sees that child),
   a plan with an overdue action, a school-team meeting with the child's and the parents' views,
   and a referral to jeugd-ggz that has been waiting;
3. led by the samenwerkingsverband, escalated to the doorbraakoverleg with the gemeente deciding
   and a deadline;
4. back at school part-time after a part-time timetable (monitoring).

The wijkteam is in none of them. Runs once: with any case present it does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, User
from inbeeld.accounts.selectors import actor_of_username
from inbeeld.attendance.models import Melding, StudentStatus
from inbeeld.cases import selectors, services
from inbeeld.cases.models import Action, Case, ConsentBasis, OpenedFrom, Step
from inbeeld.people.models import Student
from inbeeld.people.selectors import current_enrolment, students_visible_to
from inbeeld.rules.absence import RULE_LRV
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM

DAY = dt.timedelta(days=1)


def _candidates(actor: Actor, used: set[int], lrv_only: bool = False) -> list[Student]:
    """Thuiszitters the actor sees; without any, children with a melding (at risk)."""
    categories = (
        [LANGDURIG_RELATIEF_VERZUIM] if lrv_only else [LANGDURIG_RELATIEF_VERZUIM, ABSOLUUT_VERZUIM]
    )
    visible = students_visible_to(actor=actor)
    ids = list(
        StudentStatus.objects.filter(category__in=categories, student__in=visible)
        .exclude(student__in=used)
        .order_by("since", "student_id")
        .values_list("student_id", flat=True)[:200]
    )
    if not ids and not lrv_only:
        ids = list(
            Melding.objects.filter(student__in=visible)
            .exclude(student__in=used)
            .order_by("-end_date", "student_id")
            .values_list("student_id", flat=True)[:200]
        )
    by_pk = Student.objects.in_bulk(ids)
    return [by_pk[pk] for pk in dict.fromkeys(ids) if pk in by_pk]


def _lrv_melding(student: Student, on: dt.date) -> Melding | None:
    return (
        Melding.objects.filter(student=student, rule=RULE_LRV, end_date__lte=on)
        .order_by("-end_date")
        .first()
    )


def _member(lead: Actor, case: Case, who: Actor, role: str, reason: str, basis: str, on):
    return services.team_member_add(
        actor=lead,
        case=case,
        user=who.user,
        organisation=who.organisation,
        role_in_case=role,
        reason=reason,
        consent_basis=basis,
        on=on,
    )


def _found(lead: Actor, student: Student, on: dt.date, role: str = "") -> Case:
    """A case opened from a finding (the child is at home), ``role`` the lead's in it."""
    return services.case_open(
        actor=lead, student=student, opened_from=OpenedFrom.FINDING, on=on, role_in_case=role
    )


def _leerplicht_joins(lead: Actor, case: Case, leerplicht: Actor, reason: str, on: dt.date):
    """Leerplicht in the team of a case another organisation leads."""
    if lead is not leerplicht:
        _member(lead, case, leerplicht, "leerplichtambtenaar", reason, ConsentBasis.LEERPLICHT, on)


def _action(
    lead: Actor,
    case: Case,
    description: str,
    agreed_on: dt.date,
    due_date: dt.date,
    owner: Actor | None = None,
) -> Action:
    """An action agreed in the plan, carried by ``owner`` (else by the lead's organisation)."""
    return services.action_add(
        actor=lead,
        case=case,
        description=description,
        due_date=due_date,
        agreed_on=agreed_on,
        owner_organisation=owner.organisation if owner else None,
        owner_user=owner.user if owner else None,
    )


def _referral(lead: Actor, case: Case, kind: str, provider: str, requested_on: dt.date):
    """A referral that keeps the child from school while it waits."""
    services.referral_request(
        actor=lead,
        case=case,
        kind=kind,
        provider=provider,
        requested_on=requested_on,
        blocks_return=True,
    )


def _escalate(
    lead: Actor,
    case: Case,
    step: str,
    reason: str,
    deciding: tuple[Organisation, User],
    on: dt.date,
    deadline: dt.date,
    decided: tuple[dt.date, str] | None = None,
) -> None:
    """A step up the ladder, decided by ``deciding`` (the organisation and the person there); with
    ``decided`` (the day and the decision) decided on, recorded by the lead (for another decider
    "namens" them)."""
    organisation, decider = deciding
    escalation = services.escalate(
        actor=lead,
        case=case,
        step=step,
        reason=reason,
        deciding_organisation=organisation,
        deciding_user=decider,
        deadline=deadline,
        on=on,
    )
    if decided is not None:
        services.escalation_decide(
            actor=lead,
            step=escalation,
            on=decided[0],
            decision=decided[1],
            on_behalf_of=decider if decider.pk != lead.user.pk else None,
        )


@transaction.atomic
def cases_demo(*, on: dt.date, say: Callable[[str], None] = lambda message: None) -> list[Case]:
    if Case.objects.exists():
        say("demo cases already there")
        return []
    leerplicht, school, swv, ggd = (
        actor_of_username(u) for u in ("demo-leerplicht", "demo-school", "demo-swv", "demo-ggd")
    )
    if leerplicht is None:
        say("no demo users: no demo cases")
        return []
    used: set[int] = set()
    made: list[Case] = []

    def pick(actor: Actor | None, *, with_lrv_before: dt.date | None = None) -> Student | None:
        if actor is None:
            return None
        for student in _candidates(actor, used, lrv_only=with_lrv_before is not None):
            if with_lrv_before is None or _lrv_melding(student, with_lrv_before) is not None:
                used.add(student.pk)
                return student
        return None

    # 1. just opened from an lrv melding, no plan six weeks on: a proposal to escalate
    student = pick(leerplicht, with_lrv_before=on - 7 * 7 * DAY)
    if student is not None:
        melding = _lrv_melding(student, on - 7 * 7 * DAY)
        made.append(
            services.case_open(
                actor=leerplicht,
                student=student,
                opened_from=OpenedFrom.MELDING,
                melding=melding,
                on=min(melding.end_date + 3 * DAY, on),
            )
        )

    # 2. the school leads: team, plan, a meeting with the child's view, jeugd-ggz waiting
    lead2 = school if school is not None and _candidates(school, used) else leerplicht
    student = pick(lead2)
    if student is not None and ggd is not None:
        start = on - 100 * DAY
        case = _found(lead2, student, start, "zorgcoördinator")
        _member(
            lead2,
            case,
            ggd,
            "jeugdarts",
            "eerder lang ziek gemeld; medisch advies",
            ConsentBasis.PARENTS,
            start + 2 * DAY,
        )
        _leerplicht_joins(lead2, case, leerplicht, "langdurig relatief verzuim", start + 2 * DAY)
        done = _action(
            lead2, case, "Gesprek met ouders en kind op school", start + 5 * DAY, start + 14 * DAY
        )
        services.action_done(actor=lead2, action=done, on=start + 12 * DAY)
        _action(
            lead2,
            case,
            "Advies jeugdarts over belastbaarheid",
            start + 14 * DAY,
            on - 5 * DAY,
            owner=ggd,
        )
        _action(
            lead2, case, "Rooster voor de eerste weken opstellen", start + 14 * DAY, on + 10 * DAY
        )
        team = [m.user for m in case.team.all()]
        services.meeting_record(
            actor=lead2,
            case=case,
            kind=Step.SCHOOL_TEAM,
            held_on=start + 14 * DAY,
            attendees=team,
            other_attendees="het kind, moeder",
            child_view="Wil terug naar school, maar niet meteen hele dagen; de klas is te druk.",
            parents_view="Moeder wil eerst hulp voor haar kind en steun bij de ochtenden.",
            decisions="Verwijzing naar jeugd-ggz; de jeugdarts adviseert over belastbaarheid.",
            next_date=on + 7 * DAY,
        )
        _referral(lead2, case, "jeugd_ggz", "Accare", start + 15 * DAY)
        _causes(lead2, case, start + 14 * DAY, "psychische_problemen", "wachtlijst_zorg")
        for visibility, text in (
            (None, "Medisch: spanningsklachten; behandeling via huisarts loopt (alleen GGD)."),
            ("team", "Advies: opbouwen met halve dagen, eerst twee ochtenden per week."),
        ):
            services.note_add(
                actor=ggd, case=case, on=start + 20 * DAY, visibility=visibility, text=text
            )
        made.append(case)

    # 3. the samenwerkingsverband leads: escalated to the doorbraakoverleg, the gemeente decides
    lead3 = swv if swv is not None and _candidates(swv, used) else leerplicht
    student = pick(lead3)
    if student is not None:
        start = on - 200 * DAY
        case = _found(lead3, student, start, "thuiszittercoördinator")
        _leerplicht_joins(lead3, case, leerplicht, "absoluut of langdurig verzuim", start + DAY)
        _action(
            lead3, case, "Passende plek zoeken (TLV aanvragen)", start + 7 * DAY, start + 30 * DAY
        )
        _referral(lead3, case, "speciaal_onderwijs", "VSO De Ambelt", start + 20 * DAY)
        _causes(lead3, case, start + 7 * DAY, "ondersteuningsbehoefte", "pesten")
        # the school's decision, recorded by the lead "namens" the school's decider
        _escalate(
            lead3,
            case,
            Step.SCHOOL_TEAM,
            "Geen plek op de eigen school.",
            _decider(_school_of(student, on), lead3),
            on=start + 35 * DAY,
            deadline=start + 50 * DAY,
            decided=(
                start + 48 * DAY,
                "De school kan het kind niet passend onderwijzen; naar het bovenschools team.",
            ),
        )
        _escalate(
            lead3,
            case,
            Step.BOVENSCHOOLS_TEAM,
            "Wachtlijst speciaal onderwijs; geen tussenoplossing.",
            (lead3.organisation, lead3.user),
            on=start + 60 * DAY,
            deadline=start + 90 * DAY,
            decided=(
                start + 88 * DAY,
                "Tijdelijk digitaal onderwijs gevraagd; aanbieder weigert. Door naar de "
                "doorbraakoverleg.",
            ),
        )
        services.meeting_record(
            actor=lead3,
            case=case,
            kind=Step.BOVENSCHOOLS_TEAM,
            held_on=start + 80 * DAY,
            attendees=[m.user for m in case.team.all()],
            other_attendees="vader",
            child_view="Wil naar een school waar hij wordt begrepen.",
            parents_view="Vader is boos dat het zo lang duurt.",
            decisions="Doorbraakoverleg aanvragen.",
        )
        _escalate(
            lead3,
            case,
            Step.DOORBRAAKOVERLEG,
            "Meer dan drie maanden thuis zonder passend aanbod; verwijzing wacht langer dan de "
            "norm.",
            (leerplicht.organisation, leerplicht.user),
            on=on - 10 * DAY,
            deadline=on + 14 * DAY,
        )
        services.dispute_lodge(
            actor=lead3,
            case=case,
            subject="Ouders en school oneens over het arrangement",
            lodged_on=start + 100 * DAY,
        )
        made.append(case)

    # 4. back at school part-time (monitoring)
    student = pick(leerplicht)
    if student is not None:
        start = on - 150 * DAY
        case = _found(leerplicht, student, start)
        done = _action(
            leerplicht, case, "Afspraken over opbouw met school", start + 6 * DAY, start + 20 * DAY
        )
        services.action_done(actor=leerplicht, action=done, on=start + 18 * DAY)
        _causes(leerplicht, case, start + 6 * DAY, "scheiding", "vervoer")
        services.intervention_add(
            actor=leerplicht,
            case=case,
            kind="aangepast_rooster",
            start_date=start + 30 * DAY,
            end_date=on + 30 * DAY,
            description="Drie ochtenden per week, elke maand meer.",
        )
        services.intervention_add(
            actor=leerplicht,
            case=case,
            kind="leerlingenvervoer",
            start_date=start + 30 * DAY,
        )
        enrolment = current_enrolment(student=student, on=on)
        services.outcome_record(
            actor=leerplicht,
            case=case,
            kind="gedeeltelijk",
            returned_on=on - 30 * DAY,
            school=enrolment.school if enrolment else None,
            school_name="" if enrolment else "Nieuwe school",
        )
        made.append(case)
    say(f"{len(made)} demo cases in different stages")
    return made


def _causes(actor: Actor, case: Case, on: dt.date, *causes: str) -> None:
    """The causes of thuiszitten the team saw (issue 12 §6), recorded on ``on`` (never after
    today)."""
    for cause in causes:
        services.cause_add(
            actor=actor, case=case, cause=cause, noted_on=min(on, timezone.localdate())
        )


def _decider(organisation: Organisation | None, lead: Actor) -> tuple[Organisation, User]:
    """The organisation's first person who may decide; without one, the lead decides."""
    decider = selectors.deciders(organisation).first() if organisation is not None else None
    if decider is None:
        return lead.organisation, lead.user
    return organisation, decider


def _school_of(student: Student, on: dt.date) -> Organisation | None:
    enrolment = current_enrolment(student=student, on=on)
    return enrolment.school.organisation if enrolment and enrolment.school.organisation else None
