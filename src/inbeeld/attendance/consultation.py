"""The consultation list of the jeugdarts and leerplicht (issue 12 §2, "overleg jeugdarts –
leerplicht"): the children both the GGD and the gemeente are involved with, for their regular
meeting. One definition, for both sides:

* the GGD is involved with a child through an active involvement that gives sight (a place in its
  case team, or an open MAZL melding routed to it: ``people.selectors.SIGHT_SOURCES``);
* the gemeente (leerplicht) is involved through a place in its case team, an open melding routed to
  it, or an open MAZL melding: MAZL is the method in which the jeugdarts and leerplicht talk about
  a child reported sick often or long, so such a child is on the list as soon as the melding goes
  to the GGD.

Only the GGD and the gemeente have the list, each limited to the children it may see
(``student_scope``); the GGD sees only the children it is involved with itself, the gemeente only
those in its scope with a GGD involved. The view records one read per child shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.explanations import RULE_LABELS
from inbeeld.attendance.models import Melding
from inbeeld.attendance.selectors import OPEN_STATES
from inbeeld.people.models import Involvement, Student
from inbeeld.people.selectors import SIGHT_SOURCES, current_enrolment, student_scope
from inbeeld.rules.absence import RULE_MAZL_4_IN_12, RULE_MAZL_7_DAGEN

#: the organisations whose people meet over the list
CONSULTING_TYPES = (OrganisationType.GGD, OrganisationType.GEMEENTE)
MAZL_RULES = (RULE_MAZL_7_DAGEN, RULE_MAZL_4_IN_12)


@dataclass
class ConsultationRow:
    student: Student
    school: str
    #: why both are involved: the open meldingen and the case teams, in words
    reasons: list[str] = field(default_factory=list)

    @property
    def student_id(self) -> int:
        return self.student.pk


def has_consultation_list(actor: Actor | None) -> bool:
    """Whether the actor acts for a GGD or a gemeente and may see worklists."""
    return (
        actor is not None
        and actor.organisation.type in CONSULTING_TYPES
        and actor.can(Permission.VIEW_WORKLIST)
    )


def _active(on: dt.date) -> Q:
    return Q(since__lte=on) & (Q(until__isnull=True) | Q(until__gte=on))


def _side(actor: Actor, org_type: str) -> Q:
    """The actor's own organisation on its side, any organisation of that type on the other."""
    if actor.organisation.type == org_type:
        return Q(organisation=actor.organisation)
    return Q(organisation__type=org_type)


def _melding_side(actor: Actor, org_type: str) -> Q:
    if actor.organisation.type == org_type:
        return Q(organisations=actor.organisation)
    return Q(organisations__type=org_type)


def consultation_students(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Student]:
    """The children on the list of the actor's organisation (none for other organisations)."""
    if not has_consultation_list(actor):
        return Student.objects.none()
    scope = student_scope(actor=actor, on=on)
    if scope is None:
        return Student.objects.none()
    on = on or timezone.localdate()
    involvements = Involvement.objects.filter(_active(on), student_id=OuterRef("pk"))
    open_meldingen = Melding.objects.filter(state__in=OPEN_STATES, student_id=OuterRef("pk"))
    ggd_involved = Exists(
        involvements.filter(_side(actor, OrganisationType.GGD), source__in=SIGHT_SOURCES)
    )
    mazl_at_ggd = Exists(
        open_meldingen.filter(_melding_side(actor, OrganisationType.GGD), rule__in=MAZL_RULES)
    )
    gemeente_involved = (
        Exists(
            involvements.filter(
                _side(actor, OrganisationType.GEMEENTE), source=Involvement.Source.CASE_TEAM
            )
        )
        | Exists(open_meldingen.filter(_melding_side(actor, OrganisationType.GEMEENTE)))
        | mazl_at_ggd
    )
    return (
        Student.objects.filter(scope)
        .filter(ggd_involved & gemeente_involved)
        .order_by("family_name", "given_names", "pk")
    )


def consultation_rows(*, actor: Actor, on: dt.date | None = None) -> list[ConsultationRow]:
    """The list with, per child, its school today and why both are involved."""
    on = on or timezone.localdate()
    students = list(consultation_students(actor=actor, on=on))
    ids = [s.pk for s in students]
    reasons: dict[int, list[str]] = {pk: [] for pk in ids}
    meldingen = (
        Melding.objects.filter(student_id__in=ids, state__in=OPEN_STATES)
        .filter(
            _melding_side(actor, OrganisationType.GGD)
            | _melding_side(actor, OrganisationType.GEMEENTE)
        )
        .distinct()
        .order_by("end_date", "pk")
    )
    for m in meldingen:
        reasons[m.student_id].append(
            _("open melding: %(rule)s (%(end)s)")
            % {"rule": RULE_LABELS.get(m.rule, m.rule), "end": f"{m.end_date:%d-%m-%Y}"}
        )
    teams = (
        Involvement.objects.filter(
            _active(on), student_id__in=ids, source=Involvement.Source.CASE_TEAM
        )
        .filter(organisation__type__in=CONSULTING_TYPES)
        .select_related("organisation")
        .order_by("since", "pk")
    )
    for involvement in teams:
        reasons[involvement.student_id].append(
            _("in het casusteam: %(organisation)s")
            % {"organisation": involvement.organisation.name}
        )
    rows = []
    for student in students:
        enrolment = current_enrolment(student=student, on=on)
        rows.append(
            ConsultationRow(
                student=student,
                school=enrolment.school.name if enrolment else "",
                reasons=reasons[student.pk],
            )
        )
    return rows
