"""What the services check of what they are given, said once (issue 13): a refusal on one field, a
line of text within its limit, a date that is not in the future. Each refusal is a
``ValidationError`` naming the field, which ``ui.forms.errors_to_form`` puts on the form and the
API answers as a problem."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def today() -> dt.date:
    return timezone.localdate()


def invalid_if(condition: bool, field: str, message: str) -> None:
    """Refuse the write with ``message`` on ``field`` when ``condition`` holds."""
    if condition:
        raise ValidationError({field: message})


def line(value: str | None, field: str, limit: int, required: str = "") -> str:
    """``value`` stripped: at most ``limit`` characters, no NUL (the database refuses it); with
    ``required`` (the message) not empty."""
    value = (value or "").strip()
    invalid_if(bool(required) and not value, field, required)
    invalid_if(
        len(value) > limit,
        field,
        _("Maximaal %(n)s tekens (nu %(m)s).") % {"n": limit, "m": len(value)},
    )
    invalid_if("\x00" in value, field, _("Deze tekst bevat een ongeldig teken."))
    return value


def not_in_future(on: dt.date, field: str) -> dt.date:
    """``on``, refused on ``field`` when it lies after today."""
    invalid_if(on > today(), field, _("Deze datum ligt in de toekomst."))
    return on


def not_after_today(on: dt.date | None, field: str) -> dt.date:
    """``on`` (today when not given), refused on ``field`` when it lies after today."""
    return not_in_future(on or today(), field)
