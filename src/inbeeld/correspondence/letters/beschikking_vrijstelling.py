"""Beschikking op een aanvraag om vrijstelling: leerplicht's decision on an exemption (LPW art. 5,
5a, 15; vervangende leerplicht 3a/3b), its grounds with the article and the samenwerkingsverband's
advice (and, for a grant against that advice, the justification), and the bezwaar clause."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.permissions import Permission
from inbeeld.correspondence.letters.base import ID, Context, Field, date_text
from inbeeld.correspondence.letters.beschikking import Beschikking
from inbeeld.correspondence.models import LetterKind
from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.exemptions.selectors import exemption_request_for


class BeschikkingVrijstelling(Beschikking):
    kind = LetterKind.BESCHIKKING_VRIJSTELLING
    permission = Permission.DECIDE_EXEMPTION
    request_field = "exemption_request"
    own_fields_before = (Field("exemption_request", gettext_lazy("Aanvraag om vrijstelling"), ID),)

    not_found = gettext_lazy("Kies een aanvraag om vrijstelling van dit kind.")

    def find(self, context: Context, pk: int) -> ExemptionRequest | None:
        return exemption_request_for(actor=context.actor, pk=pk)

    def decision_of(self, context: Context, found: ExemptionRequest) -> dict[str, Any]:
        return {
            "state": found.state,
            "decided_on": found.decided_on,
            "decided_by_own": found.municipality_id == context.actor.organisation.pk,
            "grounds": [found.decision_note],
        }

    def request_facts(self, found: ExemptionRequest) -> dict[str, Any]:
        advice = found.latest_advice
        lapses = found.lapses_on
        return {
            "id": found.pk,
            "article": found.article,
            "citation": f"{found.article_citation} Leerplichtwet 1969",
            "label": found.article_label,
            "start_date": found.start_date.isoformat(),
            "until": lapses.isoformat() if lapses else "",
            "requested_on": found.requested_on.isoformat(),
            "advice": str(advice.get_advice_display()) if advice else "",
            "advice_by": advice.organisation.name if advice else "",
            # a grant against the advice: why (required then; exemptions.services)
            "justification": found.decision_justification,
        }

    def subject(self, data: dict[str, Any]) -> str:
        return _("Beslissing op de aanvraag om vrijstelling voor %(child)s") % {
            "child": data["child"]["name"]
        }

    def body(self, data: dict[str, Any]) -> list[tuple[str, Any]]:
        request = data["facts"]["request"]
        child = data["child"]["name"]
        start = date_text(request["start_date"])
        until = (
            _("tot en met %(date)s") % {"date": date_text(request["until"])}
            if request["until"]
            else _("zolang de leerplicht duurt")
        )
        values = {"child": child, "label": request["label"], "start": start, "until": until}
        blocks: list[tuple[str, Any]] = [
            (
                "p",
                _("Op %(date)s is vrijstelling aangevraagd voor %(child)s (%(label)s).")
                % {**values, "date": date_text(request["requested_on"])},
            )
        ]
        if request["advice"]:
            blocks.append(
                (
                    "p",
                    _("Het samenwerkingsverband %(by)s adviseerde: %(advice)s.")
                    % {"by": request["advice_by"], "advice": request["advice"]},
                )
            )
        if request.get("justification"):
            blocks.append(
                (
                    "p",
                    _(
                        "Wij kennen de vrijstelling toe tegen dit advies in. Wij doen dat om deze "
                        "reden: %(justification)s"
                    )
                    % {"justification": request["justification"]},
                )
            )
        return blocks + self.decision_blocks(
            data,
            granted=_("%(child)s krijgt vrijstelling (%(label)s) vanaf %(start)s, %(until)s.")
            % values,
            refused=_("De vrijstelling (%(label)s) voor %(child)s wordt afgewezen.") % values,
            basis=_("Dit besluit is genomen op grond van %(citation)s.")
            % {"citation": request["citation"]},
        )
