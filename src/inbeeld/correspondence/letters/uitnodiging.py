"""Uitnodiging: the parents (and the child) are invited to talk with the organisation, on a date,
at a time and a place; optionally about a melding."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.permissions import Permission
from inbeeld.correspondence.letters.base import (
    DATE,
    LONG_TEXT,
    TIME,
    Context,
    Field,
    LetterSpec,
    add_problem,
    long_date_text,
)
from inbeeld.correspondence.letters.verzuim import MELDING, melding_facts, verzuim_rows
from inbeeld.correspondence.models import LetterKind

OPTIONAL_MELDING = Field(
    MELDING.name, gettext_lazy("Melding (als het gesprek daarover gaat)"), MELDING.kind, False
)


class Uitnodiging(LetterSpec):
    kind = LetterKind.UITNODIGING
    permission = Permission.HANDLE_MELDING
    own_fields = (
        Field("meeting_date", gettext_lazy("Datum van het gesprek"), DATE),
        Field("meeting_time", gettext_lazy("Tijd (UU:MM)"), TIME),
        Field("meeting_place", gettext_lazy("Plaats (adres, kamer)"), max_length=200),
        OPTIONAL_MELDING,
        Field(
            "topic",
            gettext_lazy("Waarover (kort)"),
            LONG_TEXT,
            required=False,
            max_length=1000,
        ),
    )

    def facts(
        self, context: Context, values: dict[str, Any], problems: dict[str, list[str]]
    ) -> dict[str, Any]:
        if dt.date.fromisoformat(values["meeting_date"]) < context.today:
            add_problem(problems, "meeting_date", _("De datum van het gesprek is al voorbij."))
        melding = None
        if values.get("melding") is not None:
            melding = melding_facts(context, values, problems)
        return {"melding": melding}

    def subject(self, data: dict[str, Any]) -> str:
        return _("Uitnodiging voor een gesprek over %(child)s") % {"child": data["child"]["name"]}

    def body(self, data: dict[str, Any]) -> list[tuple[str, Any]]:
        fields = data["fields"]
        child = data["child"]["name"]
        blocks: list[tuple[str, Any]] = [
            (
                "p",
                _(
                    "Wij nodigen u en %(child)s uit voor een gesprek met %(organisation)s op "
                    "%(date)s om %(time)s uur. Het gesprek is op deze plaats: %(place)s."
                )
                % {
                    "child": child,
                    "organisation": data["organisation"]["name"],
                    "date": long_date_text(fields["meeting_date"]),
                    "time": fields["meeting_time"],
                    "place": fields["meeting_place"],
                },
            )
        ]
        melding = data["facts"]["melding"]
        if melding:
            blocks.append(
                ("p", _("Het gesprek gaat over het verzuim van %(child)s:") % {"child": child})
            )
            blocks.append(("table", verzuim_rows(melding)))
        if fields.get("topic"):
            blocks.append(("p", fields["topic"]))
        blocks.append(
            (
                "p",
                _(
                    "In het gesprek willen wij samen met u en %(child)s kijken wat er aan de hand "
                    "is en wat nodig is. Kunt u niet op deze dag of tijd? Neem dan zo snel "
                    "mogelijk contact met ons op om een andere afspraak te maken."
                )
                % {"child": child},
            )
        )
        return blocks
