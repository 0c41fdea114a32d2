"""Reads of concerns and matches, limited to the acting organisation.

An organisation sees its own concerns as it registered them: the BSN and birth date it entered,
and the child's name only when the child is in its sight anyway (its own scope or a case team:
``student_in_sight``). A concern never gives sight of the child, nor tells whether the child is
in Inbeeld (issue 9). Of another organisation's concern it sees nothing, except through a match
with one of its own: then the other organisation's name, the life domain, whether it is urgent,
and the contact details. Nothing more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.concerns.models import Concern, Match, active_on
from inbeeld.people.models import Student
from inbeeld.people.selectors import student_for, student_scope


def _today() -> dt.date:
    return timezone.localdate()


class StudentNotFoundError(ValidationError):
    """No child in the actor's sight with this id (out of sight and unknown answer the same)."""


def require_concern_permission(actor: Actor) -> None:
    """Refuse an actor whose role may not register concerns (the permission, not a role name)."""
    if not actor.can(Permission.REGISTER_CONCERN):
        raise PermissionDenied(_("Uw rol geeft geen toestemming om een zorg te melden."))


def student_visible(*, actor: Actor, student_id: int) -> Student:
    """A child the actor may see (their page shows "Zorg melden")."""
    require_concern_permission(actor)
    student = student_for(actor=actor, pk=student_id)
    if student is None:
        raise StudentNotFoundError(_("Er is geen leerling met dit nummer die u mag zien."))
    return student


def child_of(*, bsn: str, birth_date: dt.date | None) -> Student | None:
    """The child with this BSN *and* this birth date, if Inbeeld knows it (for linking only: never
    shown to whoever entered them)."""
    if not bsn or birth_date is None:
        return None
    return Student.objects.filter(bsn=bsn, birth_date=birth_date).first()


def in_sight(*, actor: Actor, via: str) -> Expression:
    """True where the child at ``via`` (a path to a student) is one the actor may see anyway."""
    scope = student_scope(actor=actor, via=via)
    if scope is None:
        return Value(False)
    return Case(
        When(Q(**{f"{via}__isnull": False}) & scope, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _own(actor: Actor) -> QuerySet[Concern]:
    return (
        Concern.objects.filter(organisation=actor.organisation)
        .annotate(student_in_sight=in_sight(actor=actor, via="student"))
        .select_related("student", "organisation", "user")
    )


def concerns_of(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Concern]:
    """The acting organisation's active concerns, newest first (linked to a child or not)."""
    if not actor.can(Permission.REGISTER_CONCERN):
        return Concern.objects.none()
    on = on or _today()
    return _own(actor).filter(active_on(on)).order_by("-registered_on", "-id")


def concern_of(*, actor: Actor, pk: int) -> Concern | None:
    """One of the acting organisation's concerns (active or not, until deleted), or None."""
    if not actor.can(Permission.REGISTER_CONCERN):
        return None
    return _own(actor).filter(pk=pk).first()


@dataclass(frozen=True)
class MatchView:
    """A match as one side sees it: its own concern, and of the other side only what it may."""

    id: int
    created_at: dt.datetime
    own: Concern
    #: whether the actor may see the child anyway (then the match names it and offers a case)
    in_sight: bool
    other_organisation: str
    other_domain: str
    other_domain_label: str
    other_urgent: bool
    other_contact_name: str
    other_contact_phone: str
    other_contact_email: str
    other_system: bool
    #: a concern of the system: the leerplicht team's address (from its organisation's settings)
    other_contact_address: str = ""


def _view(match: Match, organisation_id: int) -> MatchView:
    own, other = (
        (match.concern_a, match.concern_b)
        if match.concern_a.organisation_id == organisation_id
        else (match.concern_b, match.concern_a)
    )
    own.student_in_sight = bool(match.student_in_sight)
    name, phone, email, address = other.contact_name, other.contact_phone, other.contact_email, ""
    if other.system:
        # nobody registered it: whoever has the match reaches the gemeente's leerplicht team
        team = other.organisation
        name = _("Leerplicht %(organisation)s") % {"organisation": team.name}
        phone, email, address = team.contact_phone, team.contact_email, team.contact_address
    return MatchView(
        id=match.pk,
        created_at=match.created_at,
        own=own,
        in_sight=bool(match.student_in_sight),
        other_organisation=other.organisation.name,
        other_domain=other.domain,
        other_domain_label=str(other.get_domain_display()),
        other_urgent=other.urgent,
        other_contact_name=name,
        other_contact_phone=phone,
        other_contact_email=email,
        other_system=other.system,
        other_contact_address=address,
    )


def matches_of(*, actor: Actor, on: dt.date | None = None) -> list[MatchView]:
    """The matches of the acting organisation's concerns while both concerns are active."""
    if not actor.can(Permission.REGISTER_CONCERN):
        return []
    return [_view(m, actor.organisation.pk) for m in _matches(actor=actor, on=on or _today())]


def _matches(*, actor: Actor, on: dt.date) -> QuerySet[Match]:
    organisation = actor.organisation
    return (
        Match.objects.filter(
            Q(concern_a__organisation=organisation) | Q(concern_b__organisation=organisation)
        )
        .filter(active_on(on, "concern_a__") & active_on(on, "concern_b__"))
        .annotate(student_in_sight=in_sight(actor=actor, via="student"))
        .select_related(
            "concern_a__organisation",
            "concern_b__organisation",
            "concern_a__student",
            "concern_b__student",
        )
        .order_by("-created_at", "-id")
    )


#: a match is "new" (on "Vandaag") this many days after it was made
NEW_MATCH_DAYS = 14


def new_matches_of(*, actor: Actor, on: dt.date | None = None, limit: int | None = None):
    """ "Vandaag": the matches of the last :data:`NEW_MATCH_DAYS` days (as :func:`matches_of`),
    newest first, at most ``limit``; and how many there are."""
    if not actor.can(Permission.REGISTER_CONCERN):
        return [], 0
    on = on or _today()
    since = timezone.make_aware(
        dt.datetime.combine(on - dt.timedelta(days=NEW_MATCH_DAYS), dt.time.min)
    )
    rows = _matches(actor=actor, on=on).filter(created_at__gte=since)
    shown = rows[:limit] if limit is not None else rows
    return [_view(m, actor.organisation.pk) for m in shown], rows.count()


def organisations_matched_about(
    *, organisation_id: int, student_id: int, on: dt.date | None = None
) -> set[int]:
    """The other organisations with which this organisation has a match about this child, both
    concerns active (what the child's access history may show of their concern rows)."""
    on = on or _today()
    pairs = Match.objects.filter(
        Q(concern_a__organisation_id=organisation_id)
        | Q(concern_b__organisation_id=organisation_id),
        active_on(on, "concern_a__") & active_on(on, "concern_b__"),
        student_id=student_id,
    ).values_list("concern_a__organisation_id", "concern_b__organisation_id")
    return {org for pair in pairs for org in pair} - {organisation_id}
