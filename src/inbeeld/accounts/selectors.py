"""Reads about organisations and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from inbeeld.accounts.models import Membership, Organisation, User


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, active=True).select_related("organisation")


def organisations_of(*, user: User) -> list[Organisation]:
    """The organisations a user works for, each once."""
    seen: dict[int, Organisation] = {}
    for membership in memberships_of(user=user):
        seen.setdefault(membership.organisation_id, membership.organisation)
    return sorted(seen.values(), key=lambda o: o.name)
