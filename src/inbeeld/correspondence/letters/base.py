"""What every letter shares: the fields a user fills in, the facts from Inbeeld, the text.

A letter is a :class:`LetterSpec`: its ``fields`` are checked (:meth:`LetterSpec.fill`, every
problem at once), its :meth:`~LetterSpec.facts` gathered from what Inbeeld holds, refused with a
message per missing fact; the result (``data``: the fields and the facts as plain JSON) is stored
with the letter, and :meth:`~LetterSpec.compose` makes the text from ``data`` alone, so the stored
data explain the PDF exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.explanations import hours_text
from inbeeld.correspondence.models import ContactWith
from inbeeld.people.models import Student
from inbeeld.people.selectors import current_enrolment
from inbeeld.rules.calendar import WEEKDAYS_NL, date_text_nl
from inbeeld.rules.duty import age_on

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")

TEXT, LONG_TEXT, DATE, TIME, NUMBER, ID, CHOICE = (
    "text",
    "long_text",
    "date",
    "time",
    "number",
    "id",
    "choice",
)


def date_text(value: dt.date | str) -> str:
    """``5 december 2026``."""
    return date_text_nl(dt.date.fromisoformat(value) if isinstance(value, str) else value)


def long_date_text(value: dt.date | str) -> str:
    """``zaterdag 5 december 2026``."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{WEEKDAYS_NL[day.weekday()]} {date_text(day)}"


def period_text(start: str, end: str) -> str:
    if start == end:
        return date_text(start)
    return _("%(start)s tot en met %(end)s") % {"start": date_text(start), "end": date_text(end)}


def hours_of(value: str | None) -> str:
    return hours_text(float(value)) if value not in (None, "") else ""


@dataclass(frozen=True)
class Field:
    """One field the user fills in."""

    name: str
    label: Any
    kind: str = TEXT
    required: bool = True
    max_length: int = 300
    choices: tuple[tuple[str, str], ...] = ()
    help_text: Any = ""


@dataclass(frozen=True)
class Context:
    actor: Actor
    student: Student
    today: dt.date


@dataclass
class LetterText:
    """A letter ready to print: ``blocks`` are ("h", heading), ("p", paragraph) or
    ("table", [(label, value), ...])."""

    organisation: str
    recipient: list[str]
    place_date: str
    subject: str
    reference: list[tuple[str, str]]
    salutation: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)
    closing: str = ""
    signature: list[str] = field(default_factory=list)


RECIPIENT = Field(
    "recipient",
    gettext_lazy("Aan (naam en adres, één regel per regel)"),
    LONG_TEXT,
    max_length=600,
    help_text=gettext_lazy("Aan wie de brief gaat, zoals op de envelop."),
)
SENDER_CONTACT = Field(
    "sender_contact",
    gettext_lazy("Bereikbaar via (telefoon of e-mail)"),
    required=False,
    max_length=200,
)
PLACE = Field(
    "place_of_sending", gettext_lazy("Plaats van verzending"), required=False, max_length=100
)


def _clean(spec_field: Field, raw: Any, today: dt.date) -> tuple[Any, str]:
    """(value as plain JSON, problem or "")."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw in (None, ""):
        if spec_field.required:
            return None, _("Vul dit in: %(label)s.") % {"label": spec_field.label}
        return None, ""
    text = str(raw)
    match spec_field.kind:
        case "date":
            try:
                return dt.date.fromisoformat(text).isoformat(), ""
            except ValueError:
                return None, _("Geef een datum als JJJJ-MM-DD.")
        case "time":
            found = _TIME.match(text)
            if not found:
                return None, _("Geef een tijd als UU:MM.")
            return f"{int(found.group(1)):02d}:{found.group(2)}", ""
        case "number":
            try:
                number = Decimal(text.replace(",", "."))
            except InvalidOperation:
                return None, _("Geef een getal.")
            if not number.is_finite() or number <= 0 or number > 10000:
                return None, _("Geef een getal groter dan 0 (ten hoogste 10000).")
            return str(number.quantize(Decimal("0.01"))), ""
        case "id":
            if isinstance(raw, bool) or not text.isdigit() or int(text) > 2**63 - 1:
                return None, _("Kies uit de lijst.")
            return int(text), ""
        case "choice":
            if text not in {value for value, _label in spec_field.choices}:
                return None, _("Kies een van de mogelijkheden.")
            return text, ""
    if len(text) > spec_field.max_length:
        return None, _("Maximaal %(n)s tekens (nu %(m)s).") % {
            "n": spec_field.max_length,
            "m": len(text),
        }
    if spec_field.kind == TEXT and "\n" in text:
        return None, _("Eén regel, zonder regeleinde.")
    return text, ""


class LetterSpec:
    """One kind of letter (a subclass per letter, one module each)."""

    kind: str
    #: the permission that lets a role make this letter (beside casework and sight of the child)
    permission: Permission
    #: who the log says the letter went to
    addressed_to: str = ContactWith.OUDER
    #: the fields of this letter (the common ones are added)
    own_fields: tuple[Field, ...] = ()

    @property
    def fields(self) -> tuple[Field, ...]:
        return (RECIPIENT, *self.own_fields, SENDER_CONTACT, PLACE)

    def fill(self, context: Context, raw: dict[str, Any]) -> dict[str, Any]:
        """The letter's data: the cleaned fields and the facts. ValidationError with every
        problem (unknown fields, bad values, missing facts) when it cannot be made."""
        errors: dict[str, list[str]] = {}
        if not isinstance(raw, dict):
            raise ValidationError({"fields": _("Geef de velden van de brief als object.")})
        known = {f.name for f in self.fields}
        for name in raw:
            if name not in known:
                errors.setdefault(str(name)[:50], []).append(
                    _("Dit veld hoort niet bij deze brief.")
                )
        values: dict[str, Any] = {}
        for spec_field in self.fields:
            value, problem = _clean(spec_field, raw.get(spec_field.name), context.today)
            if problem:
                errors.setdefault(spec_field.name, []).append(problem)
            values[spec_field.name] = value
        if errors:
            raise ValidationError(errors)
        problems: dict[str, list[str]] = {}
        facts = self.facts(context, values, problems)
        if problems:
            raise ValidationError(problems)
        actor = context.actor
        user = actor.user
        return {
            "kind": self.kind,
            "written_on": context.today.isoformat(),
            "fields": values,
            "child": child_facts(context.student, context.today),
            "organisation": {
                "name": actor.organisation.name,
                "type": actor.organisation.type,
                "code": actor.organisation.code,
            },
            "sender": (user.get_full_name() or user.username) if user is not None else "",
            "facts": facts,
        }

    def facts(
        self, context: Context, values: dict[str, Any], problems: dict[str, list[str]]
    ) -> dict[str, Any]:
        """The facts from Inbeeld this letter needs; a missing one adds to ``problems``."""
        return {}

    # -- the text --

    def subject(self, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def body(self, data: dict[str, Any]) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def salutation(self, data: dict[str, Any]) -> str:
        return _("Geachte heer/mevrouw,")

    def compose(self, data: dict[str, Any]) -> LetterText:
        fields = data["fields"]
        child = data["child"]
        place = fields.get("place_of_sending") or ""
        written = date_text(data["written_on"])
        reference = [
            (_("Betreft"), self.subject(data)),
            (_("Leerling"), child["name"]),
            (_("Geboortedatum"), date_text(child["birth_date"])),
        ]
        if child.get("school"):
            reference.append((_("School"), child["school"]))
        signature = [data["sender"], data["organisation"]["name"]]
        if fields.get("sender_contact"):
            signature.append(fields["sender_contact"])
        return LetterText(
            organisation=data["organisation"]["name"],
            recipient=[line for line in fields["recipient"].splitlines() if line.strip()],
            place_date=f"{place}, {written}" if place else written,
            subject=self.subject(data),
            reference=reference,
            salutation=self.salutation(data),
            blocks=self.body(data),
            closing=_("Met vriendelijke groet,"),
            signature=[line for line in signature if line],
        )


def child_facts(student: Student, today: dt.date) -> dict[str, Any]:
    enrolment = current_enrolment(student=student, on=today)
    return {
        "id": student.pk,
        "name": student.full_name or student.external_id,
        "birth_date": student.birth_date.isoformat(),
        "bsn": student.bsn or "",
        "age": age_on(student.birth_date, today),
        "school": enrolment.school.name if enrolment else "",
        "brin": enrolment.school.brin if enrolment else "",
    }


def add_problem(problems: dict[str, list[str]], name: str, message: str) -> None:
    problems.setdefault(name, []).append(message)


OBJECTION_TO = Field(
    "objection_to",
    gettext_lazy("Bezwaar richten aan (laat leeg voor de beslisser)"),
    required=False,
    max_length=200,
)
OBJECTION_ADDRESS = Field(
    "objection_address",
    gettext_lazy("Adres voor het bezwaarschrift"),
    required=False,
    max_length=300,
)
GROUNDS = Field(
    "grounds",
    gettext_lazy("Motivering (aanvulling op de vastgelegde beslissing)"),
    LONG_TEXT,
    required=False,
    max_length=4000,
)


def default_objection_to(organisation_type: str, name: str) -> str:
    """Who handles a bezwaar: the school's head for a school's decision on leave, else the
    college van burgemeester en wethouders of the gemeente."""
    if organisation_type == "school":
        return _("de directeur van %(name)s") % {"name": name}
    return _("het college van burgemeester en wethouders van %(name)s") % {"name": name}


def objection_clause(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The bezwaar clause of a beschikking (Awb art. 6:4, 6:5, 6:7, 6:8)."""
    fields = data["fields"]
    to = data["facts"]["objection_to"]
    address = fields.get("objection_address") or ""
    where = f"{to}, {address}" if address else to
    return [
        ("h", _("Bezwaar maken")),
        (
            "p",
            _(
                "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dat doet u "
                "binnen zes weken na de dag waarop dit besluit is verzonden (artikel 6:7 en 6:8 "
                "van de Algemene wet bestuursrecht), met een bezwaarschrift aan %(where)s."
            )
            % {"where": where},
        ),
        (
            "p",
            _(
                "Zet in het bezwaarschrift uw naam en adres, de datum, een omschrijving van het "
                "besluit waartegen u bezwaar maakt (of stuur een kopie van deze brief mee) en "
                "waarom u het er niet mee eens is, en onderteken het (artikel 6:5 Awb)."
            ),
        ),
    ]
