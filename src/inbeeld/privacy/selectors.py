"""Reads for the privacy officer (issue 9): which children of the organisation's scope, who looked
at them, unusual access by the organisation's own users, and everything the organisation holds
about one child (the AVG inzage export).

The privacy officer's role sees no child's page and no worklist. What "the organisation holds" is
what any role of the organisation may see: :func:`organisation_wide` is the actor with the
permissions of every role the organisation's type can have, for reading only, after the officer's
own permission was checked. Every read here goes through the scoped selectors of the apps.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, User
from inbeeld.accounts.permissions import Permission, permissions_of
from inbeeld.accounts.services import ROLES_BY_ORGANISATION_TYPE
from inbeeld.attendance.models import Melding, StudentStatus
from inbeeld.attendance.selectors import access_history_for as attendance_access_history
from inbeeld.attendance.selectors import students_matching
from inbeeld.audit.models import AuditEvent
from inbeeld.audit.services import REFUSED
from inbeeld.cases.selectors import cases_for, notes_for
from inbeeld.concerns.models import Concern
from inbeeld.concerns.selectors import matches_of
from inbeeld.exemptions.selectors import exemption_requests_visible_to
from inbeeld.leave.selectors import leave_requests_visible_to
from inbeeld.people.models import Student
from inbeeld.people.selectors import student_for


def organisation_wide(actor: Actor) -> Actor:
    """The actor's organisation seen as a whole: the permissions of every role its type can have,
    to read what the organisation holds. Only for reads, only
    after ``REVIEW_ACCESS`` or ``EXPORT_SUBJECT_DATA`` was checked."""
    roles = tuple(sorted(ROLES_BY_ORGANISATION_TYPE.get(actor.organisation.type, frozenset())))
    permissions = frozenset().union(*(permissions_of(r) for r in roles))
    return Actor(actor.user, actor.organisation, roles, permissions, actor.ip)


def access_history_for(*, actor: Actor, student: Student) -> list:
    """The child's access history as the officer's organisation may know it: the same rule as on
    the child's page (docs/audit.md), here for a child the officer found in the scope."""
    return attendance_access_history(actor=actor, student=student, limit=1000)


def may_review(actor: Actor) -> bool:
    return actor.can(Permission.REVIEW_ACCESS) or actor.can(Permission.EXPORT_SUBJECT_DATA)


def child_for_review(*, actor: Actor, pk: int) -> Student | None:
    """One child of the organisation's scope (None otherwise: the view answers 404)."""
    if not may_review(actor):
        return None
    return student_for(actor=organisation_wide(actor), pk=pk)


def children_matching(*, actor: Actor, query: str) -> list[Student]:
    """Children of the organisation's scope by name, BSN or student number."""
    if not may_review(actor):
        return []
    return students_matching(actor=organisation_wide(actor), query=query)


# -- unusual access ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """When access is unusual (settings ``INBEELD_UNUSUAL_ACCESS_*``, in one place)."""

    children: int
    window: dt.timedelta
    days: int

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            children=settings.INBEELD_UNUSUAL_ACCESS_CHILDREN,
            window=dt.timedelta(minutes=settings.INBEELD_UNUSUAL_ACCESS_MINUTES),
            days=settings.INBEELD_UNUSUAL_ACCESS_DAYS,
        )

    @property
    def minutes(self) -> int:
        return int(self.window.total_seconds() // 60)


@dataclass(frozen=True)
class Burst:
    """A stretch of at most ``window`` in which one user saw ``children`` different children."""

    start: dt.datetime
    end: dt.datetime
    children: int


@dataclass
class UserAccess:
    user: User
    children: int = 0  # different children seen in the period
    peak: int = 0  # most different children within one window
    bursts: list[Burst] = field(default_factory=list)
    refused: int = 0

    @property
    def unusual(self) -> bool:
        return bool(self.bursts) or self.refused > 0


def bursts_of(views: list[tuple[dt.datetime, int]], thresholds: Thresholds) -> tuple[int, list]:
    """The most different children within one window, and the bursts: maximal stretches (each
    at most one window long, not overlapping) with at least ``thresholds.children`` of them.
    ``views``: (when, child) sorted by time."""
    window: deque[tuple[dt.datetime, int]] = deque()
    counts: Counter[int] = Counter()
    peak = 0
    bursts: list[Burst] = []
    for at, child in views:
        window.append((at, child))
        counts[child] += 1
        while window and at - window[0][0] > thresholds.window:
            _old_at, old = window.popleft()
            counts[old] -= 1
            if not counts[old]:
                del counts[old]
        peak = max(peak, len(counts))
        if len(counts) >= thresholds.children:
            start = window[0][0]
            if bursts and start <= bursts[-1].end:
                bursts[-1] = Burst(bursts[-1].start, at, max(bursts[-1].children, len(counts)))
            else:
                bursts.append(Burst(start, at, len(counts)))
    return peak, bursts


def _since(thresholds: Thresholds) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=thresholds.days)


def users_of(*, actor: Actor) -> list[User]:
    """Everyone who has (or had) a role at the actor's organisation."""
    ids = Membership.objects.filter(organisation=actor.organisation).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username"))


def access_by_user(*, actor: Actor, thresholds: Thresholds | None = None) -> list[UserAccess]:
    """Per user of the own organisation, over the last ``thresholds.days`` days, acting for this
    organisation: how many children they saw, the peak within one window, the bursts and the
    refused attempts. Unusual ones first."""
    if not actor.can(Permission.REVIEW_ACCESS):
        return []
    thresholds = thresholds or Thresholds.from_settings()
    events = AuditEvent.objects.filter(organisation=actor.organisation, at__gte=_since(thresholds))
    per_user = {user.pk: UserAccess(user=user) for user in users_of(actor=actor)}
    views: dict[int, list[tuple[dt.datetime, int]]] = {}
    for user_id, at, student_id in (
        events.filter(student__isnull=False, user__isnull=False)
        .order_by("at", "id")
        .values_list("user_id", "at", "student_id")
        .iterator()
    ):
        views.setdefault(user_id, []).append((at, student_id))
    for user_id, seen in views.items():
        if user_id in per_user:
            access = per_user[user_id]
            access.children = len({child for _at, child in seen})
            access.peak, access.bursts = bursts_of(seen, thresholds)
    for row in (
        events.filter(action=REFUSED, user__isnull=False)
        .values("user_id")
        .annotate(n=models.Count("id"))
    ):
        if row["user_id"] in per_user:
            per_user[row["user_id"]].refused = row["n"]
    return sorted(
        per_user.values(), key=lambda a: (not a.unusual, -a.peak, -a.refused, a.user.username)
    )


def user_of_organisation(*, actor: Actor, pk: int) -> User | None:
    """A user with (or once with) a role at the actor's organisation (None otherwise: 404)."""
    if not actor.can(Permission.REVIEW_ACCESS):
        return None
    return next((u for u in users_of(actor=actor) if u.pk == pk), None)


def access_of_user(*, actor: Actor, user: User, thresholds: Thresholds | None = None) -> UserAccess:
    thresholds = thresholds or Thresholds.from_settings()
    for access in access_by_user(actor=actor, thresholds=thresholds):
        if access.user.pk == user.pk:
            return access
    return UserAccess(user=user)


def refused_attempts_of(*, actor: Actor, user: User, limit: int = 200) -> list[AuditEvent]:
    """The user's refused attempts while acting for the actor's organisation, newest first."""
    if not actor.can(Permission.REVIEW_ACCESS):
        return []
    return list(
        AuditEvent.objects.filter(
            organisation=actor.organisation, user=user, action=REFUSED
        ).order_by("-at", "-id")[:limit]
    )


# -- the AVG inzage export -----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(obj: models.Model, *, leave_out: tuple[str, ...] = ("student",)) -> dict[str, Any]:
    """Every stored field of ``obj`` (a related object as its name), the child itself left out."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in leave_out:
            continue
        if f.is_relation:
            related = getattr(obj, f.name)
            out[f.name] = str(related) if related is not None else None
        else:
            out[f.name] = _plain(getattr(obj, f.attname))
    return out


CASE_PARTS = (
    "state_changes",
    "team",
    "actions",
    "meetings",
    "referrals",
    "interventions",
    "escalations",
    "outcomes",
    "relapses",
    "disputes",
    "barriers",
)
#: parts with their own appended history (``changes``), exported with it
PARTS_WITH_HISTORY = ("disputes", "barriers")


def _case(actor: Actor, case) -> dict[str, Any]:
    data = record(case)
    for part in CASE_PARTS:
        data[part] = [record(item, leave_out=("case",)) for item in getattr(case, part).all()]
    for part in PARTS_WITH_HISTORY:
        for item, row in zip(getattr(case, part).all(), data[part], strict=True):
            row["history"] = [
                record(change, leave_out=(part[:-1],)) for change in item.changes.all()
            ]
    data["notes"] = [
        record(note, leave_out=("case",)) for note in notes_for(actor=actor, case=case)
    ]
    return data


def subject_data(*, actor: Actor, student: Student) -> dict[str, Any]:
    """Everything the actor's organisation holds about this child (the caller found the child
    with :func:`child_for_review` and checked ``EXPORT_SUBJECT_DATA``), section by section."""
    whole = organisation_wide(actor)
    organisation = actor.organisation
    meldingen = Melding.objects.filter(student=student, organisations=organisation)
    return {
        "organisation": organisation.name,
        "made_at": timezone.now().isoformat(),
        "student": record(student, leave_out=()),
        "enrolments": [record(e) for e in student.enrolments.order_by("start_date", "pk")],
        "exemptions": [record(e) for e in student.exemptions.order_by("start_date", "pk")],
        "absences": [record(a) for a in student.absences.order_by("start_date", "pk")],
        "status": [record(s) for s in StudentStatus.objects.filter(student=student)],
        "meldingen": [
            {**record(m), "events": [record(e, leave_out=("melding",)) for e in m.events.all()]}
            for m in meldingen.order_by("start_date", "pk")
        ],
        "cases": [_case(whole, c) for c in cases_for(actor=whole).filter(student=student)],
        "leave_requests": [
            record(r) for r in leave_requests_visible_to(actor=whole).filter(student=student)
        ],
        "exemption_requests": [
            {**record(r), "advices": [record(a, leave_out=("request",)) for a in r.advices.all()]}
            for r in exemption_requests_visible_to(actor=whole).filter(student=student)
        ],
        "concerns": [
            record(c) for c in Concern.objects.filter(organisation=organisation, student=student)
        ],
        "matches": [
            {
                "created_at": _plain(m.created_at),
                "other_organisation": m.other_organisation,
                "other_domain": m.other_domain,
                "other_urgent": m.other_urgent,
                "other_contact_name": m.other_contact_name,
                "other_contact_phone": m.other_contact_phone,
                "other_contact_email": m.other_contact_email,
            }
            for m in matches_of(actor=whole)
            if m.own.student_id == student.pk
        ],
        "access_history": [
            {
                "at": _plain(e.at),
                "organisation": e.organisation_name,
                "user": e.username,
                "action": e.action,
                "what": e.summary,
            }
            for e in attendance_access_history(actor=whole, student=student, limit=100_000)
        ],
    }
