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
