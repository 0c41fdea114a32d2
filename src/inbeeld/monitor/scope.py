"""What an organisation may count: the scope of its figures (issue 5 §2 and §3).

A :class:`FigureScope` names whose children a figure is about, and gives the conditions (Django
``Q`` objects) that limit each table the figures are counted from:

=====================  ==================================  =====================================
kind                   Episode / Melding                   Exemption / Student
=====================  ==================================  =====================================
``all``                everything                          everything
``gemeente``           the child lives there               the child lives there
                       (``municipality_code``, LPW art. 16:
                       the gemeente of residence counts)
``samenwerkingsverband`` the school at the start of the    children ever enrolled at a member
                       episode / of the melding is a       school
                       member school (``partnership``)
``school``             that school at the start / of the   children ever enrolled there
                       melding
=====================  ==================================  =====================================

Two more conditions follow from the same kinds: ``pupils`` on Enrolment (the enrolments that
make a child a pupil here, for "per 1,000": a gemeente's children living there, a
samenwerkingsverband's at its member schools, a school's its own) and ``cases`` on cases.Case
(the cases of the children in ``students``).

``students`` (optional) further limits every table to the children a ``Q`` on Student selects
(a case team's children, a district). Use::

    scope = FigureScope.for_organisation(organisation)
    Episode.objects.filter(scope.episodes)
    Melding.objects.filter(scope.meldingen)
    Exemption.objects.filter(scope.exemptions)
    Student.objects.filter(scope.students)
    Enrolment.objects.filter(scope.pupils)
    Case.objects.filter(scope.cases)

This is the one place that decides what an organisation may count; ``monitor.selectors`` (the
dashboard, the API) and ``monitor.telling`` (the leerplichttelling) both take their scope from it.

A scope holds only conditions; whether the actor may see figures at all (and that whatever leaves
for a beleidsmedewerker is suppressed) is for the caller (``monitor.suppression``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef, Q

from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.people.models import Enrolment, School, Student

ALL = "all"
GEMEENTE = OrganisationType.GEMEENTE.value
SAMENWERKINGSVERBAND = OrganisationType.SAMENWERKINGSVERBAND.value
SCHOOL = OrganisationType.SCHOOL.value
KINDS = (ALL, GEMEENTE, SAMENWERKINGSVERBAND, SCHOOL)


class ScopeError(ValueError):
    """An organisation that counts no figures, or a scope without what its kind needs."""


@dataclass(frozen=True)
class FigureScope:
    """Whose children a figure counts (see the module docstring for the conditions).

    ``kind``: ``all``, ``gemeente`` (``municipality_code``: the CBS code), ``samenwerkingsverband``
    (``partnership_id``: the Organisation) or ``school`` (``school_id``: the people.School).
    ``label``: how reports name it ("Gemeente Groningen"). ``students_q``: an extra Q on Student.
    ``organisation_id``: the organisation whose figures these are (from :meth:`for_organisation`;
    part of the :attr:`key`).
    """

    kind: str = ALL
    label: str = ""
    municipality_code: str | None = None
    partnership_id: int | None = None
    school_id: int | None = None
    students_q: Q | None = None
    organisation_id: int | None = None

    def __post_init__(self) -> None:
        needed = {
            ALL: None,
            GEMEENTE: self.municipality_code,
            SAMENWERKINGSVERBAND: self.partnership_id,
            SCHOOL: self.school_id,
        }
        if self.kind not in needed:
            raise ScopeError(f"Onbekende soort bereik voor cijfers: {self.kind!r}.")
        if self.kind != ALL and not needed[self.kind]:
            raise ScopeError(f"Een bereik van soort {self.kind} heeft een organisatie nodig.")

    # -- making one ---------------------------------------------------------------------------
    @classmethod
    def everything(cls, label: str = "Alle leerlingen") -> FigureScope:
        return cls(kind=ALL, label=label)

    @classmethod
    def for_gemeente(cls, code: str, label: str = "") -> FigureScope:
        return cls(kind=GEMEENTE, municipality_code=code, label=label or code)

    @classmethod
    def for_organisation(cls, organisation: Organisation) -> FigureScope:
        """The scope of a gemeente, samenwerkingsverband or school; GGD and wijkteam count no
        figures (ScopeError)."""
        own = {"label": organisation.name, "organisation_id": organisation.pk}
        if organisation.type == OrganisationType.GEMEENTE:
            return cls(kind=GEMEENTE, municipality_code=organisation.code, **own)
        if organisation.type == OrganisationType.SAMENWERKINGSVERBAND:
            return cls(kind=SAMENWERKINGSVERBAND, partnership_id=organisation.pk, **own)
        if organisation.type == OrganisationType.SCHOOL:
            school = School.objects.filter(organisation=organisation).first()
            if school is None:
                raise ScopeError(f"Organisatie {organisation.name} hoort bij geen school.")
            return cls(kind=SCHOOL, school_id=school.pk, **own)
        raise ScopeError(
            f"Een {organisation.get_type_display()} telt geen cijfers over leerlingen "
            f"({organisation.name})."
        )

    def limited_to(self, students: Q) -> FigureScope:
        """The same scope, further limited to the children ``students`` (a Q on Student) selects."""
        combined = students if self.students_q is None else self.students_q & students
        return replace(self, students_q=combined)

    @property
    def key(self) -> str:
        """A short stable key (for caches): the organisation (when made for one), the kind and
        whose; an extra ``students`` limit makes it unique-ish."""
        ident = self.municipality_code or self.partnership_id or self.school_id or ""
        extra = f":{hash(str(self.students_q))}" if self.students_q is not None else ""
        owner = f"{self.organisation_id}:" if self.organisation_id is not None else ""
        return f"{owner}{self.kind}:{ident}{extra}"

    # -- the conditions -------------------------------------------------------------------------
    def _schools(self):
        if self.kind == SCHOOL:
            return School.objects.filter(pk=self.school_id)
        return School.objects.filter(partnership_id=self.partnership_id)

    def _extra(self, path: str) -> Q:
        """The extra student limit on a model reaching Student through ``path``."""
        if self.students_q is None:
            return Q()
        if not path:
            return self.students_q
        return Q(**{f"{path}__in": Student.objects.filter(self.students_q).values("pk")})

    def _enrolled_there(self, student_field: str) -> Q:
        return Q(
            Exists(
                Enrolment.objects.filter(
                    student_id=OuterRef(student_field), school__in=self._schools()
                )
            )
        )

    def _where(self, *, residence: str, partnership: str, school: str) -> Q:
        """The kind's condition on a model that reaches the child's municipality, the school's
        partnership and the school by these paths (the extra limit through ``student``)."""
        match self.kind:
            case "gemeente":
                q = Q(**{residence: self.municipality_code})
            case "samenwerkingsverband":
                q = Q(**{partnership: self.partnership_id})
            case "school":
                q = Q(**{school: self.school_id})
            case _:
                q = Q()
        return q & self._extra("student")

    @property
    def episodes(self) -> Q:
        """On monitor.Episode (where the episode counts: the residence and school it began in)."""
        return self._where(
            residence="municipality_code", partnership="partnership_id", school="school_id"
        )

    @property
    def meldingen(self) -> Q:
        """On attendance.Melding."""
        return self._where(
            residence="student__municipality_code",
            partnership="school__partnership_id",
            school="school_id",
        )

    @property
    def pupils(self) -> Q:
        """On people.Enrolment: the enrolments that make a child a pupil in the scope (an
        Enrolment reaches the child and the school by the same paths as a Melding)."""
        return self.meldingen

    def _living_or_enrolled(self, residence: str, student: str, extra: str) -> Q:
        """The kind's condition on a model that reaches the child's municipality by
        ``residence`` and the child's id by ``student`` (a child ever enrolled at one of the
        schools counts for a samenwerkingsverband or school); the extra limit through ``extra``."""
        match self.kind:
            case "gemeente":
                q = Q(**{residence: self.municipality_code})
            case "samenwerkingsverband" | "school":
                q = self._enrolled_there(student)
            case _:
                q = Q()
        return q & self._extra(extra)

    @property
    def exemptions(self) -> Q:
        """On people.Exemption."""
        return self._living_or_enrolled("student__municipality_code", "student_id", "student")

    @property
    def students(self) -> Q:
        """On people.Student."""
        return self._living_or_enrolled("municipality_code", "pk", "")

    @property
    def cases(self) -> Q:
        """On cases.Case: the cases of the children in :attr:`students`."""
        return Q(student__in=Student.objects.filter(self.students).values("pk"))


__all__ = [
    "ALL",
    "GEMEENTE",
    "KINDS",
    "SAMENWERKINGSVERBAND",
    "SCHOOL",
    "FigureScope",
    "ScopeError",
]
