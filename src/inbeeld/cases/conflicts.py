"""One truth (issue 11 §5): a case "terug op school" while the newest detection still says the
child is a thuiszitter is a conflict, shown with its reason, never silently both.

:func:`return_conflict` is the one place that decides whether there is a conflict and why. It
takes the case and the detection's result (the child's ``StudentStatus``) and finds the reason in
the data, the first that applies:

1. ``detection_before_return``: the newest detection ran before the return date, so it cannot know
   of the return yet;
2. ``at_home_again``: the detection sees a thuiszitter episode that started after the return (a
   possible relapse);
3. ``enrolment_missing``: no enrolment in Inbeeld runs on or after the return date (the new
   enrolment is not imported yet), or ``enrolment_starts_later``: the first one starts after it;
4. ``absence_after_return``: unexcused absence (ongeoorloofd, luxe) registered after the return,
   which the detection counts;
5. ``import_after_detection``: an import finished after the newest detection started, which the
   next detection takes in;
6. ``unexplained``: none of these; someone should check the enrolment and the absences.

The child's page (``{% case_box %}``), the case page, the thuiszitters list
(``{% thuiszitter_conflicts %}``) and the API's case (``return_conflict``, read-only) all call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from inbeeld.attendance.explanations import CATEGORY_LABELS
from inbeeld.attendance.models import AbsenceRecord, DetectionRun, ImportBatch, StudentStatus
from inbeeld.cases.models import Case, Outcome
from inbeeld.cases.workflow import CaseState
from inbeeld.people.models import Enrolment
from inbeeld.rules.model import LUXE, UNEXCUSED
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM

THUISZITTER_CATEGORIES = (ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM)
#: the absences the detection counts against a child (RULES.md §2: unexcused hours)
COUNTED_REASONS = (UNEXCUSED, LUXE)

REASONS = (
    "detection_before_return",
    "at_home_again",
    "enrolment_missing",
    "enrolment_starts_later",
    "absence_after_return",
    "import_after_detection",
    "unexplained",
)


@dataclass(frozen=True)
class ReturnConflict:
    """A case back at school that the detection still counts as a thuiszitter, and why."""

    reason: str
    returned_on: dt.date
    detected_on: dt.date
    category: str
    since: dt.date | None
    explanation: str

    @property
    def title(self) -> str:
        return _("Tegenstrijdig: terug op school, maar de detectie ziet een thuiszitter")

    def as_dict(self) -> dict:
        return {
            "reason": self.reason,
            "returned_on": self.returned_on.isoformat(),
            "detected_on": self.detected_on.isoformat(),
            "category": self.category,
            "since": self.since.isoformat() if self.since else None,
            "explanation": self.explanation,
        }


def _d(day: dt.date) -> str:
    return f"{day:%d-%m-%Y}"


def _latest_outcome(case: Case) -> Outcome | None:
    return case.outcomes.select_related("school").order_by("-returned_on", "-id").first()


def return_conflict(case: Case, status: StudentStatus | None) -> ReturnConflict | None:
    """The conflict between ``case`` and the detection's ``status`` of its child, or None.

    None unless the case is "terug op school" and the status (of the same child) is absoluut or
    langdurig relatief verzuim.
    """
    if case.state != CaseState.RETURNED or status is None:
        return None
    if status.student_id != case.student_id or status.category not in THUISZITTER_CATEGORIES:
        return None
    outcome = _latest_outcome(case)
    if outcome is None:
        return None
    returned = outcome.returned_on
    # a run stores only the statuses that changed: an older row the newest run left alone is
    # what that run found too, so the detection is as of the newest run
    newest = (
        DetectionRun.objects.filter(finished_at__isnull=False)
        .order_by("-started_at", "-id")
        .values_list("on_date", "started_at")
        .first()
    )
    detected = max(status.on_date, newest[0]) if newest else status.on_date
    category = str(CATEGORY_LABELS.get(status.category, status.category))
    facts = {
        "returned": _d(returned),
        "detected": _d(detected),
        "category": category,
        "since": _d(status.since) if status.since else "",
        "school": (outcome.school.name if outcome.school else outcome.school_name)
        or _("de nieuwe school"),
    }

    def conflict(reason: str, explanation: str) -> ReturnConflict:
        return ReturnConflict(
            reason=reason,
            returned_on=returned,
            detected_on=detected,
            category=status.category,
            since=status.since,
            explanation=explanation % facts,
        )

    if detected < returned:
        return conflict(
            "detection_before_return",
            _(
                "De nieuwste detectie (van %(detected)s) is ouder dan de terugkeer op school "
                "(%(returned)s): zij kan de terugkeer nog niet zien. De volgende detectie neemt "
                "haar mee."
            ),
        )
    if status.since is not None and status.since > returned:
        return conflict(
            "at_home_again",
            _(
                "De detectie van %(detected)s ziet het kind sinds %(since)s opnieuw als "
                "thuiszitter (%(category)s), ná de terugkeer op %(returned)s. Mogelijk een "
                "terugval: overweeg de casus te heropenen."
            ),
        )
    enrolments = Enrolment.objects.filter(student_id=case.student_id).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=returned)
    )
    first_start = enrolments.order_by("start_date").values_list("start_date", flat=True).first()
    if first_start is None:
        return conflict(
            "enrolment_missing",
            _(
                "De nieuwe inschrijving is nog niet geïmporteerd: Inbeeld heeft geen inschrijving "
                "op of na de terugkeer op %(returned)s (bij %(school)s). Zolang die ontbreekt, "
                "telt de detectie het kind als thuiszitter (%(category)s)."
            ),
        )
    if first_start > returned:
        facts["start"] = _d(first_start)
        return conflict(
            "enrolment_starts_later",
            _(
                "De inschrijving na de terugkeer begint pas op %(start)s, later dan de terugkeer "
                "op %(returned)s: de dagen ertussen telt de detectie als niet ingeschreven."
            ),
        )
    absences = AbsenceRecord.objects.filter(
        student_id=case.student_id,
        reason__in=COUNTED_REASONS,
        end_date__gte=returned,
        start_date__lte=detected,
    )
    if absences.exists():
        facts["count"] = absences.count()
        return conflict(
            "absence_after_return",
            _(
                "Na de terugkeer op %(returned)s is nog ongeoorloofd verzuim geregistreerd "
                "(%(count)s registratie(s) tot %(detected)s); de detectie telt dat mee en ziet "
                "het kind daarom als thuiszitter (%(category)s)."
            ),
        )
    run_started = newest[1] if newest else status.run.started_at
    if ImportBatch.objects.filter(
        state=ImportBatch.State.DONE, finished_at__gt=run_started
    ).exists():
        return conflict(
            "import_after_detection",
            _(
                "Na de nieuwste detectie (van %(detected)s) is nog een import verwerkt; de "
                "volgende detectie neemt de nieuwe gegevens mee."
            ),
        )
    return conflict(
        "unexplained",
        _(
            "De casus staat sinds %(returned)s op terug op school, maar de detectie van "
            "%(detected)s telt het kind als thuiszitter (%(category)s). Controleer de "
            "inschrijving en het verzuim na de terugkeer."
        ),
    )


def status_of(case: Case) -> StudentStatus | None:
    """The newest detection's result for the case's child."""
    return StudentStatus.objects.filter(student_id=case.student_id).first()


def conflict_of_case(case: Case) -> ReturnConflict | None:
    """:func:`return_conflict` of the case and its child's newest status."""
    if case.state != CaseState.RETURNED:
        return None
    return return_conflict(case, status_of(case))


def conflicts_of(
    *, cases: Iterable[Case], statuses: Iterable[StudentStatus]
) -> dict[int, ReturnConflict]:
    """Per student id, the conflict of its case "terug op school" with its status (a list's rows:
    only cases back at school are looked at, one query each)."""
    by_student = {s.student_id: s for s in statuses}
    found: dict[int, ReturnConflict] = {}
    for case in cases:
        conflict = return_conflict(case, by_student.get(case.student_id))
        if conflict is not None:
            found[case.student_id] = conflict
    return found
