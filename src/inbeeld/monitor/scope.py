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

``students`` (optional) further limits every table to the children a ``Q`` on Student selects
(a case team's children, a district). Use::

    scope = FigureScope.for_organisation(organisation)
    Episode.objects.filter(scope.episodes)
    Melding.objects.filter(scope.meldingen)
    Exemption.objects.filter(scope.exemptions)
    Student.objects.filter(scope.students)

A scope holds only conditions; whether the actor may see figures at all (and that whatever leaves
for a beleidsmedewerker is suppressed) is for the caller (``monitor.suppression``).
"""

from __future__ import annotations

from dataclasses import dataclass

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
    ``label``: how reports name it ("Gemeente Groningen"). ``students``: an extra Q on Student.
    """

    kind: str = ALL
    label: str = ""
    municipality_code: str | None = None
    partnership_id: int | None = None
    school_id: int | None = None
    students_q: Q | None = None

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
        label = organisation.name
        if organisation.type == OrganisationType.GEMEENTE:
            return cls(kind=GEMEENTE, municipality_code=organisation.code, label=label)
        if organisation.type == OrganisationType.SAMENWERKINGSVERBAND:
            return cls(kind=SAMENWERKINGSVERBAND, partnership_id=organisation.pk, label=label)
        if organisation.type == OrganisationType.SCHOOL:
            school = School.objects.filter(organisation=organisation).first()
            if school is None:
                raise ScopeError(f"Organisatie {organisation.name} hoort bij geen school.")
            return cls(kind=SCHOOL, school_id=school.pk, label=label)
        raise ScopeError(
            f"Een {organisation.get_type_display()} telt geen cijfers over leerlingen "
            f"({organisation.name})."
        )

    def limited_to(self, students: Q) -> FigureScope:
        """The same scope, further limited to the children ``students`` (a Q on Student) selects."""
        combined = students if self.students_q is None else self.students_q & students
        return FigureScope(
            kind=self.kind,
            label=self.label,
            municipality_code=self.municipality_code,
            partnership_id=self.partnership_id,
            school_id=self.school_id,
            students_q=combined,
        )

    @property
    def key(self) -> str:
        """A short stable key (for caches); an extra ``students`` limit makes it unique-ish."""
        ident = self.municipality_code or self.partnership_id or self.school_id or ""
        extra = f":{hash(str(self.students_q))}" if self.students_q is not None else ""
        return f"{self.kind}:{ident}{extra}"

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

    @property
    def episodes(self) -> Q:
        """On monitor.Episode."""
        match self.kind:
            case "gemeente":
                q = Q(municipality_code=self.municipality_code)
            case "samenwerkingsverband":
                q = Q(partnership_id=self.partnership_id)
            case "school":
                q = Q(school_id=self.school_id)
            case _:
                q = Q()
        return q & self._extra("student")

    @property
    def meldingen(self) -> Q:
        """On attendance.Melding."""
        match self.kind:
            case "gemeente":
                q = Q(student__municipality_code=self.municipality_code)
            case "samenwerkingsverband":
                q = Q(school__partnership_id=self.partnership_id)
            case "school":
                q = Q(school_id=self.school_id)
            case _:
                q = Q()
        return q & self._extra("student")

    @property
    def exemptions(self) -> Q:
        """On people.Exemption."""
        match self.kind:
            case "gemeente":
                q = Q(student__municipality_code=self.municipality_code)
            case "samenwerkingsverband" | "school":
                q = self._enrolled_there("student_id")
            case _:
                q = Q()
        return q & self._extra("student")

    @property
    def students(self) -> Q:
        """On people.Student."""
        match self.kind:
            case "gemeente":
                q = Q(municipality_code=self.municipality_code)
            case "samenwerkingsverband" | "school":
                q = self._enrolled_there("pk")
            case _:
                q = Q()
        return q & self._extra("")


__all__ = [
    "ALL",
    "GEMEENTE",
    "KINDS",
    "SAMENWERKINGSVERBAND",
    "SCHOOL",
    "FigureScope",
    "ScopeError",
]
