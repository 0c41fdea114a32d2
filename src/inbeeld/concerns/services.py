"""Registering and withdrawing concerns, matching them, and the system's own concerns (issue 4 §1).

Every write is keyword-only, runs in one transaction and appends its audit event in it. Nothing
here ever stores or sends the content of a worry: there is none to store. E-mails about a match
carry no name of a child (e-mail is not a safe channel); the link leads into the application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, Organisation, OrganisationType
from inbeeld.accounts.permissions import Permission, permissions_of
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.concerns import selectors
from inbeeld.concerns.models import (
    ACTIVE_YEARS,
    KEEP_YEARS,
    Concern,
    Domain,
    Match,
    SystemConcernCandidate,
    active_on,
    add_years,
)
from inbeeld.concerns.registration import Registration, clean_registration
from inbeeld.notifications.models import NotificationKind
from inbeeld.notifications.services import notify
from inbeeld.people.models import Student
from inbeeld.people.selectors import student_for

CHUNK = 500


def _today() -> dt.date:
    return timezone.localdate()


# -- registering and withdrawing ------------------------------------------------------------------


def _duplicate(*, actor: Actor, entered: Registration, student: Student | None, on: dt.date):
    """The organisation's own active concern about what was entered, in the same life domain.

    By what the organisation itself entered (or saw, for a child in its sight), never by who the
    registry says the child is: the answer tells nothing the organisation did not know."""
    same = Q(bsn=entered.bsn, birth_date=entered.birth_date) if entered.bsn else Q(pk__in=[])
    if student is not None:
        same |= Q(student=student)
    return Concern.objects.filter(
        same, active_on(on), organisation=actor.organisation, domain=entered.domain
    ).exists()


@transaction.atomic
def concern_register(*, actor: Actor, on: dt.date | None = None, **entered: Any) -> Concern:
    """Register the acting organisation's concern about a child, match it with the active concerns
    of other organisations about the same child and tell both sides at once.

    ``entered`` are the fields of :func:`concerns.registration.clean_registration`, as entered:
    the child by ``student_id`` (a child the actor may see) or by ``bsn`` and ``birth_date``;
    ``domain``, ``urgent``, ``contact_name``, ``contact_phone``, ``contact_email``. Every field is
    checked first and all problems are reported at once; only then is the child looked up. A
    registration whose BSN and birth date belong to no child in Inbeeld is stored all the same
    and linked when the child appears (:mod:`concerns.linking`). Either way the registering
    organisation gets the same answer and no sight of the child (issue 9): only a match tells it,
    and the other side, who else is involved and how to reach them.
    """
    selectors.require_concern_permission(actor)
    on = on or _today()
    checked, errors = clean_registration(on=on, **entered)
    in_sight = None
    if checked.student_id is not None:
        in_sight = student_for(actor=actor, pk=checked.student_id)
        if in_sight is None:
            errors.setdefault("student", []).append(
                _("Er is geen leerling met dit nummer die u mag zien.")
            )
        else:  # what the organisation sees of its own child is what it "entered"
            checked = replace(checked, bsn=in_sight.bsn or "", birth_date=in_sight.birth_date)
    if errors:
        raise ValidationError(errors)
    if _duplicate(actor=actor, entered=checked, student=in_sight, on=on):
        raise ValidationError(
            {
                "domain": _(
                    "Uw organisatie heeft al een actieve zorg over deze leerling in dit "
                    "levensdomein."
                )
            }
        )
    concern = Concern(
        organisation=actor.organisation,
        user=actor.user,
        bsn=checked.bsn,
        birth_date=checked.birth_date,
        domain=checked.domain,
        urgent=checked.urgent,
        contact_name=checked.contact_name,
        contact_phone=checked.contact_phone,
        contact_email=checked.contact_email,
        registered_on=on,
        active_until=add_years(on, ACTIVE_YEARS),
        delete_after=add_years(on, KEEP_YEARS),
    )
    concern.full_clean(exclude=["student"])  # all checked above: nothing here may tell anything
    # only now, with every field in order, is the child looked up
    concern.student = in_sight or selectors.child_of(bsn=checked.bsn, birth_date=checked.birth_date)
    concern.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"zorg geregistreerd ({checked.domain}{', urgent' if checked.urgent else ''})",
        obj=concern,
        student=concern.student,
        detail={"domain": checked.domain, "urgent": checked.urgent},
    )
    concern.new_matches = match_concern(concern, on=on, actor=actor)
    return concern


@transaction.atomic
def concern_withdraw(*, actor: Actor, concern: Concern, on: dt.date | None = None) -> Concern:
    """Withdraw one of the own organisation's concerns: from the day after it no longer matches."""
    selectors.require_concern_permission(actor)
    if concern.organisation_id != actor.organisation.pk:
        raise PermissionDenied(_("Deze zorg is niet van uw organisatie."))
    on = on or _today()
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.withdrawn_on is not None:
        raise ValidationError(_("Deze zorg is al ingetrokken."))
    concern.withdrawn_on = on
    concern.save(update_fields=["withdrawn_on"])
    audit_record(
        actor=actor,
        action=AuditAction.REVOKE,
        summary="zorg ingetrokken",
        obj=concern,
        student=concern.student,
    )
    return concern


# -- matching -------------------------------------------------------------------------------------


def match_concern(concern: Concern, *, on: dt.date, actor: Actor | None) -> list[Match]:
    """Match a concern just registered or linked with the active concerns of other organisations
    about the same child (once per pair), and tell both sides. A concern not linked to a child
    matches nothing (the same query runs: no branch to time)."""
    others = (
        Concern.objects.filter(active_on(on), student_id=concern.student_id or 0)
        .exclude(organisation_id=concern.organisation_id)
        .exclude(pk=concern.pk)
        .select_related("organisation", "user")
    )
    created = []
    for other in others:
        first, second = sorted((concern, other), key=lambda c: c.pk)
        match, made = Match.objects.get_or_create(
            concern_a=first, concern_b=second, defaults={"student_id": concern.student_id}
        )
        if not made:
            continue
        created.append(match)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=(
                f"match tussen zorgen van {first.organisation.name} en {second.organisation.name}"
            ),
            obj=match,
            student=concern.student,
            detail={"concerns": [first.pk, second.pk]},
        )
        _tell(match, first, second)
    return created


def _people_to_tell(concern: Concern) -> list[Any]:
    """The one who registered the concern and the active members of its organisation who work on
    cases (the permission, never a role name)."""
    roles = [
        role
        for role in Membership.objects.filter(organisation_id=concern.organisation_id, active=True)
        .values_list("role", flat=True)
        .distinct()
        if Permission.WORK_ON_CASES in permissions_of(role)
    ]
    members = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=concern.organisation_id, active=True, role__in=roles
        )
        .select_related("user")
        .order_by("user_id")
    ]
    return [concern.user, *members]


def _tell(match: Match, first: Concern, second: Concern) -> None:
    url = reverse("concerns:index") + f"#match-{match.pk}"
    title = _("Match: een andere organisatie is ook betrokken bij een leerling")
    for own, other in ((first, second), (second, first)):
        body = _(
            "%(organisation)s heeft ook een zorg geregistreerd over een leerling over wie uw "
            "organisatie een zorg heeft gemeld. Open Inbeeld om te zien om welke leerling het "
            "gaat en hoe u de andere organisatie bereikt. Dit bericht bevat bewust geen naam."
        ) % {"organisation": other.organisation.name}
        notify(
            users=_people_to_tell(own),
            kind=NotificationKind.MATCH,
            title=title,
            body=body,
            url=url,
            organisation=own.organisation,
            dedupe_key=f"match:{match.pk}",
        )


# -- the system's own concerns: long absence ------------------------------------------------------


def _chunks(values: list[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@transaction.atomic
def register_system_concerns(*, on: dt.date, candidates: Iterable[SystemConcernCandidate]) -> int:
    """Register, once, an urgent concern of the gemeente (domain school) for every candidate
    (detection passes an ``lrv`` or ``16_uur`` melding, a child in absoluut verzuim for more than
    three months: ``attendance.selectors.system_concern_candidates``).

    Idempotent, so running it twice, or again after a failed run, adds nothing twice: the same
    ``key`` never gives a second concern, and while the gemeente has a system concern about a
    child (active, or withdrawn after the absence it covered) nothing new is registered for
    absence it already covers. A child whose municipality has no gemeente in Inbeeld is skipped.
    A system concern matches like any other. Returns how many concerns were registered.
    """
    candidates = list(candidates)
    if not candidates:
        return 0
    new = _system_concerns_to_add(candidates, on=on)
    if not new:
        return 0
    created = _store_system_concerns(new)
    by_reason: dict[str, int] = {}
    for concern in created:
        by_reason[concern.system_reason] = by_reason.get(concern.system_reason, 0) + 1
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        summary=f"{len(created)} zorgen geregistreerd door het systeem (langdurig verzuim)",
        detail={"on": on.isoformat(), "by_reason": by_reason},
    )
    _match_system_concerns(created, on=on)
    return len(created)


def _system_concerns_to_add(
    candidates: list[SystemConcernCandidate], *, on: dt.date
) -> list[Concern]:
    """The concerns (unsaved) the candidates give: one per key not registered before, for a child
    whose gemeente is in Inbeeld and whose absence no system concern of it covers yet."""
    student_ids = sorted({c.student_id for c in candidates})
    municipality: dict[int, str] = {}
    identity: dict[int, tuple[str, dt.date]] = {}
    for chunk in _chunks(student_ids):
        for pk, code, bsn, birth_date in Student.objects.filter(pk__in=chunk).values_list(
            "pk", "municipality_code", "bsn", "birth_date"
        ):
            municipality[pk] = code
            identity[pk] = (bsn or "", birth_date)
    gemeenten = dict(
        Organisation.objects.filter(type=OrganisationType.GEMEENTE).values_list("code", "pk")
    )
    keys, covered = _system_concerns_registered(student_ids)
    active_until = add_years(on, ACTIVE_YEARS)
    new: list[Concern] = []
    for candidate in sorted(candidates, key=lambda c: (c.about, c.key)):
        student = candidate.student_id
        organisation = gemeenten.get(municipality.get(student, ""))
        if organisation is None or candidate.key in keys:
            continue
        if candidate.about <= covered.get((student, organisation), dt.date.min):
            continue
        keys.add(candidate.key)
        covered[(student, organisation)] = active_until
        new.append(
            Concern(
                student_id=student,
                bsn=identity[student][0],
                birth_date=identity[student][1],
                organisation_id=organisation,
                user=None,
                domain=Domain.SCHOOL,
                urgent=True,
                contact_name=_("Leerplicht"),
                registered_on=on,
                active_until=active_until,
                delete_after=add_years(on, KEEP_YEARS),
                system=True,
                system_reason=candidate.reason,
                system_key=candidate.key,
            )
        )
    return new


def _system_concerns_registered(
    student_ids: list[int],
) -> tuple[set[str], dict[tuple[int, int], dt.date]]:
    """The keys of the system concerns already registered about these children, and per child and
    gemeente the last day of absence they cover (the day withdrawn, or the end of being active)."""
    keys: set[str] = set()
    covered: dict[tuple[int, int], dt.date] = {}
    for chunk in _chunks(student_ids):
        for student, organisation, key, until, withdrawn in Concern.objects.filter(
            system=True, student_id__in=chunk
        ).values_list(
            "student_id", "organisation_id", "system_key", "active_until", "withdrawn_on"
        ):
            keys.add(key)
            end = withdrawn or until
            if end > covered.get((student, organisation), dt.date.min):
                covered[(student, organisation)] = end
    return keys, covered


def _store_system_concerns(new: list[Concern]) -> list[Concern]:
    """Insert the new system concerns at once, each with its primary key afterwards."""
    created = Concern.objects.bulk_create(new, batch_size=CHUNK)
    if created and created[0].pk is None:  # a backend that does not return keys
        ids = dict(
            Concern.objects.filter(system_key__in=[c.system_key for c in created]).values_list(
                "system_key", "pk"
            )
        )
        for concern in created:
            concern.pk = ids[concern.system_key]
    return created


def _match_system_concerns(created: list[Concern], *, on: dt.date) -> None:
    """Match the new system concerns with the active concerns of other organisations about the same
    children (few: one query finds the children that have any)."""
    new_ids = {c.pk for c in created}
    by_student: dict[int, list[Concern]] = {c.student_id: [] for c in created}
    for concern in created:
        by_student[concern.student_id].append(concern)
    other_students: set[int] = set()
    for chunk in _chunks(sorted(by_student)):
        other_students.update(
            Concern.objects.filter(active_on(on), student_id__in=chunk)
            .exclude(pk__in=new_ids)
            .values_list("student_id", flat=True)
        )
    for student in sorted(other_students):
        for concern in by_student[student]:
            concern.organisation = Organisation.objects.get(pk=concern.organisation_id)
            concern.student = Student.objects.get(pk=student)
            match_concern(concern, on=on, actor=None)


@transaction.atomic
def letter_viewed(*, actor: Actor, concern: Concern) -> None:
    """Record that the letter to the parents was shown (naming the child when it showed its name:
    only to an organisation that may see the child, ``selectors.concern_of``)."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary="brief aan ouders over een zorg getoond",
        obj=concern,
        student=concern.student if getattr(concern, "student_in_sight", False) else None,
    )
