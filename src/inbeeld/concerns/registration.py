"""Checking what someone entered to register a concern, before anything is looked up (issue 9 §5).

Every field is checked on its own and all problems are reported at once, each with a message on
its field. Nothing here reads the registry: the answer is the same whether or not the BSN and
birth date belong to a child in Inbeeld, so a registration is no way to find out. The screen, the
API and the demo all come through here (``services.concern_register``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from inbeeld.concerns.models import Domain, add_years
from inbeeld.rules.identifiers import is_valid_bsn

#: the longest contact name, phone number and e-mail address (the model's columns)
NAME_LENGTH = 200
PHONE_LENGTH = 30
EMAIL_LENGTH = 254
#: a birth date further back than this is surely a typing error (the Verwijsindex ends at 23)
OLDEST_YEARS = 30
MAX_ID = 2**63 - 1
PHONE = re.compile(r"^[0-9 +()\-./]*$")
TRUE = {"1", "true", "on", "yes", "ja"}
FALSE = {"", "0", "false", "off", "no", "nee"}


@dataclass(frozen=True)
class Registration:
    """What was entered, checked: a child in sight (``student_id``) or a BSN with a birth date."""

    student_id: int | None
    bsn: str
    birth_date: dt.date | None
    domain: str
    urgent: bool
    contact_name: str
    contact_phone: str
    contact_email: str


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _text(value: Any, field: str, errors: _Errors) -> str:
    """Plain text, stripped; anything else (a number, a list) or control characters refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(field, _("Vul hier tekst in."))
        return ""
    value = value.strip()
    if any(unicodedata.category(char) == "Cc" for char in value):
        errors.add(field, _("Gebruik geen tabs, regelovergangen of andere stuurtekens."))
        return ""
    return value


def _student_id(value: Any, errors: _Errors) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 19:
        number = int(value.strip())
    else:
        number = 0
    if not 1 <= number <= MAX_ID:
        errors.add("student", _("Er is geen leerling met dit nummer die u mag zien."))
        return None
    return number


def _bsn(value: Any, errors: _Errors) -> str:
    bsn = _text(value, "bsn", errors)
    if "bsn" in errors:
        return ""
    if not bsn:
        errors.add("bsn", _("Vul het BSN van de leerling in."))
    elif not (len(bsn) == 9 and bsn.isascii() and bsn.isdigit()):
        errors.add("bsn", _("Een BSN bestaat uit negen cijfers."))
    elif not is_valid_bsn(bsn):
        errors.add("bsn", _("Dit is geen geldig BSN: de elfproef klopt niet."))
    return bsn


def _birth_date(value: Any, on: dt.date, errors: _Errors) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if value in (None, ""):
        errors.add("birth_date", _("Vul de geboortedatum van de leerling in."))
        return None
    day = value if isinstance(value, dt.date) else None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        errors.add("birth_date", _("Vul een bestaande datum in, als jjjj-mm-dd."))
    elif day > on:
        errors.add("birth_date", _("De geboortedatum ligt in de toekomst."))
    elif day < add_years(on, -OLDEST_YEARS):
        errors.add(
            "birth_date",
            _("De geboortedatum ligt meer dan %(years)s jaar terug.") % {"years": OLDEST_YEARS},
        )
    else:
        return day
    return None


def _urgent(value: Any, errors: _Errors) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
        return value.strip().lower() in TRUE
    errors.add("urgent", _("Geef aan of de zorg urgent is: ja of nee."))
    return False


def _contact(name: Any, phone: Any, email: Any, errors: _Errors) -> tuple[str, str, str]:
    name = _text(name, "contact_name", errors)
    if "contact_name" not in errors:
        if not name:
            errors.add("contact_name", _("Vul de naam van de contactpersoon in."))
        elif len(name) > NAME_LENGTH:
            errors.add(
                "contact_name",
                _("De naam is te lang: hoogstens %(n)s tekens.") % {"n": NAME_LENGTH},
            )
    phone = _text(phone, "contact_phone", errors)
    if "contact_phone" not in errors:
        if len(phone) > PHONE_LENGTH:
            errors.add(
                "contact_phone",
                _("Het telefoonnummer is te lang: hoogstens %(n)s tekens.") % {"n": PHONE_LENGTH},
            )
        elif not PHONE.match(phone):
            errors.add(
                "contact_phone",
                _("Een telefoonnummer bestaat uit cijfers, spaties en + - ( ) . /"),
            )
    email = _text(email, "contact_email", errors)
    if "contact_email" not in errors and email:
        if len(email) > EMAIL_LENGTH:
            errors.add(
                "contact_email",
                _("Het e-mailadres is te lang: hoogstens %(n)s tekens.") % {"n": EMAIL_LENGTH},
            )
        else:
            try:
                EmailValidator()(email)
            except ValidationError:
                errors.add(
                    "contact_email", _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")
                )
    unreachable = not phone and not email
    if unreachable and not {"contact_phone", "contact_email"} & errors.keys():
        errors.add("contact_phone", _("Vul een telefoonnummer of een e-mailadres in (of allebei)."))
    return name, phone, email


def clean_registration(
    *,
    on: dt.date,
    student_id: Any = None,
    bsn: Any = None,
    birth_date: Any = None,
    domain: Any = None,
    urgent: Any = False,
    contact_name: Any = None,
    contact_phone: Any = "",
    contact_email: Any = "",
) -> tuple[Registration, dict[str, list[str]]]:
    """The registration as entered, checked, and the problems per field (empty when none).

    Name the child either by ``student_id`` (a child in the organisation's sight; the service
    checks that) or by ``bsn`` with ``birth_date``; never both.
    """
    errors = _Errors()
    by_id = student_id not in (None, "")
    by_bsn = bsn not in (None, "") or birth_date not in (None, "")
    number = None
    if by_id and by_bsn:
        errors.add("student", _("Geef de leerling, of het BSN met de geboortedatum; niet allebei."))
    elif by_id:
        number = _student_id(student_id, errors)
    if not by_id:
        bsn = _bsn(bsn, errors)
        birth_date = _birth_date(birth_date, on, errors)
    else:
        bsn, birth_date = "", None
    domain = domain.strip() if isinstance(domain, str) else ""
    if domain not in Domain.values:
        errors.add("domain", _("Kies een levensdomein."))
    name, phone, email = _contact(contact_name, contact_phone, contact_email, errors)
    registration = Registration(
        student_id=number,
        bsn=bsn,
        birth_date=birth_date,
        domain=domain,
        urgent=_urgent(urgent, errors),
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
    )
    return registration, dict(errors)
