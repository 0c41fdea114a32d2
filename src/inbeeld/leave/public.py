"""Leave requests parents send online (issue 11 §8): the school's public link, the parent's form
behind it, and the school taking what came in into its own leave requests.

* The school switches its link on, renews it (a new token: the old link stops working) or
  switches it off (:func:`public_link_enable`, :func:`public_link_renew`, :func:`public_link_disable`).
* A parent sends the form (:func:`online_request_submit`): checked field by field, the employer's
  statement by its first bytes (PDF, JPEG or PNG) and size (``INBEELD_LEAVE_STATEMENT_MAX_BYTES``);
  stored with one audit event that names no child, a receipt e-mail sent after the commit. The
  answer is the same whoever the child is: nothing is matched while the parent waits.
* The school finds the pupil among its own (:func:`candidates_for`) and links it
  (:func:`online_request_link`: the leave request is registered with the law's assessment, then
  decided as any other) or refuses it (:func:`online_request_refuse`, the parent is told why).
* The decision letter (``correspondence`` makes it) goes to the parent by e-mail, as an attachment
  (:func:`online_request_send_decision`, given the PDF by the correspondence app).

How often one address may send the form or try a link that does not work is counted in the cache
(:func:`rate_limited`; Redis in production, per process in memory otherwise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission, require_permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.leave import selectors, services
from inbeeld.leave.models import LeaveKind, LeaveRequest
from inbeeld.leave.public_models import OnlineLeaveRequest, OnlineState, PublicLeaveLink
from inbeeld.people.models import School, Student
from inbeeld.people.selectors import school_of
from inbeeld.rules import leave as rules_leave

#: the first bytes of the files accepted as the employer's statement, and their content type
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
NAME_MAX = 200
REASON_MAX = 300
#: a child of compulsory school age is born in these years before the leave
AGE_RANGE = (3, 19)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def _today() -> dt.date:
    return timezone.localdate()


def new_token() -> str:
    """43 URL-safe characters (256 bits): nobody guesses a school's link."""
    return secrets.token_urlsafe(32)


def new_reference() -> str:
    return "VL-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


# -- the school's link -----------------------------------------------------------------------------


def _school(actor: Actor) -> School:
    require_permission(actor, Permission.REGISTER_LEAVE_REQUEST)
    school = school_of(actor=actor)
    if school is None:
        raise PermissionDenied(_("Alleen een school heeft een openbare link voor verlof."))
    return school


def public_link_of(*, actor: Actor) -> PublicLeaveLink | None:
    """The link of the actor's school (None: never switched on)."""
    school = _school(actor)
    return PublicLeaveLink.objects.filter(school=school).first()


@transaction.atomic
def _set_link(actor: Actor, *, enabled: bool, renew: bool, summary: str) -> PublicLeaveLink:
    school = _school(actor)
    link = PublicLeaveLink.objects.select_for_update().filter(school=school).first()
    if link is None:
        link = PublicLeaveLink(school=school, token=new_token())
    elif renew:
        link.token = new_token()
    link.enabled = enabled
    link.changed_at = timezone.now()
    link.changed_by = actor.stored_user
    link.save()
    # never the token itself: the audit trail is read by more people than the school
    audit_record(
        actor=actor, action=AuditAction.UPDATE, summary=summary, obj=link, detail={"on": enabled}
    )
    return link


def public_link_enable(*, actor: Actor) -> PublicLeaveLink:
    """Switch the school's link on (the same address as before, if it had one)."""
    return _set_link(actor, enabled=True, renew=False, summary="openbare verloflink aangezet")


def public_link_renew(*, actor: Actor) -> PublicLeaveLink:
    """A new address: the old link stops working at once."""
    return _set_link(actor, enabled=True, renew=True, summary="openbare verloflink vernieuwd")


def public_link_disable(*, actor: Actor) -> PublicLeaveLink:
    return _set_link(actor, enabled=False, renew=False, summary="openbare verloflink uitgezet")


def link_for_token(token: str) -> PublicLeaveLink | None:
    """The switched-on link with this token (None for anything else, said the same way)."""
    if not token or len(token) > 64:
        return None
    return (
        PublicLeaveLink.objects.filter(token=token, enabled=True).select_related("school").first()
    )


# -- the parent's form -----------------------------------------------------------------------------


def rate_limited(ip: str | None, *, count: bool = True) -> bool:
    """Whether the address has used up its tries of this hour (``count``: this is one more)."""
    limit = settings.INBEELD_PUBLIC_LEAVE_PER_HOUR
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"inbeeld:public-leave:{hashlib.sha256((ip or '-').encode()).hexdigest()[:32]}:{hour}"
    if not count:
        return (cache.get(key) or 0) >= limit
    cache.add(key, 0, timeout=3600)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        used = 1
    return used > limit


@dataclass(frozen=True)
class Statement:
    """An accepted upload: its bytes, what its first bytes say it is, and its hash."""

    content: bytes
    content_type: str
    extension: str
    sha256: str


def check_statement(upload: UploadedFile | None) -> Statement | None:
    """The employer's statement if it is one Inbeeld accepts; ValidationError with the reason."""
    if upload is None:
        return None
    limit = settings.INBEELD_LEAVE_STATEMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("Het bestand is te groot: ten hoogste %(mb)s MB.")
            % {"mb": f"{limit / 1024 / 1024:.0f}"}
        )
    content = b"".join(upload.chunks())
    if len(content) > limit:
        raise ValidationError(
            _("Het bestand is te groot: ten hoogste %(mb)s MB.")
            % {"mb": f"{limit / 1024 / 1024:.0f}"}
        )
    if not content:
        raise ValidationError(_("Het bestand is leeg."))
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return Statement(content, content_type, extension, hashlib.sha256(content).hexdigest())
    raise ValidationError(_("Stuur de verklaring als PDF, JPEG of PNG."))


def _clean_text(value: object, *, field: str, label: str, required: bool, limit: int) -> str:
    text = value if isinstance(value, str) else ""
    text = " ".join(text.split())  # no line breaks or runs of spaces in a name or reason
    if "\x00" in text:
        raise ValidationError(
            {field: [_("%(label)s bevat een teken dat niet kan.") % {"label": label}]}
        )
    if required and not text:
        raise ValidationError({field: [_("Vul %(label)s in.") % {"label": label}]})
    if len(text) > limit:
        raise ValidationError(
            {
                field: [
                    _("%(label)s is te lang (ten hoogste %(n)s tekens).")
                    % {"label": label, "n": limit}
                ]
            }
        )
    return text


def check_submission(data: dict, statement: Statement | None, *, today: dt.date) -> dict:
    """Every field of the parent's form checked; ValidationError with one Dutch message per field
    that is wrong (all of them at once). ``data`` holds what the form parsed: dates as dates (or
    None), texts as texts."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    texts = (
        ("child_given_names", _("de voornaam of voornamen van het kind"), True, NAME_MAX),
        ("child_family_name", _("de achternaam van het kind"), True, NAME_MAX),
        ("parent_name", _("uw naam"), True, NAME_MAX),
        ("reason", _("de reden"), False, REASON_MAX),
    )
    for field, label, required, limit in texts:
        try:
            clean[field] = _clean_text(
                data.get(field), field=field, label=label, required=required, limit=limit
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    email = (
        (data.get("parent_email") or "").strip()
        if isinstance(data.get("parent_email"), str)
        else ""
    )
    try:
        if not email:
            raise ValidationError(_("Vul uw e-mailadres in."))
        if len(email) > 254:
            raise ValidationError(_("Dit e-mailadres is te lang."))
        validate_email(email)
        clean["parent_email"] = email
    except ValidationError:
        errors["parent_email"] = [
            _("Vul uw e-mailadres in.")
            if not email
            else _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")
        ]
    birth = data.get("child_birth_date")
    if not isinstance(birth, dt.date):
        errors["child_birth_date"] = [_("Vul de geboortedatum van het kind in, zoals 2015-03-10.")]
    elif not today.year - AGE_RANGE[1] <= birth.year <= today.year - AGE_RANGE[0]:
        errors["child_birth_date"] = [
            _("Deze geboortedatum past niet bij een leerplichtig kind; kijk haar na.")
        ]
    else:
        clean["child_birth_date"] = birth
    kind = data.get("kind")
    if kind not in rules_leave.KINDS:
        errors["kind"] = [_("Kies de soort verlof.")]
    else:
        clean["kind"] = kind
    start, end = data.get("start_date"), data.get("end_date")
    for field, day, label in (
        ("start_date", start, _("de eerste dag van het verlof")),
        ("end_date", end, _("de laatste dag van het verlof")),
    ):
        if not isinstance(day, dt.date):
            errors[field] = [_("Vul %(label)s in, zoals 2026-03-10.") % {"label": label}]
    if "start_date" not in errors and "end_date" not in errors:
        try:
            selectors.check_dates(start, end)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if start < today:
                errors["start_date"] = [
                    _("Verlof vraagt u vooraf aan: kies een dag vanaf vandaag.")
                ]
            else:
                clean["start_date"], clean["end_date"] = start, end
    if clean.get("kind") == rules_leave.HOLIDAY and statement is None and "statement" not in errors:
        errors["statement"] = [
            _("Voeg de verklaring van de werkgever toe: zonder kan vakantieverlof niet.")
        ]
    if (
        clean.get("kind") == rules_leave.WEIGHTY
        and not clean.get("reason")
        and "reason" not in errors
    ):
        errors["reason"] = [_("Geef de reden van het verlof in het kort.")]
    if errors:
        raise ValidationError(errors)
    return clean


def _unique_reference() -> str:
    reference = new_reference()
    while OnlineLeaveRequest.objects.filter(reference=reference).exists():
        reference = new_reference()
    return reference


@transaction.atomic
def _store(
    link: PublicLeaveLink,
    clean: dict,
    reference: str,
    statement: Statement | None,
    stored_name: str,
    ip: str | None,
) -> OnlineLeaveRequest:
    online = OnlineLeaveRequest(school=link.school, reference=reference, **clean)
    if statement is not None:
        online.statement.name = stored_name
        online.statement_content_type = statement.content_type
        online.statement_sha256 = statement.sha256
    online.full_clean(exclude=["statement"])
    online.save()
    # the school and the reference: never the child's name or date of birth (anyone may send this)
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        summary="online verlofaanvraag ontvangen via de openbare link",
        obj=online,
        organisation=link.school.organisation,
        ip=ip,
        detail={"reference": online.reference, "kind": online.kind, "statement": bool(statement)},
    )
    return online


def online_request_submit(
    *, link: PublicLeaveLink, data: dict, upload: UploadedFile | None, ip: str | None
) -> OnlineLeaveRequest:
    """Store what the parent sent (ValidationError per field: nothing is stored then) and send the
    receipt e-mail once it is stored."""
    errors: dict[str, list[str]] = {}
    statement = None
    try:
        statement = check_statement(upload)
    except ValidationError as error:
        errors["statement"] = error.messages
    try:
        clean = check_submission(data, statement, today=_today())
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    reference = _unique_reference()
    stored_name = ""
    if statement is not None:
        field = OnlineLeaveRequest._meta.get_field("statement")
        stored_name = field.storage.save(
            f"verlof/verklaringen/{reference}{statement.extension}",
            ContentFile(statement.content),
        )
    try:
        online = _store(link, clean, reference, statement, stored_name, ip)
    except Exception:
        if stored_name:  # nothing half-written: the file goes with the rolled-back row
            OnlineLeaveRequest._meta.get_field("statement").storage.delete(stored_name)
        raise
    transaction.on_commit(lambda: _send_receipt(online))
    return online


def _send_receipt(online: OnlineLeaveRequest) -> None:
    """The receipt to the parent: the reference, the school, the period; never the child's name
    (an e-mail address is easily mistyped)."""
    body = _(
        "Beste %(parent)s,\n\n"
        "%(school)s heeft uw verlofaanvraag ontvangen.\n\n"
        "Kenmerk: %(reference)s\n"
        "Periode: %(start)s tot en met %(end)s\n\n"
        "De school beslist over uw aanvraag en stuurt u het besluit. Noem het kenmerk als u contact "
        "opneemt met de school.\n\n"
        "Dit bericht is automatisch verstuurd; u kunt er niet op antwoorden."
    ) % {
        "parent": online.parent_name,
        "school": online.school.name,
        "reference": online.reference,
        "start": online.start_date.strftime("%d-%m-%Y"),
        "end": online.end_date.strftime("%d-%m-%Y"),
    }
    EmailMessage(
        subject=_("Ontvangstbevestiging verlofaanvraag %(reference)s")
        % {"reference": online.reference},
        body=body,
        to=[online.parent_email],
    ).send(fail_silently=True)


# -- the school takes it in ------------------------------------------------------------------------


def online_requests_visible_to(*, actor: Actor) -> QuerySet[OnlineLeaveRequest]:
    """What came in through the link of the actor's school (nothing for anyone else)."""
    if not actor.can(Permission.REGISTER_LEAVE_REQUEST):
        return OnlineLeaveRequest.objects.none()
    school = school_of(actor=actor)
    if school is None:
        return OnlineLeaveRequest.objects.none()
    return OnlineLeaveRequest.objects.filter(school=school).select_related(
        "school", "leave_request", "leave_request__student"
    )


def online_request_for(*, actor: Actor, pk: int) -> OnlineLeaveRequest | None:
    return online_requests_visible_to(actor=actor).filter(pk=pk).first()


def candidates_for(*, actor: Actor, online: OnlineLeaveRequest) -> list[Student]:
    """The school's own pupils with the child's date of birth, the best match by name first (the
    school decides which one it is; a parent may have mistyped a name)."""
    pupils = selectors.pupils_for_leave(actor=actor).filter(birth_date=online.child_birth_date)
    family = online.child_family_name.casefold()
    given = online.child_given_names.casefold().split()

    def score(pupil: Student) -> tuple[int, int, str]:
        same_family = (pupil.family_name or "").casefold() == family
        pupil_given = (pupil.given_names or "").casefold().split()
        same_given = bool(given and pupil_given and given[0] == pupil_given[0])
        return (-int(same_family), -int(same_given), pupil.full_name or "")

    return sorted(pupils[:50], key=score)


def pupil_by_number(*, actor: Actor, number: str) -> Student | None:
    """A pupil of the actor's school by its leerlingnummer (when no date of birth matched)."""
    number = (number or "").strip()
    if not number or len(number) > 64:
        return None
    return selectors.pupils_for_leave(actor=actor).filter(Q(external_id=number)).first()


def _open(actor: Actor, online: OnlineLeaveRequest) -> OnlineLeaveRequest:
    online = OnlineLeaveRequest.objects.select_for_update().get(pk=online.pk)
    if online_request_for(actor=actor, pk=online.pk) is None:
        raise PermissionDenied
    if online.state != OnlineState.ONGEKOPPELD:
        raise ValidationError(
            _("Deze online aanvraag is al behandeld (%(state)s).")
            % {"state": online.get_state_display()}
        )
    return online


@transaction.atomic
def online_request_link(
    *, actor: Actor, online: OnlineLeaveRequest, student: Student
) -> LeaveRequest:
    """Register the leave request for ``student`` (a pupil of the actor's school) from what the
    parent sent, with the law's assessment; it is then decided as any leave request."""
    online = _open(actor, online)
    leave = services.leave_request_register(
        actor=actor,
        student=student,
        kind=online.kind,
        start_date=online.start_date,
        end_date=online.end_date,
        reason=online.reason,
        employer_statement=online.kind == LeaveKind.HOLIDAY and bool(online.statement),
        requested_on=timezone.localdate(online.submitted_at),
    )
    online.state = OnlineState.GEKOPPELD
    online.leave_request = leave
    online.handled_by = actor.stored_user
    online.handled_on = _today()
    online.save(update_fields=["state", "leave_request", "handled_by", "handled_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"online verlofaanvraag {online.reference} gekoppeld aan een leerling",
        obj=online,
        student=student,
        detail={"leave_request": leave.pk},
    )
    return leave


@transaction.atomic
def online_request_refuse(
    *, actor: Actor, online: OnlineLeaveRequest, note: str
) -> OnlineLeaveRequest:
    """The school does not take it on (no such pupil, sent twice, …): the parent is told why."""
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError({"note": [_("Geef de reden; de ouder krijgt haar per e-mail.")]})
    if len(note) > 1000:
        raise ValidationError({"note": [_("De reden is te lang (ten hoogste 1000 tekens).")]})
    online = _open(actor, online)
    online.state = OnlineState.GEWEIGERD
    online.refusal_note = note
    online.handled_by = actor.stored_user
    online.handled_on = _today()
    online.save(update_fields=["state", "refusal_note", "handled_by", "handled_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"online verlofaanvraag {online.reference} niet in behandeling genomen",
        obj=online,
    )
    body = _(
        "Beste %(parent)s,\n\n"
        "%(school)s kan uw verlofaanvraag met kenmerk %(reference)s niet in behandeling nemen:\n"
        "%(note)s\n\nNeem zo nodig contact op met de school."
    ) % {
        "parent": online.parent_name,
        "school": online.school.name,
        "reference": online.reference,
        "note": note,
    }
    message = EmailMessage(
        subject=_("Uw verlofaanvraag %(reference)s") % {"reference": online.reference},
        body=body,
        to=[online.parent_email],
    )
    transaction.on_commit(lambda: message.send(fail_silently=True))
    return online


@transaction.atomic
def online_request_send_decision(
    *,
    actor: Actor,
    leave: LeaveRequest,
    letter_id: int,
    pdf: bytes,
    filename: str,
) -> OnlineLeaveRequest:
    """E-mail the decision letter (its PDF, made by the correspondence app for ``leave``) to the
    parent who asked online: by whoever decided it (the school, or leerplicht beyond ten school
    days), for a decided request the actor sees that came in online."""
    require_permission(actor, Permission.DECIDE_LEAVE)
    if selectors.leave_request_for(actor=actor, pk=leave.pk) is None:
        raise PermissionDenied
    online = OnlineLeaveRequest.objects.select_for_update().filter(leave_request=leave).first()
    if online is None:
        raise ValidationError(_("Deze verlofaanvraag kwam niet online binnen: geef de brief mee."))
    if leave.is_open:
        raise ValidationError(_("Over deze verlofaanvraag is nog niet beslist."))
    message = EmailMessage(
        subject=_("Besluit op uw verlofaanvraag %(reference)s") % {"reference": online.reference},
        body=_(
            "Beste %(parent)s,\n\nIn de bijlage vindt u het besluit van %(school)s op uw "
            "verlofaanvraag met kenmerk %(reference)s.\n\nDit bericht is automatisch verstuurd; u "
            "kunt er niet op antwoorden."
        )
        % {
            "parent": online.parent_name,
            "school": online.school.name,
            "reference": online.reference,
        },
        to=[online.parent_email],
    )
    message.attach(filename, pdf, "application/pdf")
    online.letter_sent = letter_id
    online.letter_sent_at = timezone.now()
    online.save(update_fields=["letter_sent", "letter_sent_at"])
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        summary=f"besluit op online verlofaanvraag {online.reference} per e-mail naar de ouder",
        obj=online,
        student=leave.student,
        detail={"letter": letter_id},
    )
    transaction.on_commit(lambda: message.send(fail_silently=False))
    return online


def statement_download(*, actor: Actor, pk: int) -> tuple[OnlineLeaveRequest, bytes] | None:
    """The employer's statement of an online request of the actor's school, recorded."""
    online = online_request_for(actor=actor, pk=pk)
    if online is None or not online.statement:
        return None
    with online.statement.open("rb") as handle:
        content = handle.read()
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        summary=f"werkgeversverklaring van online verlofaanvraag {online.reference} gedownload",
        obj=online,
        student=online.leave_request.student if online.leave_request else None,
    )
    return online, content
