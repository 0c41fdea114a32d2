"""What higher apps add to attendance's screens, without attendance importing them (the layers).

The thuiszitters list shows per child its open case and whether the child has a suitable offer
(passend aanbod, issue 11 §1); cases knows both, and registers its reader here when Django starts
(``CasesConfig.ready``). Without it (cases not installed) the column stays empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from inbeeld.accounts.actor import Actor

#: ``(actor=, student_ids=) → {student_id: offer}``; an offer has ``href`` (the case page) and
#: ``has_offer``
CaseOffers = Callable[..., dict[int, Any]]
_case_offer_readers: list[CaseOffers] = []


def register_case_offers(reader: CaseOffers) -> None:
    """Called once by the app that holds the cases (idempotent: ``ready`` may run twice)."""
    if reader not in _case_offer_readers:
        _case_offer_readers.append(reader)


def case_offers(*, actor: Actor, student_ids: Iterable[int]) -> dict[int, Any]:
    """Per child of ``student_ids`` the open case the actor sees, with its offer, if any."""
    ids = list(student_ids)
    found: dict[int, Any] = {}
    for reader in _case_offer_readers:
        found.update(reader(actor=actor, student_ids=ids))
    return found


#: ``(actor=, student=) → [care signal]``; a care signal has ``code``, ``name`` and ``sentence``
#: (``inbeeld.rules.care_signals.CareSignal``)
CareSignals = Callable[..., list[Any]]
_care_signal_readers: list[CareSignals] = []


def register_care_signals(reader: CareSignals) -> None:
    """Called once by the app that evaluates the care signals (``PreventionConfig.ready``)."""
    if reader not in _care_signal_readers:
        _care_signal_readers.append(reader)


def care_signals(*, actor: Actor, student: Any) -> list[Any]:
    """The care signals (zorgsignalen) that fire today for a child the actor may see, for the
    child's page; none when no app evaluates them."""
    found: list[Any] = []
    for reader in _care_signal_readers:
        found.extend(reader(actor=actor, student=student))
    return found
