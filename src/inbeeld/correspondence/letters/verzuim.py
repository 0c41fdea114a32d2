"""The facts of verzuim the warning, the proces-verbaal and the Halt referral share: the melding
(its rule, period and hours, the school) and the earlier steps from the contact log."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.attendance.explanations import RULE_ABSOLUUT_VERZUIM, RULE_LABELS
from inbeeld.attendance.selectors import meldingen_of_child
from inbeeld.correspondence.letters.base import (
    ID,
    LONG_TEXT,
    NUMBER,
    Context,
    Field,
    add_problem,
    date_text,
    hours_of,
    period_text,
)
from inbeeld.correspondence.selectors import earlier_steps
from inbeeld.rules.absence import (
    RULE_16_UUR,
    RULE_LRV,
    RULE_LUXE_VERZUIM,
    RULE_MAZL_4_IN_12,
    RULE_MAZL_7_DAGEN,
)

#: the meldingen of unexcused absence: a warning, a proces-verbaal or Halt can follow them; a
#: melding of sickness (MAZL) never (it asks for the jeugdarts, not for enforcement)
UNEXCUSED_RULES = frozenset({RULE_16_UUR, RULE_LRV, RULE_LUXE_VERZUIM, RULE_ABSOLUUT_VERZUIM})
SICKNESS_RULES = frozenset({RULE_MAZL_7_DAGEN, RULE_MAZL_4_IN_12})

MELDING = Field("melding", gettext_lazy("Melding (het verzuim)"), ID)
HOURS = Field(
    "hours",
    gettext_lazy("Uren ongeoorloofd verzuim (als de melding ze niet noemt)"),
    NUMBER,
    required=False,
)
EARLIER_STEPS_NOTE = Field(
    "earlier_steps_note",
    gettext_lazy("Eerdere stappen buiten het contactlog"),
    LONG_TEXT,
    required=False,
    max_length=2000,
)


def melding_facts(
    context: Context,
    values: dict[str, Any],
    problems: dict[str, list[str]],
    *,
    rules: frozenset[str] = UNEXCUSED_RULES,
    refusal: str = "",
) -> dict[str, Any] | None:
    """The melding chosen in ``values["melding"]``: one of this child, routed to the actor's
    organisation, of one of ``rules`` (else ``refusal``), with its hours (the user's when the
    melding has none; not for absoluut verzuim, where no school is missed by the hour)."""
    melding = (
        meldingen_of_child(actor=context.actor, student=context.student)
        .filter(pk=values["melding"])
        .select_related("school")
        .first()
    )
    if melding is None:
        add_problem(
            problems, "melding", _("Kies een melding van dit kind die bij uw organisatie kwam.")
        )
        return None
    if melding.rule in SICKNESS_RULES:
        add_problem(
            problems,
            "melding",
            _(
                "Deze melding gaat over ziekte (MAZL): dat is geen ongeoorloofd verzuim; "
                "daarvoor is de jeugdarts er, niet deze brief."
            ),
        )
        return None
    if melding.rule not in rules:
        add_problem(problems, "melding", refusal)
        return None
    hours = melding.hours if melding.hours is not None else values.get("hours")
    if hours in (None, "") and melding.rule != RULE_ABSOLUUT_VERZUIM:
        add_problem(
            problems,
            "hours",
            _("De melding noemt geen uren: vul het aantal uren ongeoorloofd verzuim in."),
        )
    return {
        "id": melding.pk,
        "rule": melding.rule,
        "rule_label": RULE_LABELS.get(melding.rule, melding.rule),
        "start_date": melding.start_date.isoformat(),
        "end_date": melding.end_date.isoformat(),
        "hours": str(hours) if hours not in (None, "") else "",
        "school": melding.school.name if melding.school else "",
        "brin": melding.school.brin if melding.school else "",
    }


def steps_facts(
    context: Context, values: dict[str, Any], problems: dict[str, list[str]]
) -> list[dict[str, str]]:
    """The earlier steps of the own organisation with this child (date, kind, with whom; for a
    letter its subject; never the text of a conversation: the hand-off needs that they happened).
    At least one is needed, in the log or described in ``earlier_steps_note``."""
    steps = [
        {
            "on": entry.on.isoformat(),
            "kind": entry.get_kind_display(),
            "with": entry.get_contact_with_display(),
            "letter": entry.letter.subject if entry.letter_id else "",
        }
        for entry in earlier_steps(
            actor=context.actor, student=context.student, before=context.today
        )
    ]
    if not steps and not values.get("earlier_steps_note"):
        add_problem(
            problems,
            "earlier_steps_note",
            _(
                "Er staat geen eerdere stap in het contactlog (een gesprek, een brief): leg die "
                "eerst vast, of beschrijf de eerdere stappen hier."
            ),
        )
    return steps


def verzuim_rows(melding: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [
        (_("Soort verzuim"), melding["rule_label"]),
        (_("Periode"), period_text(melding["start_date"], melding["end_date"])),
    ]
    if melding["hours"]:
        rows.append((_("Uren ongeoorloofd afwezig"), hours_of(melding["hours"])))
    if melding["school"]:
        rows.append((_("School"), f"{melding['school']} ({melding['brin']})"))
    return rows


def steps_blocks(data: dict[str, Any]) -> list[tuple[str, Any]]:
    steps = data["facts"]["steps"]
    note = data["fields"].get("earlier_steps_note") or ""
    blocks: list[tuple[str, Any]] = [("h", _("Eerdere stappen"))]
    if steps:
        blocks.append(
            (
                "table",
                [
                    (
                        date_text(step["on"]),
                        f"{step['kind']} ({step['with']})"
                        + (f": {step['letter']}" if step["letter"] else ""),
                    )
                    for step in steps
                ],
            )
        )
    if note:
        blocks.append(("p", note))
    return blocks
