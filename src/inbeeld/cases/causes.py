"""The causes of thuiszitten (issue 12 §6): one list, in one place, for every part of Inbeeld
that records why a child is (or threatens to be) at home. A case records them now
(``models.CaseCause``); a school team's discussion can record the same choices later.

More than one cause per child: a child can be bullied and wait for care at the same time. A
count per cause therefore counts such a child in each of its rows, and the rows do not add up
to the number of children."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: the longest description (the text of "anders", or a remark with any other cause)
DESCRIPTION_LIMIT = 300


class Cause(models.TextChoices):
    BULLYING = "pesten", _("pesten")
    DIVORCE = "scheiding", _("scheiding van de ouders")
    GRIEF = "rouw", _("rouw")
    MENTAL_HEALTH = "psychische_problemen", _("psychische problemen")
    SUPPORT_NEEDS = "ondersteuningsbehoefte", _("ondersteuningsbehoefte / geen passend onderwijs")
    CARE_WAITING_LIST = "wachtlijst_zorg", _("wachtlijst zorg")
    TRANSPORT = "vervoer", _("vervoer")
    HOME_SITUATION = "thuissituatie", _("thuissituatie")
    OTHER = "anders", _("anders")


def cause_label(value: str) -> str:
    return str(dict(Cause.choices).get(value, value))
