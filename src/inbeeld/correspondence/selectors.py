"""Reads of the contact log and the letters, limited to what the acting organisation may see:
its own entries and letters (``models`` says why), about a child in its sight, for a role with
casework (``Permission.WORK_ON_CASES``). The services record the read in the audit trail."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.correspondence.models import ContactEntry, Letter
from inbeeld.people.models import Student
from inbeeld.people.selectors import student_scope


def may_keep_log(actor: Actor) -> bool:
    """Whether the actor's role reads and writes contact logs at all."""
    return actor.can(Permission.WORK_ON_CASES)


def entries_visible_to(*, actor: Actor) -> QuerySet[ContactEntry]:
    """The entries of the actor's organisation about children it may see now, newest first; each
    with ``is_corrected`` (a later entry corrects it)."""
    scope = student_scope(actor=actor, via="student")
    if not may_keep_log(actor) or scope is None:
        return ContactEntry.objects.none()
    return (
        ContactEntry.objects.filter(scope, organisation=actor.organisation)
        .annotate(is_corrected=Exists(ContactEntry.objects.filter(corrects=OuterRef("pk"))))
        .select_related("author", "organisation", "letter", "student", "corrects")
        .defer("letter__pdf")
        .order_by("-on", "-pk")
    )


def contact_log_of(*, actor: Actor, student: Student) -> QuerySet[ContactEntry]:
    """One child's log as the actor's organisation wrote it (empty when out of sight)."""
    return entries_visible_to(actor=actor).filter(student=student)


def entry_for(*, actor: Actor, student: Student, pk: int) -> ContactEntry | None:
    """One entry of the child's log, if the actor's organisation wrote it and may see the child."""
    return contact_log_of(actor=actor, student=student).filter(pk=pk).first()


def letters_visible_to(*, actor: Actor) -> QuerySet[Letter]:
    """The letters of the actor's organisation about children it may see now (without the PDF's
    bytes: the download reads them)."""
    scope = student_scope(actor=actor, via="student")
    if not may_keep_log(actor) or scope is None:
        return Letter.objects.none()
    return (
        Letter.objects.filter(scope, organisation=actor.organisation)
        .select_related("author", "organisation", "student")
        .defer("pdf")
        .order_by("-written_on", "-pk")
    )


def letter_for(*, actor: Actor, pk: int) -> Letter | None:
    """One letter with its PDF, if the actor may see it (None: the view answers 404)."""
    scope = student_scope(actor=actor, via="student")
    if not may_keep_log(actor) or scope is None:
        return None
    return (
        Letter.objects.filter(scope, organisation=actor.organisation, pk=pk)
        .select_related("student", "organisation")
        .first()
    )


def earlier_steps(*, actor: Actor, student: Student, before) -> list[ContactEntry]:
    """The steps the actor's organisation took with the child before ``before`` (a date): its
    entries that no later entry corrects, oldest first (the hand-off letters list them)."""
    return list(
        contact_log_of(actor=actor, student=student)
        .filter(on__lte=before, is_corrected=False)
        .order_by("on", "pk")
    )


def letter_options(*, actor: Actor, student: Student) -> dict[str, list[tuple[int, str]]]:
    """What a letter's form offers to choose (id, label): the child's meldingen that came to the
    actor's organisation, its decided leave requests and exemption requests the actor may see."""
    from inbeeld.attendance.explanations import RULE_LABELS
    from inbeeld.attendance.selectors import meldingen_of_child
    from inbeeld.exemptions.selectors import exemption_requests_visible_to
    from inbeeld.leave.selectors import leave_requests_visible_to

    decided = ("toegekend", "afgewezen")
    meldingen = meldingen_of_child(actor=actor, student=student)
    leaves = leave_requests_visible_to(actor=actor).filter(student=student, state__in=decided)
    exemptions = exemption_requests_visible_to(actor=actor).filter(
        student=student, state__in=decided
    )
    return {
        "melding": [
            (
                m.pk,
                f"{RULE_LABELS.get(m.rule, m.rule)}: {m.start_date:%d-%m-%Y} – {m.end_date:%d-%m-%Y}",
            )
            for m in meldingen.order_by("-end_date", "pk")
        ],
        "leave_request": [
            (
                r.pk,
                f"{r.get_kind_display()} {r.start_date:%d-%m-%Y} – {r.end_date:%d-%m-%Y}: "
                f"{r.get_state_display()}",
            )
            for r in leaves.order_by("-requested_on", "-pk")
        ],
        "exemption_request": [
            (r.pk, f"{r.article_label} {r.start_date:%d-%m-%Y}: {r.get_state_display()}")
            for r in exemptions.order_by("-requested_on", "-pk")
        ],
    }
