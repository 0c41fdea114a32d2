"""What the two beschikkingen share: the request must be decided, by the actor's organisation; a
refusal needs its grounds; the text ends with the bezwaar clause (``base.objection_clause``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from inbeeld.correspondence.letters.base import (
    GROUNDS,
    OBJECTION_ADDRESS,
    OBJECTION_TO,
    Context,
    LetterSpec,
    add_problem,
    date_text,
    default_objection_to,
    objection_clause,
)

GRANTED, REFUSED = "toegekend", "afgewezen"


class Beschikking(LetterSpec):
    #: the id field of the request
    request_field: str
    own_fields_before: tuple = ()
    #: the problem when the id names no request of this child the actor may see
    not_found: str = ""

    def find(self, context: Context, pk: int) -> Any | None:
        """The request with this id, if the actor may see it."""
        raise NotImplementedError

    def decision_of(self, context: Context, found: Any) -> dict[str, Any]:
        """``state``, ``decided_on``, ``decided_by_own`` and ``grounds`` of the request."""
        raise NotImplementedError

    def request_facts(self, found: Any) -> dict[str, Any]:
        """What the letter says of the request."""
        raise NotImplementedError

    def facts(
        self, context: Context, values: dict[str, Any], problems: dict[str, list[str]]
    ) -> dict[str, Any]:
        found = self.find(context, values[self.request_field])
        if found is None or found.student_id != context.student.pk:
            add_problem(problems, self.request_field, str(self.not_found))
            return {}
        decision = self.decision_facts(
            context, values, problems, **self.decision_of(context, found)
        )
        return {**(decision or {}), "request": self.request_facts(found)}

    @property
    def own_fields(self):  # type: ignore[override]
        return (*self.own_fields_before, GROUNDS, OBJECTION_TO, OBJECTION_ADDRESS)

    def decision_facts(
        self,
        context: Context,
        values: dict[str, Any],
        problems: dict[str, list[str]],
        *,
        state: str,
        decided_on,
        decided_by_own: bool,
        grounds: list[str],
    ) -> dict[str, Any] | None:
        """The decision's facts, or None with the problems when no beschikking can follow."""
        if state not in (GRANTED, REFUSED):
            add_problem(
                problems,
                self.request_field,
                _("Op deze aanvraag is nog niet beslist: de beschikking volgt op de beslissing."),
            )
            return None
        if not decided_by_own:
            add_problem(
                problems,
                self.request_field,
                _("Alleen de organisatie die besliste, stuurt de beschikking."),
            )
            return None
        grounds = [g for g in grounds if g]
        if values.get("grounds"):
            grounds.append(values["grounds"])
        if state == REFUSED and not grounds:
            add_problem(problems, "grounds", _("Geef de gronden van de afwijzing."))
        organisation = context.actor.organisation
        return {
            "state": state,
            "decided_on": decided_on.isoformat() if decided_on else context.today.isoformat(),
            "grounds": grounds,
            "objection_to": values.get("objection_to")
            or default_objection_to(organisation.type, organisation.name),
        }

    def decision_blocks(self, data: dict[str, Any], granted: str, refused: str, basis: str):
        facts = data["facts"]
        blocks: list[tuple[str, Any]] = [
            ("h", _("Besluit")),
            ("p", granted if facts["state"] == GRANTED else refused),
            ("h", _("Gronden")),
            ("p", basis),
        ]
        blocks += [("p", ground) for ground in facts["grounds"]]
        blocks.append(
            (
                "p",
                _("Dit besluit is genomen op %(date)s.") % {"date": date_text(facts["decided_on"])},
            )
        )
        return blocks + objection_clause(data)
