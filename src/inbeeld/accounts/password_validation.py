"""A password validator for Dutch users: no common Dutch word, place, month, day, football club or
first name (the list is ``data/dutch_common_words.txt``), alone or with digits and symbols around
it, in any case: ``groningen1``, ``Welkom2024!`` and ``!!Ajax!!`` are refused."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WORD_LIST = Path(__file__).resolve().parent / "data" / "dutch_common_words.txt"

#: the letters in the middle, with anything but letters (digits, symbols, spaces) on either side
_CORE = re.compile(r"^[\W\d_]*(?P<core>[^\W\d_]+)[\W\d_]*$")
#: spaces, dots and dashes inside a name: "den haag", "go-ahead"
_JOINERS = re.compile(r"[\s.\-']+")


@cache
def common_words(path: Path = WORD_LIST) -> frozenset[str]:
    with path.open(encoding="utf-8") as lines:
        return frozenset(
            line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
        )


def common_word_in(password: str) -> str | None:
    """The common word ``password`` consists of (with digits/symbols around it), or None."""
    for candidate in {password, _JOINERS.sub("", password)}:
        match = _CORE.match(candidate.strip())
        if match and match["core"].lower() in common_words():
            return match["core"].lower()
    return None


class DutchCommonWordValidator:
    code = "password_common_dutch_word"

    def validate(self, password: str, user=None) -> None:
        word = common_word_in(password or "")
        if word is not None:
            raise ValidationError(
                _(
                    "Dit wachtwoord is een bekend woord (%(word)s) met hooguit wat cijfers of "
                    "tekens eromheen: dat is makkelijk te raden."
                ),
                code=self.code,
                params={"word": word},
            )

    def get_help_text(self) -> str:
        return _(
            "Uw wachtwoord mag geen bekend woord, plaats, maand, dag, club of naam zijn met "
            "alleen cijfers of tekens eromheen."
        )
