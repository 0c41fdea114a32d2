"""Reads of concerns and matches, limited to the acting organisation.

An organisation sees its own concerns (with the child: it is involved). Of another organisation's
concern it sees nothing, except through a match with one of its own: then the other organisation's
name, the life domain, whether it is urgent, and the contact details. Nothing more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.concerns.models import Concern, Match, active_on


def _today() -> dt.date:
    return timezone.localdate()


def concerns_of(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Concern]:
    """The acting organisation's active concerns, newest first."""
    if not actor.can(Permission.REGISTER_CONCERN):
        return Concern.objects.none()
    on = on or _today()
    return (
        Concern.objects.filter(active_on(on), organisation=actor.organisation)
        .select_related("student", "user")
        .order_by("-registered_on", "-id")
    )


def concern_of(*, actor: Actor, pk: int) -> Concern | None:
    """One of the acting organisation's concerns (active or not, until deleted), or None."""
    if not actor.can(Permission.REGISTER_CONCERN):
        return None
    return (
        Concern.objects.filter(pk=pk, organisation=actor.organisation)
        .select_related("student", "organisation", "user")
        .first()
    )


@dataclass(frozen=True)
class MatchView:
    """A match as one side sees it: its own concern, and of the other side only what it may."""

    id: int
    created_at: dt.datetime
    own: Concern
    other_organisation: str
    other_domain: str
    other_domain_label: str
    other_urgent: bool
    other_contact_name: str
    other_contact_phone: str
    other_contact_email: str
    other_system: bool


def _view(match: Match, organisation_id: int) -> MatchView:
    own, other = (
        (match.concern_a, match.concern_b)
        if match.concern_a.organisation_id == organisation_id
        else (match.concern_b, match.concern_a)
    )
    return MatchView(
        id=match.pk,
        created_at=match.created_at,
        own=own,
        other_organisation=other.organisation.name,
        other_domain=other.domain,
        other_domain_label=str(other.get_domain_display()),
        other_urgent=other.urgent,
        other_contact_name=other.contact_name,
        other_contact_phone=other.contact_phone,
        other_contact_email=other.contact_email,
        other_system=other.system,
    )


def matches_of(*, actor: Actor, on: dt.date | None = None) -> list[MatchView]:
    """The matches of the acting organisation's concerns while both concerns are active."""
    if not actor.can(Permission.REGISTER_CONCERN):
        return []
    on = on or _today()
    organisation = actor.organisation
    matches = (
        Match.objects.filter(
            Q(concern_a__organisation=organisation) | Q(concern_b__organisation=organisation)
        )
        .filter(active_on(on, "concern_a__") & active_on(on, "concern_b__"))
        .select_related(
            "concern_a__organisation",
            "concern_b__organisation",
            "concern_a__student",
            "concern_b__student",
        )
        .order_by("-created_at", "-id")
    )
    return [_view(m, organisation.pk) for m in matches]


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
