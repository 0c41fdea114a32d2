"""Checking a request for vrijstelling against the law (issue 4 §4).

LPW art. 5 onder a/b/c (codes 5a physically or mentally unfit, 5b objection to the denomination,
5c school abroad), art. 15 (other suitable education, for kwalificatieplichtigen), art. 3a/3b
(vervangende leerplicht). The
samenwerkingsverband's advice comes after these checks; what is checked here are the conditions a
request must meet before it can be considered at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inbeeld.rules.calendar import add_months_clipped, school_year_start
from inbeeld.rules.duty import KWALIFICATIEPLICHT, DutyPeriod, birthday

#: art. 7: the statement of the physician, psychologist or pedagogue "mag niet ouder zijn dan drie
#: maanden" when the request is made
STATEMENT_MAX_AGE_MONTHS = 3
#: art. 6 lid 2 onder b (renewal): "elk jaar opnieuw voor 1 juli"
RENEWAL_DEADLINE = (7, 1)
#: art. 3a lid 1: vervangende leerplicht from this age
REPLACEMENT_PROGRAMME_AGE = 14


@dataclass(frozen=True)
class ExemptionRequest:
    article: str
    requested_on: dt.date
    start: dt.date
    birth_date: dt.date
    #: 5a: date of the expert statement, and whether its author treats the child
    statement_date: dt.date | None = None
    statement_by_treating_professional: bool = False
    #: 5a: a renewal of an exemption running this school year
    renewal: bool = False
    #: 5b: the child attended a school of the objected denomination in the year before
    attended_denomination_school_last_year: bool = False


def check_exemption_request(request: ExemptionRequest, period: DutyPeriod) -> tuple[str, ...]:
    """Why the request cannot be granted as it stands; empty when the law's conditions are met.

    * 5a (art. 5 onder a, art. 7): a statement of a physician, psychologist or pedagogue, at most
      three months old, not by someone who treats the child; a renewal must be asked before
      1 July (art. 6 lid 2 onder b).
    * 5b (art. 5 onder b, art. 8 lid 2): void when the child attended a school of that
      denomination in the year before.
    * 15 (art. 15): only for a child under kwalificatieplicht ("de in artikel 4a opgelegde
      verplichtingen").
    * 3a (art. 3a lid 1): from the age of 14.
    """
    problems: list[str] = []
    if request.article == "5a":
        if request.statement_date is None:
            problems.append("een verklaring van een arts, psycholoog of orthopedagoog ontbreekt")
        else:
            oldest = add_months_clipped(request.requested_on, -STATEMENT_MAX_AGE_MONTHS)
            if request.statement_date < oldest:
                problems.append(
                    f"de verklaring is ouder dan {STATEMENT_MAX_AGE_MONTHS} maanden "
                    f"({request.statement_date:%d-%m-%Y}; uiterlijk {oldest:%d-%m-%Y})"
                )
            if request.statement_date > request.requested_on:
                problems.append("de verklaring is gedateerd na de aanvraag")
        if request.statement_by_treating_professional:
            problems.append("de verklaring mag niet komen van wie het kind behandelt")
        if request.renewal:
            # the renewal for a school year is asked before 1 July preceding it
            month, day = RENEWAL_DEADLINE
            deadline = dt.date(school_year_start(request.start).year, month, day)
            if request.requested_on >= deadline:
                problems.append(f"een verlenging moet vóór {deadline:%d-%m-%Y} worden aangevraagd")
    elif request.article == "5b":
        if request.attended_denomination_school_last_year:
            problems.append(
                "het bezwaar tegen de richting vervalt: het kind ging het jaar ervoor naar een "
                "school van die richting"
            )
    elif request.article == "15":
        if period.on(request.start) != KWALIFICATIEPLICHT:
            problems.append(
                "vrijstelling op grond van artikel 15 is alleen voor kwalificatieplichtigen"
            )
    elif request.article == "3a":
        fourteenth = birthday(request.birth_date, REPLACEMENT_PROGRAMME_AGE)
        if request.start < fourteenth:
            problems.append(
                f"een vervangend programma (artikel 3a) kan vanaf 14 jaar ({fourteenth:%d-%m-%Y})"
            )
    return tuple(problems)
