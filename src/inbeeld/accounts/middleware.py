"""Puts ``request.actor`` on every request: the user, the organisation they act for, and the
permissions of their roles there. A user with one organisation acts for it; with several, for the
one chosen (kept in the session) until they choose another."""

from __future__ import annotations

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.client_ip import client_ip
from inbeeld.accounts.selectors import memberships_of

SESSION_KEY = "acting_organisation_id"


def actor_for(request) -> Actor | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = list(memberships_of(user=user))
    if not memberships:
        return None
    by_org: dict[int, list] = {}
    for membership in memberships:
        by_org.setdefault(membership.organisation_id, []).append(membership)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen not in by_org:
        if len(by_org) != 1:
            return None  # must choose first
        chosen = next(iter(by_org))
    return Actor.for_membership(by_org[chosen], ip=client_ip(request))


class ActingOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_for(request)
        return self.get_response(request)
