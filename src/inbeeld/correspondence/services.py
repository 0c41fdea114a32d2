"""Writing the contact log and the letters, and reading them with the audit row that names the
child. Each write is one transaction with its audit event (which holds no text of the entry)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission, require_permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.correspondence import selectors
from inbeeld.correspondence.letters import spec_of
from inbeeld.correspondence.letters.base import Context
from inbeeld.correspondence.models import ContactEntry, ContactKind, ContactWith, Letter
from inbeeld.correspondence.pdf import render_pdf
from inbeeld.people.models import Student
from inbeeld.people.selectors import require_visible

SUMMARY_MAX = 4000
NAME_MAX = 200


def _today() -> dt.date:
    return timezone.localdate()


def _require_log(actor: Actor, student: Student) -> None:
    require_permission(actor, Permission.WORK_ON_CASES)
    require_visible(actor=actor, student=student)


def _entry_errors(
    *,
    student: Student,
    kind: str,
    contact_with: str,
    contact_name: str,
    summary: str,
    on: dt.date,
    today: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in ContactKind.values:
        errors["kind"] = _("Kies het soort contact.")
    if contact_with not in ContactWith.values:
        errors["contact_with"] = _("Kies met wie het contact was.")
    if contact_with == ContactWith.ANDERS and not contact_name:
        errors["contact_name"] = _("Zeg met wie het contact was.")
    elif len(contact_name) > NAME_MAX:
        errors["contact_name"] = _("Maximaal %(n)s tekens.") % {"n": NAME_MAX}
    if not summary:
        errors["summary"] = _("Schrijf een korte samenvatting.")
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = _("Maximaal %(n)s tekens (nu %(m)s).") % {
            "n": SUMMARY_MAX,
            "m": len(summary),
        }
    if on > today:
        errors["on"] = _("De datum ligt in de toekomst.")
    elif on < student.birth_date:
        errors["on"] = _("De datum ligt voor de geboortedatum van het kind.")
    return errors


@transaction.atomic
def contact_entry_add(
    *,
    actor: Actor,
    student: Student,
    kind: str,
    contact_with: str,
    summary: str,
    on: dt.date | None = None,
    contact_name: str = "",
    corrects: int | None = None,
) -> ContactEntry:
    """Add an entry to the child's log; ``corrects``: the id of an entry of the own organisation
    that this one corrects (the old one stays, shown as corrected). Every problem at once."""
    _require_log(actor, student)
    today = _today()
    on = on or today
    summary = (summary or "").strip()
    contact_name = (contact_name or "").strip()
    errors = _entry_errors(
        student=student,
        kind=kind,
        contact_with=contact_with,
        contact_name=contact_name,
        summary=summary,
        on=on,
        today=today,
    )
    corrected = None
    if corrects is not None:
        corrected = selectors.entry_for(actor=actor, student=student, pk=corrects)
        if corrected is None:
            errors["corrects"] = _("Die notitie staat niet in het contactlog van dit kind.")
        elif corrected.is_corrected:
            errors["corrects"] = _(
                "Die notitie is al gecorrigeerd: corrigeer de laatste correctie."
            )
    if errors:
        raise ValidationError(errors)
    entry = ContactEntry.objects.create(
        student=student,
        kind=kind,
        contact_with=contact_with,
        contact_name=contact_name,
        on=on,
        summary=summary,
        author=actor.stored_user,
        organisation=actor.organisation,
        corrects=corrected,
    )
    what = "correctie" if corrected else entry.kind
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"contactlog: {what} vastgelegd",
        obj=entry,
        student=student,
        detail={"corrects": corrected.pk} if corrected else None,
    )
    return entry


def contact_log_read(*, actor: Actor, student: Student) -> list[ContactEntry]:
    """The child's log as the actor's organisation wrote it, after recording the read."""
    _require_log(actor, student)
    entries = list(selectors.contact_log_of(actor=actor, student=student))
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary="contactlog gelezen",
        student=student,
        detail={"entries": len(entries)},
    )
    return entries


# -- letters ---------------------------------------------------------------------------------------


@transaction.atomic
def letter_generate(*, actor: Actor, student: Student, kind: str, fields: dict[str, Any]) -> Letter:
    """Fill the letter of ``kind`` from Inbeeld's facts and the user's ``fields``, render its PDF
    and keep both with the child, with a "brief" entry in the log. Refused (ValidationError, one
    message per problem; nothing written) when a field or a fact the letter needs is missing."""
    spec = spec_of(kind)
    if spec is None:
        raise ValidationError({"kind": _("Onbekend soort brief.")})
    require_permission(actor, Permission.WORK_ON_CASES)
    if not actor.can(spec.permission):
        raise PermissionDenied(_("Uw rol geeft geen toestemming om deze brief te maken."))
    require_visible(actor=actor, student=student)
    today = _today()
    context = Context(actor=actor, student=student, today=today)
    data = spec.fill(context, fields or {})
    letter_text = spec.compose(data)
    pdf = render_pdf(letter_text)
    letter = Letter.objects.create(
        student=student,
        kind=spec.kind,
        subject=letter_text.subject[:300],
        data=data,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        written_on=today,
        author=actor.stored_user,
        organisation=actor.organisation,
    )
    ContactEntry.objects.create(
        student=student,
        kind=ContactKind.BRIEF,
        contact_with=spec.addressed_to,
        contact_name=data["fields"].get("recipient", "").splitlines()[0][:NAME_MAX]
        if data["fields"].get("recipient")
        else "",
        on=today,
        summary=letter.subject,
        author=actor.stored_user,
        organisation=actor.organisation,
        letter=letter,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"brief gemaakt: {spec.kind}",
        obj=letter,
        student=student,
        detail={"kind": spec.kind, "sha256": letter.sha256},
    )
    return letter


def letter_download(*, actor: Actor, pk: int) -> Letter | None:
    """The letter with its PDF, after recording the download (None: not there for the actor)."""
    letter = selectors.letter_for(actor=actor, pk=pk)
    if letter is None:
        return None
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        summary=f"brief gedownload: {letter.kind}",
        obj=letter,
        student=letter.student,
    )
    return letter
