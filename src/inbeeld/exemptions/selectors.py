"""Reads of exemption requests, limited to the acting organisation.

* a gemeente (leerplicht) sees the requests it registered and those of the children living in its
  municipality;
* a samenwerkingsverband sees the requests it was asked to advise on;
* nobody else, and nobody without a permission for exemption requests.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.exemptions.renewals import renewals_due_among
from inbeeld.people.models import Exemption, Student
from inbeeld.people.selectors import students_visible_to


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
