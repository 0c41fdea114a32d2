"""Overdracht proces-verbaal: the leerplichtambtenaar hands a proces-verbaal of verzuim to the
Openbaar Ministerie (LPW art. 22), with the facts it needs: the child, the parents, the school,
the period and hours of verzuim, the earlier steps and the article.

**(choice)** Against the parents the article is art. 2 lid 1 (they must see to enrolment and
regular attendance); against a pupil only from 12 years on the first day of the verzuim (art. 2
lid 3, the pupil's own duty; DOMAIN.md "Enforcement"). Sickness (MAZL) is never handed over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.permissions import Permission
from inbeeld.correspondence.letters.base import (
    CHOICE,
    LONG_TEXT,
    Context,
    Field,
    LetterSpec,
    add_problem,
    date_text,
)
from inbeeld.correspondence.letters.verzuim import (
    EARLIER_STEPS_NOTE,
    HOURS,
    MELDING,
    melding_facts,
    steps_blocks,
    steps_facts,
    verzuim_rows,
)
from inbeeld.correspondence.models import ContactWith, LetterKind
from inbeeld.rules.duty import age_on

PUPIL_MIN_AGE = 12
PARENTS, PUPIL, BOTH = "ouders", "leerling", "beide"
AGAINST = (
    (PARENTS, gettext_lazy("de ouders/verzorgers")),
    (PUPIL, gettext_lazy("de leerling (vanaf 12 jaar)")),
    (BOTH, gettext_lazy("de ouders/verzorgers en de leerling")),
)
ARTICLES = {
    PARENTS: "artikel 2, eerste lid, Leerplichtwet 1969",
    PUPIL: "artikel 2, derde lid, Leerplichtwet 1969",
}
PARENTS_FIELD = Field(
    "parents",
    gettext_lazy("Ouders/verzorgers (namen en adres)"),
    LONG_TEXT,
    max_length=600,
)


def pupil_age_problem(birth_date: str, melding: dict[str, Any]) -> str:
    """A message when the child was under 12 on the first day of the verzuim, else ""."""
    first = dt.date.fromisoformat(melding["start_date"])
    age = age_on(dt.date.fromisoformat(birth_date), first)
    if age >= PUPIL_MIN_AGE:
        return ""
    return _(
        "Het kind was %(age)s jaar op %(date)s, de eerste dag van het verzuim: dit kan pas "
        "vanaf 12 jaar."
    ) % {"age": age, "date": date_text(first)}


class ProcesVerbaal(LetterSpec):
    kind = LetterKind.PROCES_VERBAAL
    permission = Permission.ENFORCE_ATTENDANCE
    addressed_to = ContactWith.ANDERS
    own_fields = (
        MELDING,
        HOURS,
        Field("against", gettext_lazy("Tegen wie"), CHOICE, choices=AGAINST),
        PARENTS_FIELD,
        EARLIER_STEPS_NOTE,
        Field(
            "pv_number",
            gettext_lazy("Nummer van het proces-verbaal"),
            required=False,
            max_length=60,
        ),
    )

    def facts(
        self, context: Context, values: dict[str, Any], problems: dict[str, list[str]]
    ) -> dict[str, Any]:
        melding = melding_facts(context, values, problems)
        steps = steps_facts(context, values, problems)
        school = (melding or {}).get("school") or ""
        if melding is not None and values["against"] in (PUPIL, BOTH):
            problem = pupil_age_problem(context.student.birth_date.isoformat(), melding)
            if problem:
                add_problem(problems, "against", problem)
        against = values["against"]
        articles = [ARTICLES[key] for key in (PARENTS, PUPIL) if against in (key, BOTH)]
        return {"melding": melding, "steps": steps, "school": school, "articles": articles}

    def salutation(self, data: dict[str, Any]) -> str:
        return _("Geachte officier van justitie,")

    def subject(self, data: dict[str, Any]) -> str:
        return _("Overdracht proces-verbaal wegens verzuim van %(child)s") % {
            "child": data["child"]["name"]
        }

    def body(self, data: dict[str, Any]) -> list[tuple[str, Any]]:
        fields = data["fields"]
        child = data["child"]
        facts = data["facts"]
        against = dict(AGAINST)[fields["against"]]
        person = [
            (_("Naam"), child["name"]),
            (_("Geboortedatum"), date_text(child["birth_date"])),
        ]
        if child["bsn"]:
            person.append((_("BSN"), child["bsn"]))
        person.append((_("Ouders/verzorgers"), fields["parents"]))
        if fields.get("pv_number"):
            person.append((_("Nummer proces-verbaal"), fields["pv_number"]))
        return [
            (
                "p",
                _(
                    "Hierbij draag ik, als leerplichtambtenaar van %(organisation)s, het "
                    "proces-verbaal over dat ik wegens verzuim heb opgemaakt tegen %(against)s "
                    "(artikel 22 Leerplichtwet 1969). Overtreden is: %(articles)s."
                )
                % {
                    "organisation": data["organisation"]["name"],
                    "against": against,
                    "articles": "; ".join(facts["articles"]),
                },
            ),
            ("h", _("De leerling")),
            ("table", person),
            ("h", _("Het verzuim")),
            ("table", verzuim_rows(facts["melding"])),
            *steps_blocks(data),
            (
                "p",
                _(
                    "Het proces-verbaal en de stukken waarop het steunt zijn bijgevoegd. Voor "
                    "vragen ben ik bereikbaar via de gegevens hieronder."
                ),
            ),
        ]
