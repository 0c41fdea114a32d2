"""Reads of exemption requests, limited to the acting organisation.

* a gemeente (leerplicht) sees the requests it registered and those of the children living in its
  municipality;
* a samenwerkingsverband sees the requests it was asked to advise on;
* nobody else, and nobody without a permission for exemption requests.

And what the law says against a request (:func:`check_request`, ``rules.exemption_review``), with
the child's duty period from the database.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.facts import student_facts
from inbeeld.exemptions.models import ExemptionRequest, ExemptionRequestStateChange
from inbeeld.exemptions.renewals import renewals_due_among
from inbeeld.exemptions.workflow import ADVIES_GEGEVEN, ADVIES_GEVRAAGD, INGEDIEND
from inbeeld.people.exemption_terms import check_permanent
from inbeeld.people.models import Article, Exemption, Student
from inbeeld.people.selectors import students_visible_to
from inbeeld.rules import exemption_review
from inbeeld.rules.duty import KWALIFICATIEPLICHT, LEERPLICHT, DutyPeriod, duty_period
from inbeeld.rules.model import KWALIFICATIEPLICHT_ONLY_ARTICLES

#: dates outside these years are typing errors (and outside what the calendar can count)
FIRST_YEAR, LAST_YEAR = 1990, 2100


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


def request_problems(request: ExemptionRequest) -> tuple[str, ...]:
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


def may_see_requests(actor: Actor) -> bool:
    return (
        actor.can(Permission.REGISTER_EXEMPTION_REQUEST)
        or actor.can(Permission.ADVISE_EXEMPTION)
        or actor.can(Permission.DECIDE_EXEMPTION)
    )


def exemption_requests_visible_to(*, actor: Actor) -> QuerySet[ExemptionRequest]:
    if not may_see_requests(actor):
        return ExemptionRequest.objects.none()
    organisation = actor.organisation
    match organisation.type:
        case OrganisationType.GEMEENTE:
            scope = Q(municipality=organisation) | Q(student__municipality_code=organisation.code)
        case OrganisationType.SAMENWERKINGSVERBAND:
            scope = Q(partnership=organisation)
        case _:
            return ExemptionRequest.objects.none()
    return ExemptionRequest.objects.filter(scope).select_related(
        "student", "municipality", "partnership"
    )


def exemption_request_for(*, actor: Actor, pk: int) -> ExemptionRequest | None:
    """One request, if the actor may see it (None otherwise: the view answers 404)."""
    return exemption_requests_visible_to(actor=actor).filter(pk=pk).first()


def children_for_requests(*, actor: Actor) -> QuerySet[Student]:
    """The children leerplicht may register a request for: those living in its municipality."""
    organisation = actor.organisation
    if (
        not actor.can(Permission.REGISTER_EXEMPTION_REQUEST)
        or organisation.type != OrganisationType.GEMEENTE
    ):
        return Student.objects.none()
    return students_visible_to(actor=actor).filter(municipality_code=organisation.code)


def renewals_due_for(*, actor: Actor, on: dt.date | None = None) -> list[tuple[Exemption, dt.date]]:
    """ "Te verlengen": the exemptions of the actor's children whose renewal is due."""
    organisation = actor.organisation
    if organisation.type != OrganisationType.GEMEENTE or not (
        actor.can(Permission.DECIDE_EXEMPTION) or actor.can(Permission.REGISTER_EXEMPTION_REQUEST)
    ):
        return []
    on = on or timezone.localdate()
    exemptions = Exemption.objects.filter(
        student__in=students_visible_to(actor=actor, on=on).filter(
            municipality_code=organisation.code
        )
    ).select_related("student")
    return list(renewals_due_among(exemptions, on=on))


def state_changes_of(request: ExemptionRequest) -> list[ExemptionRequestStateChange]:
    """The history of a request the actor sees (found through :func:`exemption_request_for`)."""
    return list(request.state_changes.select_related("organisation", "user"))


def exemptions_to_decide_for(*, actor: Actor) -> QuerySet[ExemptionRequest]:
    """ "Vandaag": leerplicht's open requests of its children: to ask the SWV's advice or reject
    (ingediend) and to decide (advies gegeven), the earliest start first (its deadline)."""
    if not actor.can(Permission.DECIDE_EXEMPTION):
        return ExemptionRequest.objects.none()
    organisation = actor.organisation
    if organisation.type != OrganisationType.GEMEENTE:
        return ExemptionRequest.objects.none()
    return (
        exemption_requests_visible_to(actor=actor)
        .filter(
            Q(municipality=organisation) | Q(student__municipality_code=organisation.code),
            state__in=(INGEDIEND, ADVIES_GEGEVEN),
        )
        .order_by("start_date", "pk")
    )


def advice_requested_of(*, actor: Actor) -> QuerySet[ExemptionRequest]:
    """ "Vandaag": the requests a samenwerkingsverband was asked to advise on and has not yet,
    the earliest start first."""
    if not actor.can(Permission.ADVISE_EXEMPTION):
        return ExemptionRequest.objects.none()
    organisation = actor.organisation
    if organisation.type != OrganisationType.SAMENWERKINGSVERBAND:
        return ExemptionRequest.objects.none()
    return (
        exemption_requests_visible_to(actor=actor)
        .filter(partnership=organisation, state=ADVIES_GEVRAAGD)
        .order_by("start_date", "pk")
    )
