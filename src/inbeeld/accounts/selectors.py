"""Reads about organisations, memberships and personal tokens.

The ``*_for`` / ``*_of_organisation`` readers take the actor and return only what belongs to the
organisation the actor acts for: a functioneel beheerder of one organisation never reads another's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import (
    Membership,
    Organisation,
    PersonalToken,
    RoleGrantRequest,
    RoleGrantState,
    User,
)
from inbeeld.accounts.permissions import Permission, permissions_of


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, active=True).select_related("organisation")


def organisations_of(*, user: User) -> list[Organisation]:
    """The organisations a user works for, each once."""
    seen: dict[int, Organisation] = {}
    for membership in memberships_of(user=user):
        seen.setdefault(membership.organisation_id, membership.organisation)
    return sorted(seen.values(), key=lambda o: o.name)


def actor_of_username(username: str) -> Actor | None:
    """The actor of a user who works for one organisation, with all their active roles there
    (the demo's stories act as the demo users); None for an unknown or inactive user."""
    memberships = list(
        Membership.objects.filter(user__username=username, active=True).select_related(
            "user", "organisation"
        )
    )
    return Actor.for_membership(memberships) if memberships else None


def members_who_may(organisation: Organisation | None, permission: Permission) -> list[User]:
    """The active people of an organisation whose roles there give them ``permission``."""
    if organisation is None:
        return []
    memberships = Membership.objects.filter(
        organisation=organisation, active=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships if permission in permissions_of(m.role)]


@dataclass(frozen=True)
class Person:
    """A user as the beheerder of one organisation sees them: only that organisation's roles."""

    user: User
    memberships: tuple[Membership, ...]

    @property
    def active_memberships(self) -> tuple[Membership, ...]:
        return tuple(m for m in self.memberships if m.active)

    @property
    def inactive_memberships(self) -> tuple[Membership, ...]:
        return tuple(m for m in self.memberships if not m.active)


def people_of_organisation(*, actor: Actor) -> list[Person]:
    """Everyone who has (or had) a role at the actor's organisation, with those roles only."""
    here = Membership.objects.filter(organisation=actor.organisation).order_by("role")
    users = (
        User.objects.filter(memberships__organisation=actor.organisation)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="here"))
        .order_by("last_name", "first_name", "username")
    )
    return [Person(user=user, memberships=tuple(user.here)) for user in users]


def person_for(*, actor: Actor, user_id: int) -> Person | None:
    """One person of the actor's organisation (None when they have no role there: answer 404)."""
    memberships = tuple(
        Membership.objects.filter(organisation=actor.organisation, user_id=user_id)
        .select_related("user")
        .order_by("role")
    )
    if not memberships:
        return None
    return Person(user=memberships[0].user, memberships=memberships)


def membership_for(*, actor: Actor, pk: int) -> Membership | None:
    """One membership of the actor's organisation (None otherwise: the view answers 404)."""
    return (
        Membership.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("user", "organisation")
        .first()
    )


def personal_tokens_of(*, actor: Actor) -> QuerySet[PersonalToken]:
    """The actor's own tokens at the organisation they act for, newest first."""
    return (
        PersonalToken.objects.filter(
            membership__user=actor.user, membership__organisation=actor.organisation
        )
        .select_related("membership")
        .order_by("-created_at", "-id")
    )


def personal_token_for(*, actor: Actor, pk: int) -> PersonalToken | None:
    """One of the actor's own tokens (None for anyone else's: the view answers 404)."""
    return personal_tokens_of(actor=actor).filter(pk=pk).first()


def pending_role_requests(*, actor: Actor) -> QuerySet[RoleGrantRequest]:
    """The roles that wait for a second beheerder at the actor's organisation, oldest first."""
    return (
        RoleGrantRequest.objects.filter(
            organisation=actor.organisation, state=RoleGrantState.PENDING
        )
        .select_related("user", "requested_by")
        .order_by("requested_at", "id")
    )


def role_grant_request_for(*, actor: Actor, pk: int) -> RoleGrantRequest | None:
    """One role request of the actor's organisation (None otherwise: the view answers 404)."""
    return (
        RoleGrantRequest.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("user", "organisation", "requested_by")
        .first()
    )
