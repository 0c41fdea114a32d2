"""Identifiers in the exchange files: BSN, onderwijsnummer, BRIN (RULES.md §6).

Each check exists twice with the same answers: a scalar function for single values (forms, the
``inbeeld leerplicht`` question) and a Polars expression for the bulk reader (``rules.exchange``),
which must stay fast on millions of rows (no ``map_elements``). ``tests/test_identifiers.py`` shows
with hypothesis that both agree.

All checks are strict about the form: no surrounding whitespace, ASCII digits and capitals only.
The exchange reader trims values before checking them.
"""

from __future__ import annotations

import re

import polars as pl

#: 11-proef weights of digits 1..9: 9, 8, ..., 2 and -1 for the last digit (the one place of the
#: 11-proef: the demo generator and the test factories make their numbers with these too).
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_WEIGHTS = WEIGHTS

_BSN_FORM = re.compile(r"[0-9]{8,9}")
_ONDERWIJSNUMMER_FORM = re.compile(r"10[0-9]{7}")
_BRIN_FORM = re.compile(r"[0-9]{2}[A-Z]{2}(?:[0-9]{2})?")

# The same forms for Polars (Rust regex: ``$`` is the end of the text only, [0-9] is ASCII).
_BSN_REGEX = r"^[0-9]{8,9}$"
_ONDERWIJSNUMMER_REGEX = r"^10[0-9]{7}$"
_BRIN_REGEX = r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$"

#: remainder of the weighted sum modulo 11 for a valid onderwijsnummer (DUO variant of the 11-proef)
ONDERWIJSNUMMER_REMAINDER = 5
_ONDERWIJSNUMMER_REMAINDER = ONDERWIJSNUMMER_REMAINDER


def _weighted_sum(digits: str) -> int:
    return sum(w * int(d) for w, d in zip(_WEIGHTS, digits, strict=True))


def check_digit(first_eight: str, remainder: int = 0) -> int | None:
    """The last digit that makes ``first_eight`` + it pass the 11-proef with ``remainder`` (0 for a
    BSN, :data:`ONDERWIJSNUMMER_REMAINDER` for an onderwijsnummer), or None when no digit does."""
    digit = (_weighted_sum(first_eight + "0") - remainder) % 11
    return digit if digit <= 9 else None


def normalise_bsn(value: str | int) -> str:
    """The 9-digit form of a BSN: surrounding whitespace removed, a leading zero added to 8 digits.

    Source: the BSN is a 9-digit number (Wet algemene bepalingen burgerservicenummer, art. 1;
    Logius, "Burgerservicenummer (BSN)"); systems that store it as a number drop the leading zero,
    so an 8-digit value is read as ``0`` + those digits. An ``int`` is accepted for the same reason.
    Only the form is normalised; :func:`is_valid_bsn` checks the 11-proef.

    Raises ``ValueError`` when the value is not 8 or 9 ASCII digits.
    """
    text = str(value).strip() if isinstance(value, int | str) else ""
    if isinstance(value, bool) or not _BSN_FORM.fullmatch(text):
        raise ValueError(f"bsn {value!r} is not 8 or 9 digits")
    return text.zfill(9)


def is_valid_bsn(value: str) -> bool:
    """True when ``value`` is a valid BSN (burgerservicenummer).

    Source: the 11-proef for the BSN (Logius, "Burgerservicenummer (BSN)", and the
    specification of the BSN in the Wet algemene bepalingen burgerservicenummer): with the digits
    d1..d9, ``9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - 1*d9`` is divisible by 11.
    ``000000000`` is not a BSN. An 8-digit value is accepted as the BSN with a leading zero (BSNs are
    sometimes exported as numbers without it).
    """
    if not isinstance(value, str) or not _BSN_FORM.fullmatch(value):
        return False
    digits = value.zfill(9)
    if digits == "000000000":
        return False
    return _weighted_sum(digits) % 11 == 0


def is_valid_onderwijsnummer(value: str) -> bool:
    """True when ``value`` is a valid onderwijsnummer.

    Source: DUO, the onderwijsnummer for pupils without a BSN (Basisregister Onderwijs,
    "onderwijsnummer"): 9 digits starting with ``10``, checked with the variant of the 11-proef in
    which ``9*d1 + 8*d2 + ... + 2*d8 - 1*d9`` leaves remainder 5 when divided by 11 (so an
    onderwijsnummer can never pass as a BSN).
    """
    if not isinstance(value, str) or not _ONDERWIJSNUMMER_FORM.fullmatch(value):
        return False
    return _weighted_sum(value) % 11 == _ONDERWIJSNUMMER_REMAINDER


def is_valid_brin(value: str) -> bool:
    """True when ``value`` is a well-formed BRIN, optionally with its location (vestiging).

    Source: DUO, Basisregistratie Instellingen (BRIN): a BRIN number is 2 digits followed by 2
    capital letters (``12AB``); a vestiging adds a 2-digit volgnummer (``12AB01``). Only the form is
    checked; whether the school exists is a question for schools.csv.
    """
    return isinstance(value, str) and _BRIN_FORM.fullmatch(value) is not None


# -- the same checks as Polars expressions --------------------------------------------------------


def _weighted_sum_expr(number: pl.Expr) -> pl.Expr:
    """The 11-proef weighted sum of a number of at most 9 digits (leading zeros implied)."""
    terms = [((number // 10 ** (8 - i)) % 10) * w for i, w in enumerate(_WEIGHTS)]
    return pl.sum_horizontal(terms)


def bsn_valid_expr(col: pl.Expr) -> pl.Expr:
    """:func:`is_valid_bsn` as a Polars expression on a String column (null gives False).

    Source: as :func:`is_valid_bsn` (the BSN 11-proef, Logius).
    """
    form = col.str.contains(_BSN_REGEX)
    # rows that fail ``form`` may still give a number ("+5"); ``form &`` discards them
    number = col.str.to_integer(base=10, strict=False)
    # +11 keeps the remainder non-negative whatever the sign convention of ``%``
    check = ((_weighted_sum_expr(number) + 11) % 11 == 0) & (number != 0)
    return (form & check).fill_null(False)


def onderwijsnummer_valid_expr(col: pl.Expr) -> pl.Expr:
    """:func:`is_valid_onderwijsnummer` as a Polars expression on a String column (null gives False).

    Source: as :func:`is_valid_onderwijsnummer` (DUO, onderwijsnummer: remainder 5 in the 11-proef).
    """
    form = col.str.contains(_ONDERWIJSNUMMER_REGEX)
    number = col.str.to_integer(base=10, strict=False)
    check = (_weighted_sum_expr(number) + 11) % 11 == _ONDERWIJSNUMMER_REMAINDER
    return (form & check).fill_null(False)


def brin_valid_expr(col: pl.Expr) -> pl.Expr:
    """:func:`is_valid_brin` as a Polars expression on a String column (null gives False).

    Source: as :func:`is_valid_brin` (DUO, BRIN: 2 digits, 2 capitals, optional 2-digit vestiging).
    """
    return col.str.contains(_BRIN_REGEX).fill_null(False)


def normalise_bsn_expr(col: pl.Expr) -> pl.Expr:
    """:func:`normalise_bsn` as a Polars expression: 8 digits get a leading zero, others unchanged.

    Source: as :func:`normalise_bsn`.
    """
    return pl.when(col.str.contains(r"^[0-9]{8}$")).then(pl.lit("0") + col).otherwise(col)
