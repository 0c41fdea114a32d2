"""The letters, one module each (``base`` says how a letter is made)."""

from __future__ import annotations

from inbeeld.correspondence.letters.base import LetterSpec
from inbeeld.correspondence.letters.beschikking_verlof import BeschikkingVerlof
from inbeeld.correspondence.letters.beschikking_vrijstelling import BeschikkingVrijstelling
from inbeeld.correspondence.letters.halt import Halt
from inbeeld.correspondence.letters.proces_verbaal import ProcesVerbaal
from inbeeld.correspondence.letters.uitnodiging import Uitnodiging
from inbeeld.correspondence.letters.waarschuwing import Waarschuwing

SPECS: dict[str, LetterSpec] = {
    spec.kind: spec
    for spec in (
        Uitnodiging(),
        Waarschuwing(),
        ProcesVerbaal(),
        Halt(),
        BeschikkingVerlof(),
        BeschikkingVrijstelling(),
    )
}


def spec_of(kind: str) -> LetterSpec | None:
    return SPECS.get(kind)
