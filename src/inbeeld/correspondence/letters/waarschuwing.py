"""Waarschuwing: a written warning about unexcused absence, with its facts (the melding: period,
hours, school), before enforcement follows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from inbeeld.accounts.permissions import Permission
from inbeeld.correspondence.letters.base import Context, LetterSpec
from inbeeld.correspondence.letters.verzuim import HOURS, MELDING, melding_facts, verzuim_rows
from inbeeld.correspondence.models import LetterKind


class Waarschuwing(LetterSpec):
    kind = LetterKind.WAARSCHUWING
    permission = Permission.HANDLE_MELDING
    own_fields = (MELDING, HOURS)

    def facts(
        self, context: Context, values: dict[str, Any], problems: dict[str, list[str]]
    ) -> dict[str, Any]:
        return {"melding": melding_facts(context, values, problems)}

    def subject(self, data: dict[str, Any]) -> str:
        return _("Waarschuwing wegens ongeoorloofd verzuim van %(child)s") % {
            "child": data["child"]["name"]
        }

    def body(self, data: dict[str, Any]) -> list[tuple[str, Any]]:
        child = data["child"]["name"]
        return [
            (
                "p",
                _(
                    "Uit de verzuimregistratie blijkt dat %(child)s zonder geldige reden niet op "
                    "school is geweest. Het gaat om het volgende verzuim:"
                )
                % {"child": child},
            ),
            ("table", verzuim_rows(data["facts"]["melding"])),
            (
                "p",
                _(
                    "Volgens de Leerplichtwet 1969 moeten ouders en verzorgers ervoor zorgen dat "
                    "hun kind geregeld naar school gaat (artikel 2, eerste lid); een jongere "
                    "vanaf 12 jaar is daar zelf ook verantwoordelijk voor (artikel 2, derde lid)."
                ),
            ),
            (
                "p",
                _(
                    "Met deze brief waarschuwen wij u. Gaat %(child)s opnieuw zonder geldige reden "
                    "niet naar school, dan kan de leerplichtambtenaar een proces-verbaal opmaken "
                    "en dat naar het Openbaar Ministerie sturen. Is er iets aan de hand waardoor "
                    "%(child)s niet naar school gaat? Neem dan contact met ons op: wij denken "
                    "graag mee."
                )
                % {"child": child},
            ),
        ]
