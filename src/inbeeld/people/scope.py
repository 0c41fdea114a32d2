"""An organisation's own scope in the registry: its schools and the children registered with it.

One definition for reading and writing (docs/authorization.md, "Need-to-know" and "Imports"):

* a school: its own BRIN and the locations (vestigingen) of that BRIN; its pupils are those
  currently enrolled there;
* a gemeente: the schools in its municipality; its children are those living in the municipality
  and the pupils currently enrolled at its schools;
* a samenwerkingsverband: the schools already in its partnership and their current pupils;
* GGD, wijkteam: no schools and no children of their own (only involvements give them sight).

The selectors add involvements to this for reading (``people.selectors.student_scope``); writes
that take sight of a child (the import above all) are held to this scope alone.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.people.models import Enrolment, School
from inbeeld.rules.identifiers import is_valid_brin

#: length of a BRIN without its location number (``12AB`` of ``12AB01``)
_BRIN_LENGTH = 4


def current(prefix: str, on: dt.date) -> Q:
    """Rows of a dated model (enrolment, …) that cover the day ``on``."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def is_own_brin(organisation: Organisation, brin: str) -> bool:
    """Is ``brin`` the BRIN of this school organisation or one of its locations?"""
    code = organisation.code
    if organisation.type != OrganisationType.SCHOOL or not is_valid_brin(code):
        return False
    return brin == code or (len(code) == _BRIN_LENGTH and brin.startswith(code))


def _own_schools_condition(organisation: Organisation, school: str = "") -> Q | None:
    """The condition on School (``school`` = "") or through a path to it (``school__``)."""
    match organisation.type:
        case OrganisationType.SCHOOL:
            condition = Q(**{f"{school}organisation": organisation})
            if is_valid_brin(organisation.code):
                condition |= Q(**{f"{school}brin": organisation.code})
                if len(organisation.code) == _BRIN_LENGTH:
                    condition |= Q(**{f"{school}brin__startswith": organisation.code})
            return condition
        case OrganisationType.GEMEENTE:
            return Q(**{f"{school}municipality_code": organisation.code})
        case OrganisationType.SAMENWERKINGSVERBAND:
            return Q(**{f"{school}partnership": organisation})
    return None


def own_schools(organisation: Organisation) -> QuerySet[School]:
    """The schools of the organisation's own scope (none for GGD and wijkteam)."""
    condition = _own_schools_condition(organisation)
    return School.objects.none() if condition is None else School.objects.filter(condition)


def registry_scope(*, organisation: Organisation, on: dt.date, via: str = "") -> Q | None:
    """The children registered with the organisation on ``on`` (without involvements), as a
    condition on Student (``via`` = "" ) or on a model reaching it (``via`` = "student"); None
    when it has none of its own."""
    condition = _own_schools_condition(organisation, "school__")
    if condition is None:
        return None
    student = f"{via}__" if via else ""
    enrolled = Q(
        Exists(
            Enrolment.objects.filter(
                current("", on), condition, student_id=OuterRef(f"{student}pk")
            )
        )
    )
    if organisation.type == OrganisationType.GEMEENTE:
        return Q(**{f"{student}municipality_code": organisation.code}) | enrolled
    return enrolled


def school_write_refusal(
    organisation: Organisation,
    *,
    brin: str,
    municipality_code: str,
    partnership_code: str | None,
    stored: School | None,
    own: bool | None = None,
) -> str | None:
    """Why ``organisation`` may not create or change the school ``brin`` with these values: the
    field at fault (``brin``: not its school; ``municipality``: a gemeente moving its school
    away; ``partnership``: a samenwerkingsverband moving its school to another partnership), or
    None when it may. ``stored`` is the school as it is (None when new).

    A school keeps its own BRIN and locations; a gemeente the schools in its municipality and new
    ones there; a samenwerkingsverband only the schools already in its partnership.
    """
    if own is None:
        own = stored is not None and own_schools(organisation).filter(pk=stored.pk).exists()
    match organisation.type:
        case OrganisationType.SCHOOL:
            return None if own or is_own_brin(organisation, brin) else "brin"
        case OrganisationType.SAMENWERKINGSVERBAND:
            if not own:
                return "brin"
            return None if partnership_code == organisation.code else "partnership"
        case OrganisationType.GEMEENTE:
            if not own and not (stored is None and municipality_code == organisation.code):
                return "brin"
            return None if municipality_code == organisation.code else "municipality"
    return "brin"
