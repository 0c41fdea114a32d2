""" "Vandaag" (issue 11 §1): one list per user of what this person has to do, the most urgent first.

It only assembles: every kind of item comes from the selector of the app that owns it, which
already limits it to what the acting person may see (their organisation's scope, need-to-know),
so a child out of scope never reaches this list. Per kind at most :data:`LIMIT` items are read
(the most urgent), and how many there are in all is counted: a constant number of queries,
however long a team's worklist is.

Urgency: first what is overdue (the earliest deadline first), then what has a deadline (the
earliest first), then what has none (new matches, messages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance import selectors as attendance
from inbeeld.attendance.explanations import RULE_LABELS
from inbeeld.attendance.models import MeldingState
from inbeeld.cases import selectors as cases
from inbeeld.concerns import selectors as concerns
from inbeeld.exemptions import selectors as exemptions
from inbeeld.exemptions.workflow import INGEDIEND as EXEMPTION_INGEDIEND
from inbeeld.leave import selectors as leave
from inbeeld.notifications import selectors as notifications

#: at most this many items of each kind are listed (the most urgent); the counts are complete
LIMIT = 25

#: the kinds, in the order they come when equally urgent, with their heading
KINDS: dict[str, Any] = {
    "melding": gettext_lazy("Verzuimmeldingen"),
    "routed": gettext_lazy("Meldingen voor uw organisatie (MAZL, langdurig ziek)"),
    "action": gettext_lazy("Acties"),
    "decision": gettext_lazy("Besluiten over opschaling"),
    "advice": gettext_lazy("Adviesaanvragen vrijstelling"),
    "exemption": gettext_lazy("Vrijstellingsaanvragen"),
    "leave": gettext_lazy("Verlofaanvragen"),
    "match": gettext_lazy("Nieuwe matches"),
    "message": gettext_lazy("Ongelezen berichten"),
}

#: the permissions that make "Vandaag" a person's home page: any one of them means there is work
#: with children to do (a beleidsmedewerker, with only the figures, lands on the monitor)
WORK_PERMISSIONS = (
    Permission.HANDLE_MELDING,
    Permission.WORK_ON_CASES,
    Permission.DECIDE_ESCALATION,
    Permission.DECIDE_LEAVE,
    Permission.DECIDE_EXEMPTION,
    Permission.ADVISE_EXEMPTION,
    Permission.REGISTER_CONCERN,
)


def has_today(actor: Actor | None) -> bool:
    """Whether the actor's permissions give them a "Vandaag" (by permission, never by role)."""
    return actor is not None and any(actor.can(p) for p in WORK_PERMISSIONS)


@dataclass(frozen=True)
class Item:
    """One thing to do: what, about which child, by when, and where it is done."""

    kind: str
    what: str
    href: str
    deadline: dt.date | None = None
    overdue: bool = False
    #: the child it is about (None: a message, or a match whose child the actor may not name)
    student: Any = None
    #: a short remark: assigned to you / nobody yet, the organisation asked, the state
    note: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def student_id(self) -> int | None:
        return getattr(self.student, "pk", None)

    def urgency(self, order: int) -> tuple:
        return (
            not self.overdue,
            self.deadline is None,
            self.deadline or dt.date.max,
            order,
        )


@dataclass
class Today:
    """The assembled list: ``items`` the most urgent first, ``counts`` per kind (all of them,
    also those beyond :data:`LIMIT`), and ``more`` per kind where not all are listed."""

    items: list[Item] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    more: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def per_kind(self) -> list[dict]:
        """Per kind with items, in :data:`KINDS` order: its heading, count and full list."""
        return [
            {"kind": kind, "label": label, "count": self.counts[kind], "more": self.more.get(kind)}
            for kind, label in KINDS.items()
            if self.counts.get(kind)
        ]

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def _first(rows: QuerySet) -> tuple[list, int]:
    """The first :data:`LIMIT` rows and how many there are (a second query only when more)."""
    shown = list(rows[:LIMIT])
    count = len(shown) if len(shown) < LIMIT else rows.count()
    return shown, count


def _meldingen(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    # the new ones first (they have a deadline, the oldest soonest), then those in handling
    rows = list(attendance.meldingen_to_do_for(actor=actor, state=MeldingState.OPEN)[:LIMIT])
    if len(rows) < LIMIT:
        rows += list(
            attendance.meldingen_to_do_for(actor=actor, state=MeldingState.IN_BEHANDELING)[
                : LIMIT - len(rows)
            ]
        )
    count = len(rows) if len(rows) < LIMIT else attendance.meldingen_to_do_count(actor=actor)
    items = []
    for m in rows:
        deadline = attendance.melding_deadline(m)
        if m.assignee_id == actor.user.pk:
            note = _("aan u toegewezen")
        else:
            note = _("nog aan niemand toegewezen")
        items.append(
            Item(
                kind="melding",
                what=_("Melding %(rule)s: %(state)s")
                % {"rule": RULE_LABELS.get(m.rule, m.rule), "state": m.get_state_display()},
                href=reverse("attendance:melding_transition", args=[m.pk]),
                deadline=deadline,
                overdue=deadline is not None and deadline < on,
                student=m.student,
                note=note,
            )
        )
    return items, count


def _routed(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    """Issue 12 §2: the open meldingen routed to someone who does not handle them (the jeugdarts
    of a MAZL melding, the samenwerkingsverband of long sickness), the oldest first."""
    rows, count = _first(attendance.meldingen_for_information(actor=actor))
    return [
        Item(
            kind="routed",
            what=_("Melding %(rule)s: %(state)s")
            % {"rule": RULE_LABELS.get(m.rule, m.rule), "state": m.get_state_display()},
            href=reverse("attendance:melding_transition", args=[m.pk]),
            student=m.student,
            note=_("%(start)s – %(end)s")
            % {"start": f"{m.start_date:%d-%m-%Y}", "end": f"{m.end_date:%d-%m-%Y}"},
        )
        for m in rows
    ], count


def _actions(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    rows, count = _first(cases.actions_due_for(actor=actor, on=on))
    return [
        Item(
            kind="action",
            what=a.description,
            href=reverse("cases:detail", args=[a.case_id]) + "#plan-kop",
            deadline=a.due_date,
            overdue=a.overdue,
            student=a.case.student,
            note=_("aan u") if a.owner_user_id == actor.user.pk else a.owner_organisation.name,
        )
        for a in rows
    ], count


def _decisions(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    if not actor.can(Permission.DECIDE_ESCALATION):
        return [], 0
    rows, count = _first(cases.decisions_owed(actor=actor, on=on))
    return [
        Item(
            kind="decision",
            what=_("Besluit over %(step)s") % {"step": cases.step_label(s.step)},
            href=reverse("cases:detail", args=[s.case_id]) + "#opschaling-kop",
            deadline=s.deadline,
            overdue=bool(s.overdue),
            student=s.case.student,
            note=_("u bent de beslisser")
            if s.named
            else _("namens %(organisation)s") % {"organisation": s.deciding_organisation.name},
        )
        for s in rows
    ], count


def _advice(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    rows, count = _first(exemptions.advice_requested_of(actor=actor))
    return [
        Item(
            kind="advice",
            what=_("Advies over %(request)s") % {"request": r},
            href=reverse("exemptions:advise", args=[r.pk]),
            deadline=r.start_date,
            overdue=r.start_date < on,
            student=r.student,
            note=_("gevraagd door %(organisation)s") % {"organisation": r.municipality.name},
        )
        for r in rows
    ], count


def _exemptions(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    rows, count = _first(exemptions.exemptions_to_decide_for(actor=actor))
    return [
        Item(
            kind="exemption",
            what=(
                _("Advies vragen of afwijzen: %(request)s")
                if r.state == EXEMPTION_INGEDIEND
                else _("Beslissen: %(request)s")
            )
            % {"request": r},
            href=reverse("exemptions:detail", args=[r.pk]),
            deadline=r.start_date,
            overdue=r.start_date < on,
            student=r.student,
            note=r.get_state_display(),
        )
        for r in rows
    ], count


def _leave(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    rows, count = _first(leave.leave_to_decide_for(actor=actor))
    return [
        Item(
            kind="leave",
            what=_("Beslissen: %(request)s") % {"request": r},
            href=reverse("leave:decide", args=[r.pk]),
            deadline=r.start_date,
            overdue=r.start_date < on,
            student=r.student,
            note=_("%(n)s schooldagen") % {"n": r.school_days},
        )
        for r in rows
    ], count


def _matches(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    rows, count = concerns.new_matches_of(actor=actor, on=on, limit=LIMIT)
    return [
        Item(
            kind="match",
            what=_("Match met %(organisation)s (%(domain)s)")
            % {"organisation": m.other_organisation, "domain": m.other_domain_label},
            href=reverse("concerns:index") + f"#match-{m.id}",
            # the concern never gives sight of the child: named only when in sight anyway
            student=m.own.student if m.in_sight else None,
            note=_("dringend") if m.other_urgent else "",
        )
        for m in rows
    ], count


def _messages(actor: Actor, on: dt.date) -> tuple[list[Item], int]:
    rows, count = _first(notifications.notifications_of(user=actor.user).filter(read_at=None))
    return [
        Item(
            kind="message",
            what=n.title,
            href=reverse("notifications:open", args=[n.pk]),
            note=n.get_kind_display(),
        )
        for n in rows
    ], count


_READERS = {
    "melding": _meldingen,
    "routed": _routed,
    "action": _actions,
    "decision": _decisions,
    "advice": _advice,
    "exemption": _exemptions,
    "leave": _leave,
    "match": _matches,
    "message": _messages,
}

#: where the whole list of a kind is, when "Vandaag" shows only the first :data:`LIMIT`
_FULL_LISTS = {
    "melding": "attendance:meldingen",
    "routed": "attendance:meldingen",
    "action": "cases:list",
    "decision": "cases:list",
    "advice": "exemptions:index",
    "exemption": "exemptions:index",
    "leave": "leave:index",
    "match": "concerns:index",
    "message": "notifications:index",
}


def today_for(*, actor: Actor, on: dt.date | None = None) -> Today:
    """Everything the actor has to do, the most urgent first (see the module)."""
    on = on or timezone.localdate()
    today = Today()
    if not has_today(actor):
        return today
    order = {kind: i for i, kind in enumerate(KINDS)}
    for kind, reader in _READERS.items():
        items, count = reader(actor, on)
        today.items.extend(items)
        if count:
            today.counts[kind] = count
        if count > len(items):
            today.more[kind] = reverse(_FULL_LISTS[kind])
    today.items.sort(key=lambda item: item.urgency(order[item.kind]))
    return today


def menu_count_key(actor: Actor) -> str:
    """The cache key of the menu's number of a person in an organisation."""
    return f"today-count:{actor.organisation.pk}:{actor.user.pk}"


def today_count(*, actor: Actor | None, on: dt.date | None = None) -> int:
    """How many things the actor has to do (the menu's number): counts only, never the lists."""
    if not has_today(actor):
        return 0
    on = on or timezone.localdate()
    total = attendance.meldingen_to_do_count(actor=actor)
    total += attendance.meldingen_for_information(actor=actor).count()
    total += cases.actions_due_for(actor=actor, on=on).count()
    if actor.can(Permission.DECIDE_ESCALATION):
        total += cases.decisions_owed(actor=actor, on=on).count()
    total += exemptions.advice_requested_of(actor=actor).count()
    total += exemptions.exemptions_to_decide_for(actor=actor).count()
    total += leave.leave_to_decide_for(actor=actor).count()
    total += concerns.new_matches_of(actor=actor, on=on, limit=0)[1]
    total += notifications.unread_count(user=actor.user)
    return total
