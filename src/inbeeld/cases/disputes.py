"""Disputes of a case (issue 11 §7) as a small state machine: the bodies, the outcomes, and which
step may follow which, in one place (the services call :func:`check_step`).

    ingediend ──▶ zitting gepland ──▶ uitspraak ──▶ opvolging vastgelegd
        └───────────────────────────────▲   (a ruling may come without a hearing)

A ruling "ingetrokken" (withdrawn) ends the dispute: there is nothing to follow. Dates run
forward: a hearing and a ruling not before the dispute was submitted, a ruling not before the
hearing, the follow-up not before the ruling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DisputeBody(models.TextChoices):
    """Where the dispute is brought."""

    GESCHILLENCOMMISSIE = (
        "geschillencommissie",
        gettext_lazy("Geschillencommissie passend onderwijs"),
    )
    ONDERWIJSCONSULENT = "onderwijsconsulent", gettext_lazy("onderwijsconsulent")
    BEZWAAR_BESTUUR = "bezwaar_bestuur", gettext_lazy("bezwaar bij het schoolbestuur")
    BEZWAAR_GEMEENTE = "bezwaar_gemeente", gettext_lazy("bezwaar bij de gemeente")
    RECHTER = "rechter", gettext_lazy("rechter")


class DisputeParty(models.TextChoices):
    """Who brings the dispute."""

    PARENTS = "ouders", gettext_lazy("ouders")
    YOUTH = "jongere", gettext_lazy("de jongere zelf")
    SCHOOL = "school", gettext_lazy("school of schoolbestuur")
    SWV = "samenwerkingsverband", gettext_lazy("samenwerkingsverband")
    GEMEENTE = "gemeente", gettext_lazy("gemeente")


class DisputeOutcome(models.TextChoices):
    GEGROND = "gegrond", gettext_lazy("gegrond")
    ONGEGROND = "ongegrond", gettext_lazy("ongegrond")
    DEELS = "deels_gegrond", gettext_lazy("deels gegrond")
    INGETROKKEN = "ingetrokken", gettext_lazy("ingetrokken")


class RulingFollowed(models.TextChoices):
    YES = "ja", gettext_lazy("ja, opgevolgd")
    NO = "nee", gettext_lazy("nee, niet opgevolgd")
    PARTLY = "deels", gettext_lazy("deels opgevolgd")


#: the steps after submitting
HEARING, RULING, FOLLOW_UP = "zitting", "uitspraak", "opvolging"


@dataclass(frozen=True)
class DisputeFacts:
    lodged_on: dt.date
    hearing_on: dt.date | None = None
    ruled_on: dt.date | None = None
    outcome: str = ""
    followed: str = ""


def stage(facts: DisputeFacts) -> str:
    """Where the dispute stands, in Dutch."""
    if facts.followed:
        return _("opvolging vastgelegd")
    if facts.ruled_on is not None:
        return _("uitspraak gedaan")
    if facts.hearing_on is not None:
        return _("zitting gepland")
    return _("ingediend")


def refusal(facts: DisputeFacts, step: str, on: dt.date) -> tuple[str, str] | None:
    """(field, why) when ``step`` on ``on`` may not follow now; None when it may."""
    if step not in (HEARING, RULING, FOLLOW_UP):
        return "step", _("Onbekende stap.")
    if step in (HEARING, RULING) and facts.ruled_on is not None:
        return "request", _("De uitspraak is al vastgelegd.")
    if step == FOLLOW_UP:
        if facts.ruled_on is None:
            return "request", _("Leg eerst de uitspraak vast.")
        if facts.outcome == DisputeOutcome.INGETROKKEN:
            return "request", _("Het geschil is ingetrokken: er is niets op te volgen.")
        if facts.followed:
            return "request", _("De opvolging is al vastgelegd.")
        if on < facts.ruled_on:
            return "on", _("De opvolging ligt vóór de uitspraak.")
        return None
    if on < facts.lodged_on:
        return "on", _("Deze datum ligt vóór het indienen van het geschil.")
    if step == RULING and facts.hearing_on is not None and on < facts.hearing_on:
        return "on", _("De uitspraak ligt vóór de zitting.")
    return None


def available(facts: DisputeFacts) -> list[str]:
    """The steps that may follow now (on any date the checks allow)."""
    far = dt.date.max
    return [s for s in (HEARING, RULING, FOLLOW_UP) if refusal(facts, s, far) is None]


def check_step(facts: DisputeFacts, step: str, on: dt.date, *, field: str = "on") -> None:
    """ValidationError (on ``field`` for a date, on the request otherwise) when it may not."""
    why = refusal(facts, step, on)
    if why is not None:
        name, message = why
        if name == "request":
            raise ValidationError(message, code="dispute")
        raise ValidationError({field if name == "on" else name: message}, code="dispute")
