"""Who is acting: a user, for one organisation, with the permissions of their roles there."""

from __future__ import annotations

from dataclasses import dataclass, field

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.accounts.permissions import Permission, permissions_of


@dataclass(frozen=True)
class Actor:
    user: User
    organisation: Organisation
    roles: tuple[str, ...]
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    ip: str | None = None

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def stored_user(self) -> User | None:
        """The user to store with what they did: None for the system's own actor (an unsaved
        user, as detection and the demo act)."""
        return self.user if getattr(self.user, "pk", None) else None

    @classmethod
    def for_membership(cls, memberships: list[Membership], ip: str | None = None) -> Actor:
        """All active memberships of one user at one organisation combined."""
        first = memberships[0]
        roles = tuple(sorted({m.role for m in memberships}))
        permissions: frozenset[Permission] = frozenset().union(*(permissions_of(r) for r in roles))
        return cls(first.user, first.organisation, roles, permissions, ip)
