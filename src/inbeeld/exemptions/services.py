"""Writes of exemption requests (issue 4 §4): register (checked against the law), ask the
samenwerkingsverband's advice, advise, decide (a grant lands in the exemptions register), and the
daily renewal reminder. Every write runs in one transaction with its audit event.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.permissions import Permission, require_permission
from inbeeld.accounts.selectors import members_who_may
from inbeeld.attendance.facts import student_facts
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.exemptions.models import (
    AdviceKind,
    ExemptionRequest,
    RequestState,
    SwvAdvice,
)
from inbeeld.exemptions.renewals import renewals_due_among
from inbeeld.notifications.models import NotificationKind
from inbeeld.notifications.services import notify
from inbeeld.people.exemption_terms import check_permanent
from inbeeld.people.models import Article, Exemption, Student
from inbeeld.people.selectors import current_enrolment, require_visible
from inbeeld.people.services import exemption_register
from inbeeld.rules import exemption_review
from inbeeld.rules.duty import KWALIFICATIEPLICHT, LEERPLICHT, DutyPeriod, duty_period
from inbeeld.rules.model import KWALIFICATIEPLICHT_ONLY_ARTICLES

#: dates outside these years are typing errors (and outside what the calendar can count)
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _today() -> dt.date:
    return timezone.localdate()


def _user(actor: Actor):
    return actor.user if getattr(actor.user, "pk", None) else None


def child_duty_period(student: Student) -> DutyPeriod:
    """When the child's leerplicht and kwalificatieplicht run (rules.duty), from the database."""
    facts = student_facts(student=student)
    record = facts.record
    return duty_period(record.student, record.enrolments, facts.schools, facts.calendar)


def check_dates(**dates: dt.date | None) -> None:
    errors = {
        name: [
            _("Kies een datum tussen %(first)s en %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
        for name, day in dates.items()
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR
    }
    if errors:
        raise ValidationError(errors)
    start, end = dates.get("start_date"), dates.get("end_date")
    if start and end and end < start:
        raise ValidationError({"end_date": [_("De einddatum ligt voor de begindatum.")]})


def _duty_text(duty: str) -> str:
    return {LEERPLICHT: _("leerplichtig"), KWALIFICATIEPLICHT: _("kwalificatieplichtig")}.get(
        duty, _("niet leerplichtig en niet kwalificatieplichtig")
    )


def check_kwalificatieplicht_article(
    *, article: str, start_date: dt.date, period: DutyPeriod
) -> None:
    """Art. 15 (RULES.md §7: it covers only days under kwalificatieplicht) is for a child who is
    kwalificatieplichtig on the start date; refused (ValidationError on ``article``) otherwise,
    e.g. a 10-year-old, with when kwalificatieplicht runs for this child."""
    if article not in KWALIFICATIEPLICHT_ONLY_ARTICLES:
        return
    duty = period.on(start_date)
    if duty == KWALIFICATIEPLICHT:
        return
    if period.kwalificatieplicht_end is not None and start_date <= period.leerplicht_end:
        first = period.leerplicht_end + dt.timedelta(days=1)
        when = _("Dit kind is kwalificatieplichtig van %(first)s tot en met %(last)s.") % {
            "first": first.strftime("%d-%m-%Y"),
            "last": period.kwalificatieplicht_end.strftime("%d-%m-%Y"),
        }
    else:
        when = _("Dit kind is niet (meer) kwalificatieplichtig.")
    raise ValidationError(
        {
            "article": [
                _(
                    "Vrijstelling op grond van artikel 15 is alleen voor een kwalificatieplichtige "
                    "leerling; op de ingangsdatum %(start)s is dit kind %(duty)s. %(when)s"
                )
                % {"start": start_date.strftime("%d-%m-%Y"), "duty": _duty_text(duty), "when": when}
            ]
        }
    )


def check_request(
    *,
    student: Student,
    article: str,
    requested_on: dt.date,
    start_date: dt.date,
    end_date: dt.date | None = None,
    statement_date: dt.date | None = None,
    statement_by_treating_professional: bool = False,
    renewal: bool = False,
    attended_denomination_school_last_year: bool = False,
    permanent: bool = False,
) -> tuple[str, ...]:
    """Why the request cannot be granted as it stands (``rules.exemption_review``); empty when
    the law's conditions are met. Raises ValidationError, one message per field, for impossible
    dates or articles, ``permanent`` on an article other than 5 onder a, and art. 15 for a child
    who is not kwalificatieplichtig on the start date (RULES.md §7)."""
    if article not in Article.values:
        raise ValidationError({"article": [_("Kies het artikel van de vrijstelling.")]})
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: check_dates(
            requested_on=requested_on,
            start_date=start_date,
            end_date=end_date,
            statement_date=statement_date,
        ),
        lambda: check_permanent(article=article, permanent=bool(permanent)),
    ):
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    period = child_duty_period(student)
    check_kwalificatieplicht_article(article=article, start_date=start_date, period=period)
    request = exemption_review.ExemptionRequest(
        article=article,
        requested_on=requested_on,
        start=start_date,
        birth_date=student.birth_date,
        statement_date=statement_date,
        statement_by_treating_professional=statement_by_treating_professional,
        renewal=renewal,
        attended_denomination_school_last_year=attended_denomination_school_last_year,
    )
    return exemption_review.check_exemption_request(request, period)


def _request_problems(request: ExemptionRequest) -> tuple[str, ...]:
    return check_request(
        student=request.student,
        article=request.article,
        requested_on=request.requested_on,
        start_date=request.start_date,
        end_date=request.end_date,
        statement_date=request.statement_date,
        statement_by_treating_professional=request.statement_by_treating_professional,
        renewal=request.renewal,
        attended_denomination_school_last_year=request.attended_denomination_school_last_year,
        permanent=request.permanent,
    )


def is_leerplicht_of(actor: Actor, student: Student) -> bool:
    """The actor acts for the gemeente of the child's home municipality."""
    organisation = actor.organisation
    return (
        organisation.type == OrganisationType.GEMEENTE
        and student.municipality_code == organisation.code
    )


@transaction.atomic
def exemption_request_register(
    *,
    actor: Actor,
    student: Student,
    article: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    requested_on: dt.date | None = None,
    statement_date: dt.date | None = None,
    statement_by_treating_professional: bool = False,
    renewal: bool = False,
    attended_denomination_school_last_year: bool = False,
    permanent: bool = False,
) -> ExemptionRequest:
    """Record a request for vrijstelling for a child of the actor's municipality, with what the
    law says against it (stored as ``problems``)."""
    require_permission(actor, Permission.REGISTER_EXEMPTION_REQUEST)
    require_visible(actor=actor, student=student)  # 404, as the selectors answer
    if not is_leerplicht_of(actor, student):
        raise PermissionDenied(_("Dit kind woont niet in uw gemeente."))
    requested_on = requested_on or _today()
    values = {
        "article": article,
        "requested_on": requested_on,
        "start_date": start_date,
        "end_date": end_date,
        "statement_date": statement_date,
        "statement_by_treating_professional": bool(statement_by_treating_professional),
        "renewal": bool(renewal),
        "attended_denomination_school_last_year": bool(attended_denomination_school_last_year),
        "permanent": bool(permanent),
    }
    problems = check_request(student=student, **values)
    request = ExemptionRequest(
        student=student,
        problems=list(problems),
        municipality=actor.organisation,
        registered_by=_user(actor),
        **values,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"vrijstellingsaanvraag {article} vanaf {start_date} vastgelegd"
        + (" (blijvend)" if request.permanent else ""),
        obj=request,
        student=student,
        detail={"problems": list(problems)},
    )
    return request


def _locked(request: ExemptionRequest) -> ExemptionRequest:
    return (
        ExemptionRequest.objects.select_for_update(of=("self",))
        .select_related("student", "municipality", "partnership")
        .get(pk=request.pk)
    )


def may_decide(actor: Actor, request: ExemptionRequest) -> bool:
    return actor.can(Permission.DECIDE_EXEMPTION) and (
        request.municipality_id == actor.organisation.pk or is_leerplicht_of(actor, request.student)
    )


def may_ask_advice(actor: Actor, request: ExemptionRequest) -> bool:
    return (
        actor.can(Permission.REGISTER_EXEMPTION_REQUEST) or actor.can(Permission.DECIDE_EXEMPTION)
    ) and (
        request.municipality_id == actor.organisation.pk or is_leerplicht_of(actor, request.student)
    )


def may_advise(actor: Actor, request: ExemptionRequest) -> bool:
    return (
        actor.can(Permission.ADVISE_EXEMPTION)
        and actor.organisation.type == OrganisationType.SAMENWERKINGSVERBAND
        and request.partnership_id == actor.organisation.pk
    )


@transaction.atomic
def exemption_request_ask_advice(
    *, actor: Actor, request: ExemptionRequest, on: dt.date | None = None
) -> ExemptionRequest:
    """Ask the samenwerkingsverband of the child's school what education is still possible; its
    advisers are notified (never the article or the reason: notifications travel by e-mail)."""
    request = _locked(request)
    if not may_ask_advice(actor, request):
        raise PermissionDenied(_("U mag voor deze aanvraag geen advies vragen."))
    if request.state != RequestState.INGEDIEND:
        raise ValidationError(
            _("Advies vragen kan alleen bij een ingediende aanvraag (nu: %(state)s).")
            % {"state": request.get_state_display()}
        )
    enrolment = current_enrolment(student=request.student, on=on)
    partnership = enrolment.school.partnership if enrolment is not None else None
    if partnership is None:
        raise ValidationError(
            _(
                "Het kind staat niet ingeschreven bij een school met een samenwerkingsverband: "
                "er is niemand om advies aan te vragen."
            )
        )
    request.partnership = partnership
    request.state = RequestState.ADVIES_GEVRAAGD
    request.advice_requested_on = on or _today()
    request.save(update_fields=["partnership", "state", "advice_requested_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"advies over vrijstellingsaanvraag {request.pk} gevraagd aan {partnership.code}",
        obj=request,
        student=request.student,
        detail={"state": request.state, "partnership": partnership.pk},
    )
    notify(
        users=members_who_may(partnership, Permission.ADVISE_EXEMPTION),
        kind=NotificationKind.EXEMPTION,
        title=_("Advies gevraagd over een vrijstellingsaanvraag (%(gemeente)s)")
        % {"gemeente": request.municipality.name},
        url=reverse("exemptions:detail", args=[request.pk]),
        organisation=partnership,
    )
    return request


@transaction.atomic
def exemption_request_advise(
    *,
    actor: Actor,
    request: ExemptionRequest,
    advice: str,
    education_still_possible: str,
    on: dt.date | None = None,
) -> SwvAdvice:
    """The samenwerkingsverband's advice on what education is still possible."""
    request = _locked(request)
    if not may_advise(actor, request):
        raise PermissionDenied(_("U mag over deze aanvraag geen advies geven."))
    if request.state != RequestState.ADVIES_GEVRAAGD:
        raise ValidationError(
            _("Er is geen advies gevraagd over deze aanvraag (nu: %(state)s).")
            % {"state": request.get_state_display()}
        )
    if advice not in AdviceKind.values:
        raise ValidationError({"advice": [_("Kies het advies.")]})
    text = (education_still_possible or "").strip()
    if not text:
        raise ValidationError(
            {"education_still_possible": [_("Beschrijf welk onderwijs nog mogelijk is.")]}
        )
    given = SwvAdvice.objects.create(
        request=request,
        organisation=actor.organisation,
        user=_user(actor),
        advice=advice,
        education_still_possible=text,
        given_on=on or _today(),
    )
    request.state = RequestState.ADVIES_GEGEVEN
    request.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"advies over vrijstellingsaanvraag {request.pk}: {advice}",
        obj=given,
        student=request.student,
        detail={"request": request.pk, "advice": advice},
    )
    notify(
        users=members_who_may(request.municipality, Permission.DECIDE_EXEMPTION),
        kind=NotificationKind.EXEMPTION,
        title=_("Het samenwerkingsverband heeft advies gegeven over een vrijstellingsaanvraag"),
        url=reverse("exemptions:detail", args=[request.pk]),
        organisation=request.municipality,
    )
    return given


@transaction.atomic
def exemption_request_decide(
    *,
    actor: Actor,
    request: ExemptionRequest,
    grant: bool,
    note: str = "",
    on: dt.date | None = None,
) -> ExemptionRequest:
    """Leerplicht's decision. A grant needs the samenwerkingsverband's advice and a request that
    meets the law's conditions (checked again now); it lands in the exemptions register. A
    refusal needs a reason."""
    request = _locked(request)
    if not may_decide(actor, request):
        raise PermissionDenied(_("U mag over deze aanvraag niet beslissen."))
    if not request.is_open:
        raise ValidationError(
            _("Over deze aanvraag is al beslist (%(state)s).")
            % {"state": request.get_state_display()}
        )
    note = (note or "").strip()
    changed = ["state", "decision_note", "decided_by", "decided_on"]
    if grant:
        if request.state != RequestState.ADVIES_GEGEVEN:
            raise ValidationError(
                _("Eerst het advies van het samenwerkingsverband, dan het besluit.")
            )
        problems = _request_problems(request)
        if problems:
            raise ValidationError([*problems])
        request.exemption = exemption_register(
            actor=actor,
            student=request.student,
            article=request.article,
            start_date=request.start_date,
            end_date=request.end_date,
            permanent=request.permanent,
        )
        changed.append("exemption")
    elif not note:
        raise ValidationError({"note": [_("Geef de reden van de afwijzing.")]})
    request.state = RequestState.TOEGEKEND if grant else RequestState.AFGEWEZEN
    request.decision_note = note
    request.decided_by = _user(actor)
    request.decided_on = on or _today()
    request.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"vrijstellingsaanvraag {request.pk} {request.state}",
        obj=request,
        student=request.student,
        detail={"state": request.state},
    )
    return request


@transaction.atomic
def remind_renewals(*, on: dt.date | None = None) -> int:
    """Daily: tell leerplicht (who may decide) of every exemption whose renewal is due and not yet
    asked (``renewals.renewal_deadline``); once per exemption and deadline year. Returns how many
    exemptions were reminded of now."""
    on = on or _today()
    reminded = 0
    running = Exemption.objects.select_related("student")
    for exemption, deadline in renewals_due_among(running, on=on):
        gemeente = Organisation.objects.filter(
            type=OrganisationType.GEMEENTE, code=exemption.student.municipality_code
        ).first()
        created = notify(
            users=members_who_may(gemeente, Permission.DECIDE_EXEMPTION),
            kind=NotificationKind.EXEMPTION,
            # no name and no article: notifications travel by e-mail
            title=_("Een vrijstelling moet worden verlengd (uiterlijk %(deadline)s)")
            % {"deadline": deadline.strftime("%d-%m-%Y")},
            url=reverse("exemptions:renewals"),
            organisation=gemeente,
            dedupe_key=f"vrijstelling-verlengen:{exemption.pk}:{deadline.year}",
        )
        if created:
            reminded += 1
            audit_record(
                actor=None,
                action=AuditAction.DETECT,
                summary=f"herinnering: vrijstelling {exemption.pk} verlengen vóór {deadline}",
                obj=exemption,
                student=exemption.student,
                organisation=gemeente,
                detail={"deadline": deadline.isoformat(), "notified": len(created)},
            )
    return reminded
