"""The world of the end-to-end and browser tests: organisations, the people working there and the
children, made with the apps' own factories (accounts, people, attendance).

Small functions that compose::

    utrecht = build.gemeente("Gemeente Utrecht", "GM0344")
    linde = build.school("12AB", "De Linde", municipality_code="GM0014")
    zorg = build.person(linde.organisation, Role.SCHOOL_ZORGCOORDINATOR, username="zorg")
    child = build.pupil(linde, given_names="Sanne", family_name="Bakker")

Every person logs in with :data:`PASSWORD`; the ``log_in`` fixture (tests/conftest.py) makes their
authenticator for the second step when they have none, so nothing more is needed here.
:func:`two_organisations` is the attendance tests' world of two gemeenten with a school each;
:func:`dashboard` the monitor's (gemeenten, a samenwerkingsverband, schools and thuiszitters).
"""

from __future__ import annotations

from typing import Any

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    actor_for,
)
from inbeeld.attendance.tests.factories import World, pupil, two_organisations
from inbeeld.monitor.tests.dashboard_world import make_world as dashboard
from inbeeld.people.models import School
from inbeeld.people.tests.factories import SchoolFactory

__all__ = [
    "PASSWORD",
    "World",
    "actor_for",
    "dashboard",
    "gemeente",
    "ggd",
    "named",
    "organisation",
    "person",
    "pupil",
    "school",
    "swv",
    "two_organisations",
    "wijkteam",
]


def organisation(type: str, name: str, code: str, municipality_code: str) -> Organisation:
    """An organisation of this type (the same one again for the same type and code)."""
    return OrganisationFactory(type=type, name=name, code=code, municipality_code=municipality_code)


def gemeente(name: str = "Gemeente Utrecht", code: str = "GM0344") -> Organisation:
    """A gemeente; its municipality code is its code."""
    return organisation(OrganisationType.GEMEENTE, name, code, code)


def swv(
    name: str = "SWV Groningen Stad", code: str = "SWV2001", municipality_code: str = "GM0014"
) -> Organisation:
    """A samenwerkingsverband (passend onderwijs)."""
    return organisation(OrganisationType.SAMENWERKINGSVERBAND, name, code, municipality_code)


def ggd(
    name: str = "GGD A", code: str = "GGD-A", municipality_code: str = "GM0001"
) -> Organisation:
    """A GGD (by default the one of Gemeente A of :func:`two_organisations`)."""
    return organisation(OrganisationType.GGD, name, code, municipality_code)


def wijkteam(
    name: str = "Wijkteam A", code: str = "WIJ-A", municipality_code: str = "GM0001"
) -> Organisation:
    """A wijkteam (by default the one of Gemeente A of :func:`two_organisations`)."""
    return organisation(OrganisationType.WIJKTEAM, name, code, municipality_code)


def school(brin: str, name: str, **fields: Any) -> School:
    """A school with its organisation (type school, code = BRIN); ``fields`` as SchoolFactory's
    (sector, region, municipality_code, partnership, ...)."""
    return SchoolFactory(brin=brin, name=name, **fields)


def person(
    organisation: Organisation,
    role: str = Role.LEERPLICHTAMBTENAAR,
    username: str | None = None,
    **user_fields: Any,
) -> Membership:
    """A person with this role at this organisation, who logs in with :data:`PASSWORD`. The same
    ``username`` again gives the same user another membership. ``user_fields``: first_name,
    last_name, email; with a username these default to Fleur, the username capitalised and
    ``<username>@example.org``."""
    if username is not None:
        user_fields["username"] = username
        user_fields.setdefault("first_name", "Fleur")
        user_fields.setdefault("last_name", username.title())
    return MembershipFactory(user=UserFactory(**user_fields), organisation=organisation, role=role)


def named(membership: Membership, first_name: str, last_name: str, email: str | None = None):
    """Give the person of this membership this name (and e-mail address); the membership."""
    user = membership.user
    user.first_name, user.last_name = first_name, last_name
    if email is not None:
        user.email = email
    user.save()
    return membership
