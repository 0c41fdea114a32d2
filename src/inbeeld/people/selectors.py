"""Reads of the registry, already limited to what the acting organisation may see (need-to-know).

* a school sees the pupils currently enrolled with it;
* a gemeente (leerplicht) sees the children living in the municipality and the pupils of the
  schools in it;
* a samenwerkingsverband sees the pupils of its member schools;
* GGD and wijkteam see only the children of a case team they are in (``Involvement`` of a case
  team); a GGD also the child of an open MAZL melding routed to it (``Involvement`` of source
  ``melding``, ended when the melding is handled: :data:`SIGHT_SOURCES`); the members of a
  school team the children on its list, while on it; any organisation also sees the children
  of its case teams that lie outside its usual
  scope (a new school in a case team, say). A concern never gives sight (issue 9: the
  Verwijsindex model; a match tells only who else is involved and how to reach them);
* without the permission to see children (beleidsmedewerker) nobody is visible.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.people.exemption_terms import in_effect_between
from inbeeld.people.models import (
    Enrolment,
    Exemption,
    Involvement,
    School,
    SchoolFreePeriod,
    Student,
)
from inbeeld.people.scope import current, own_schools, registry_scope

#: the involvements that give sight of a child while active: a place in its case team, an
#: open MAZL melding routed to the GGD of the school's region (issue 12 §2), and a school team
#: whose list holds the child (issue 12 §1: only while it is on the list)
SIGHT_SOURCES = (
    Involvement.Source.CASE_TEAM,
    Involvement.Source.MELDING,
    Involvement.Source.SCHOOL_TEAM,
)


def _today() -> dt.date:
    return timezone.localdate()


def schools_visible_to(*, actor: Actor) -> QuerySet[School]:
    return own_schools(actor.organisation)


def organisations_working_with(*, actor: Actor) -> QuerySet[Organisation]:
    """The acting organisation and those it works with.

    Through the schools it sees (its own school, the schools in its municipality, the member
    schools of its samenwerkingsverband): those schools, their samenwerkingsverbanden and their
    gemeenten; a gemeente also works with the GGD and wijkteams in it, and they with the gemeente.
    """
    organisation = actor.organisation
    schools = schools_visible_to(actor=actor)
    related = (
        Q(pk=organisation.pk)
        | Q(school__in=schools)
        | Q(member_schools__in=schools)
        | Q(type=OrganisationType.GEMEENTE, code__in=schools.values("municipality_code"))
    )
    if organisation.type == OrganisationType.GEMEENTE:
        related |= Q(
            type__in=[OrganisationType.GGD, OrganisationType.WIJKTEAM],
            municipality_code=organisation.code,
        )
    elif organisation.municipality_code:
        related |= Q(type=OrganisationType.GEMEENTE, code=organisation.municipality_code)
    ids = Organisation.objects.filter(related).values("pk")
    return Organisation.objects.filter(pk__in=ids)


def student_scope(*, actor: Actor, on: dt.date | None = None, via: str = "") -> Q | None:
    """The condition that says which children the actor may see, or None for nobody.

    ``via`` is the path from the queried model to the student ("" on Student itself, "student"
    on a model with a ``student`` foreign key), so worklists filter their own rows directly. The
    organisation's own scope (:func:`inbeeld.people.scope.registry_scope`) and its involvements
    are an EXISTS per row: cheap when the rows are few (the thuiszitters), and it never
    multiplies rows.
    """
    if not actor.can(Permission.VIEW_STUDENT):
        return None
    on = on or _today()
    organisation = actor.organisation
    student = f"{via}__" if via else ""
    involved = Q(
        Exists(
            Involvement.objects.filter(
                Q(until__isnull=True) | Q(until__gte=on),
                source__in=SIGHT_SOURCES,
                organisation=organisation,
                since__lte=on,
                student_id=OuterRef(f"{student}pk"),
            )
        )
    )
    own = registry_scope(organisation=organisation, on=on, via=via)
    return involved if own is None else own | involved


def students_visible_to(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Student]:
    scope = student_scope(actor=actor, on=on)
    if scope is None:
        return Student.objects.none()
    return Student.objects.filter(scope)


def search_students(students: QuerySet[Student], query: str) -> QuerySet[Student]:
    """The students of ``students`` that ``query`` names: a student number (external id, any
    case), a BSN or onderwijsnummer (spaces and dots ignored), or every word of it in the given
    or family names. The one search: the screens and the API both use it, ordered by name."""
    query = query.strip()
    if not query:
        return students.none()
    compact = query.replace(" ", "").replace(".", "")
    condition = Q(external_id__iexact=query) | Q(bsn=compact) | Q(onderwijsnummer=compact)
    name = Q()
    for word in query.split():
        name &= Q(given_names__icontains=word) | Q(family_name__icontains=word)
    return students.filter(condition | name).order_by("family_name", "given_names", "pk")


def students_listed(
    *,
    actor: Actor,
    search: str | None = None,
    student_id: str | None = None,
    bsn: str | None = None,
    municipality: str | None = None,
    brin: str | None = None,
    category: str | None = None,
) -> QuerySet[Student]:
    """The students the actor may see, narrowed by what is given (the API's list): the search of
    the screens, a student number, a BSN, the home municipality, a school (BRIN) where they are
    enrolled today, the category of their status. Ordered by name."""
    students = students_visible_to(actor=actor)
    if search:
        students = search_students(students, search)
    if student_id:
        students = students.filter(external_id=student_id)
    if bsn:
        students = students.filter(bsn=bsn)
    if municipality:
        students = students.filter(municipality_code=municipality)
    if brin:
        enrolled = Enrolment.objects.filter(current("", _today()), school__brin=brin)
        students = students.filter(pk__in=enrolled.values("student_id"))
    if category:
        students = students.filter(status__category=category)
    return students.order_by("family_name", "given_names", "pk")


def enrolments_listed(
    *,
    actor: Actor,
    student: int | None = None,
    brin: str | None = None,
    active_on: dt.date | None = None,
) -> QuerySet[Enrolment]:
    """The enrolments of the students the actor may see, narrowed by a student, a school (BRIN)
    and a day they cover."""
    enrolments = Enrolment.objects.filter(
        student__in=students_visible_to(actor=actor)
    ).select_related("school")
    if student is not None:
        enrolments = enrolments.filter(student_id=student)
    if brin:
        enrolments = enrolments.filter(school__brin=brin)
    if active_on is not None:
        enrolments = enrolments.filter(current("", active_on))
    return enrolments.order_by("student_id", "start_date", "pk")


def exemptions_listed(
    *,
    actor: Actor,
    student: int | None = None,
    article: str | None = None,
    active_on: dt.date | None = None,
) -> QuerySet[Exemption]:
    """The exemptions of the students the actor may see, narrowed by a student, an article and a
    day they run on (RULES.md §7: a 5a without an end date that is not permanent lapsed on the
    31 July after its school year)."""
    exemptions = Exemption.objects.filter(student__in=students_visible_to(actor=actor))
    if student is not None:
        exemptions = exemptions.filter(student_id=student)
    if article:
        exemptions = exemptions.filter(article=article)
    if active_on is not None:
        exemptions = exemptions.filter(in_effect_between(active_on, active_on))
    return exemptions.order_by("student_id", "start_date", "pk")


def student_for(*, actor: Actor, pk: int) -> Student | None:
    """One child, if the actor may see it (None otherwise: the view answers 404)."""
    return students_visible_to(actor=actor).filter(pk=pk).first()


class NotInScopeError(Http404):
    """A child (or case) outside the actor's scope, answered as "not found" (404) like the
    selectors answer it, so that a service never tells whether it exists."""


def require_visible(*, actor: Actor, student: Student) -> None:
    """For services that give sight of a child or act on it: refuse a child the actor may not
    see with :class:`NotInScopeError` (the views and the API answer 404)."""
    if not students_visible_to(actor=actor).filter(pk=student.pk).exists():
        raise NotInScopeError(_("Niet gevonden."))


def current_enrolment(*, student: Student, on: dt.date | None = None) -> Enrolment | None:
    """The enrolment that counts today: of those covering the day, the one that started last."""
    on = on or _today()
    return (
        student.enrolments.filter(current("", on))
        .select_related("school")
        .order_by("-start_date", "-id")
        .first()
    )


def school_of(*, actor: Actor) -> School | None:
    """The school the actor works for (only when acting for an organisation of type school)."""
    if actor.organisation.type != OrganisationType.SCHOOL:
        return None
    return School.objects.filter(organisation=actor.organisation).first()


def school_free_periods_of(*, actor: Actor) -> QuerySet[SchoolFreePeriod]:
    """The own free days of the school the actor works for (none for other organisations)."""
    school = school_of(actor=actor)
    if school is None:
        return SchoolFreePeriod.objects.none()
    return SchoolFreePeriod.objects.filter(school=school).order_by("start_date", "end_date")


def school_free_period_for(*, actor: Actor, pk: int) -> SchoolFreePeriod | None:
    """One of the own free days of the actor's school (None otherwise: the view answers 404)."""
    return school_free_periods_of(actor=actor).filter(pk=pk).select_related("school").first()


def may_edit_enrolments(actor: Actor) -> bool:
    """Who keeps a pupil's enrolment data at the school and sees its pupils (zorgcoördinator)."""
    return actor.can(Permission.IMPORT_DATA) and actor.can(Permission.VIEW_STUDENT)


def editable_enrolment_ids(actor: Actor, enrolments) -> set[int]:
    """The enrolments (of a child the actor sees) the actor may change: at its own schools."""
    if not may_edit_enrolments(actor):
        return set()
    own = set(own_schools(actor.organisation).values_list("pk", flat=True))
    return {e.pk for e in enrolments if e.school_id in own}


def editable_enrolment_for(*, actor: Actor, pk: int) -> Enrolment | None:
    """One enrolment, with its school and child, of a child the actor sees, that the actor may
    change (:func:`editable_enrolment_ids`); None otherwise (the view answers 404)."""
    enrolment = (
        Enrolment.objects.select_related("school", "student")
        .filter(pk=pk, student__in=students_visible_to(actor=actor))
        .first()
    )
    if enrolment is None or not editable_enrolment_ids(actor, [enrolment]):
        return None
    return enrolment
