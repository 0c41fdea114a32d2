"""Halt-verwijzing: a pupil of 12 or older is referred to Halt for minor truancy (the 16-uur
melding), with the facts: the age on the first day of the verzuim, the verzuim and the earlier
steps.

**(choice)** Halt only for the melding "16 uur in 4 lesweken" (licht verzuim of the pupil):
langdurig verzuim asks for care or a proces-verbaal, luxe verzuim and absoluut verzuim are the
parents' (DOMAIN.md "Enforcement": from 12 a Halt referral for minor truancy). Halt is for
pupils from 12 up to 18 on the first day of the verzuim.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from inbeeld.accounts.permissions import Permission
from inbeeld.correspondence.letters.base import (
    Context,
    LetterSpec,
    add_problem,
    date_text,
)
from inbeeld.correspondence.letters.proces_verbaal import PARENTS_FIELD, pupil_age_problem
from inbeeld.correspondence.letters.verzuim import (
    EARLIER_STEPS_NOTE,
    MELDING,
    melding_facts,
    steps_blocks,
    steps_facts,
    verzuim_rows,
)
from inbeeld.correspondence.models import ContactWith, LetterKind
from inbeeld.rules.absence import RULE_16_UUR
from inbeeld.rules.duty import age_on

HALT_MAX_AGE = 17


class Halt(LetterSpec):
    kind = LetterKind.HALT
    permission = Permission.ENFORCE_ATTENDANCE
    addressed_to = ContactWith.ANDERS
    own_fields = (MELDING, PARENTS_FIELD, EARLIER_STEPS_NOTE)

    def facts(
        self, context: Context, values: dict[str, Any], problems: dict[str, list[str]]
    ) -> dict[str, Any]:
        melding = melding_facts(
            context,
            values,
            problems,
            rules=frozenset({RULE_16_UUR}),
            refusal=_(
                "Halt is er voor licht verzuim (16 uur in 4 lesweken). Bij langdurig verzuim, "
                "luxe verzuim of absoluut verzuim past Halt niet."
            ),
        )
        steps = steps_facts(context, values, problems)
        age = None
        if melding is not None:
            birth = context.student.birth_date
            first = dt.date.fromisoformat(melding["start_date"])
            age = age_on(birth, first)
            problem = pupil_age_problem(birth.isoformat(), melding)
            if problem:
                add_problem(problems, "melding", _("Halt: %(problem)s") % {"problem": problem})
            elif age > HALT_MAX_AGE:
                add_problem(
                    problems,
                    "melding",
                    _("Halt is er tot 18 jaar; het kind was %(age)s op %(date)s.")
                    % {"age": age, "date": date_text(first)},
                )
        return {"melding": melding, "steps": steps, "age_at_start": age}

    def subject(self, data: dict[str, Any]) -> str:
        return _("Verwijzing naar Halt wegens spijbelen van %(child)s") % {
            "child": data["child"]["name"]
        }

    def body(self, data: dict[str, Any]) -> list[tuple[str, Any]]:
        child = data["child"]
        facts = data["facts"]
        return [
            (
                "p",
                _(
                    "Hierbij verwijs ik %(child)s naar Halt wegens ongeoorloofd verzuim. "
                    "%(child)s was %(age)s jaar op de eerste dag van het verzuim."
                )
                % {"child": child["name"], "age": facts["age_at_start"]},
            ),
            ("h", _("De leerling")),
            (
                "table",
                [
                    (_("Naam"), child["name"]),
                    (_("Geboortedatum"), date_text(child["birth_date"])),
                    (_("Ouders/verzorgers"), data["fields"]["parents"]),
                ],
            ),
            ("h", _("Het verzuim")),
            ("table", verzuim_rows(facts["melding"])),
            *steps_blocks(data),
        ]
