"""The region a GGD serves, in one place (issue 12 §2: MAZL meldingen reach the jeugdarts of
the school's region).

A GGD's region is its own ``municipality_code`` plus the CBS codes in its
``region_municipality_codes`` (separated by spaces or commas; GGD Groningen serves all the
gemeenten of the province, say). A gemeente in the regions of two GGDs belongs to the one created
first (the lowest primary key): one GGD per gemeente, so a melding goes to one jeugdarts team.
The region list is set with ``accounts.services.ggd_region_set`` (set-up, or the GGD's own
beheerder), which checks every code.
"""

from __future__ import annotations

import re

from inbeeld.accounts.models import Organisation, OrganisationType

_SEPARATORS = re.compile(r"[\s,;]+")


def parse_codes(text: str) -> list[str]:
    """The codes written in ``text`` (spaces, commas or semicolons between them), upper case,
    each once, in the order given; not checked (``accounts.services.ggd_region_set`` does)."""
    return list(dict.fromkeys(code for code in _SEPARATORS.split(text.strip().upper()) if code))


def region_codes(organisation: Organisation) -> list[str]:
    """The CBS codes of the gemeenten an organisation's region holds (its own first)."""
    own = [organisation.municipality_code] if organisation.municipality_code else []
    return list(dict.fromkeys([*own, *parse_codes(organisation.region_municipality_codes)]))


def ggd_by_municipality() -> dict[str, int]:
    """CBS code of a gemeente → the primary key of the GGD whose region holds it."""
    ggds: dict[str, int] = {}
    for ggd in Organisation.objects.filter(type=OrganisationType.GGD).order_by("pk"):
        for code in region_codes(ggd):
            ggds.setdefault(code, ggd.pk)
    return ggds


def ggd_of_municipality(code: str) -> Organisation | None:
    """The GGD whose region holds the gemeente ``code`` (None: no GGD serves it)."""
    pk = ggd_by_municipality().get(code)
    return None if pk is None else Organisation.objects.get(pk=pk)
