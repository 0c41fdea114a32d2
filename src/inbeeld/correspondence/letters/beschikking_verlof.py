"""Beschikking op een verlofaanvraag: the decision on leave (LPW art. 13a holiday leave, art. 14
weighty circumstances), its grounds with the article, and the bezwaar clause."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.permissions import Permission
from inbeeld.correspondence.letters.base import (
    ID,
    Context,
    Field,
    date_text,
    period_text,
)
from inbeeld.correspondence.letters.beschikking import Beschikking
from inbeeld.correspondence.models import LetterKind
from inbeeld.leave.models import LeaveKind, LeaveRequest
from inbeeld.leave.selectors import leave_request_for

ARTICLES = {
    LeaveKind.HOLIDAY: "artikel 13a Leerplichtwet 1969",
    LeaveKind.WEIGHTY: "artikel 14 Leerplichtwet 1969",
}


class BeschikkingVerlof(Beschikking):
    kind = LetterKind.BESCHIKKING_VERLOF
    permission = Permission.DECIDE_LEAVE
    request_field = "leave_request"
    own_fields_before = (Field("leave_request", gettext_lazy("Verlofaanvraag"), ID),)

    not_found = gettext_lazy("Kies een verlofaanvraag van dit kind.")

    def find(self, context: Context, pk: int) -> LeaveRequest | None:
        return leave_request_for(actor=context.actor, pk=pk)

    def decision_of(self, context: Context, found: LeaveRequest) -> dict[str, Any]:
        return {
            "state": found.state,
            "decided_on": found.decided_on,
            "decided_by_own": found.decided_by_organisation_id == context.actor.organisation.pk,
            "grounds": [found.decision_note, *(found.refusals or [])],
        }

    def request_facts(self, found: LeaveRequest) -> dict[str, Any]:
        return {
            "id": found.pk,
            "kind": found.kind,
            "kind_label": str(found.get_kind_display()),
            "article": ARTICLES[LeaveKind(found.kind)],
            "start_date": found.start_date.isoformat(),
            "end_date": found.end_date.isoformat(),
            "school_days": found.school_days,
            "requested_on": found.requested_on.isoformat(),
        }

    def subject(self, data: dict[str, Any]) -> str:
        return _("Beslissing op uw aanvraag om verlof voor %(child)s") % {
            "child": data["child"]["name"]
        }

    def body(self, data: dict[str, Any]) -> list[tuple[str, Any]]:
        request = data["facts"]["request"]
        child = data["child"]["name"]
        period = period_text(request["start_date"], request["end_date"])
        values = {"child": child, "period": period, "days": request["school_days"]}
        return [
            (
                "p",
                _("U vroeg op %(requested)s verlof aan voor %(child)s: %(kind)s, van %(period)s.")
                % {
                    **values,
                    "requested": date_text(request["requested_on"]),
                    "kind": request["kind_label"],
                },
            ),
            *self.decision_blocks(
                data,
                granted=_(
                    "Het verlof voor %(child)s van %(period)s (%(days)s schooldagen) wordt "
                    "toegekend."
                )
                % values,
                refused=_("Het verlof voor %(child)s van %(period)s wordt afgewezen.") % values,
                basis=_("Dit besluit is genomen op grond van %(article)s.")
                % {"article": request["article"]},
            ),
        ]
