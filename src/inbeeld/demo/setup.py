"""The demo municipality in the application: organisations, one user per role, the pupils of
``inbeeld demo-data`` imported through the normal import, and a detection run.

Demo mode only (``INBEELD_DEMO=true``); production settings refuse demo mode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role, User
from inbeeld.demo.generator import generate_demo_data

DEMO_PASSWORD = "inbeeld-demo"
MUNICIPALITY = "GM0014"
MUNICIPALITY_NAME = "Gemeente Groningen"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str


def _organisation(type_: str, code: str, name: str, municipality: str = MUNICIPALITY) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        type=type_, code=code, defaults={"name": name, "municipality_code": municipality}
    )
    return organisation


def _user(username: str, first: str, last: str, organisation: Organisation, role: str) -> DemoLogin:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return DemoLogin(username, Role(role).label, organisation.name)


def ensure_demo_mode() -> None:
    if not getattr(settings, "DEMO_MODE", False):
        raise ImproperlyConfigured("demo set-up needs INBEELD_DEMO=true (never in production)")


@transaction.atomic
def demo_users(school_code: str, partnership_code: str) -> list[DemoLogin]:
    """One demo user per role, in the organisations of the demo municipality."""
    gemeente = _organisation(OrganisationType.GEMEENTE, MUNICIPALITY, MUNICIPALITY_NAME)
    ggd = _organisation(OrganisationType.GGD, "GGD-GRONINGEN", "GGD Groningen")
    wijkteam = _organisation(OrganisationType.WIJKTEAM, "WIJ-GRONINGEN", "WIJ Groningen")
    school = Organisation.objects.get(type=OrganisationType.SCHOOL, code=school_code)
    partnership = Organisation.objects.get(
        type=OrganisationType.SAMENWERKINGSVERBAND, code=partnership_code
    )
    return [
        _user("demo-leerplicht", "Lotte", "de Vries", gemeente, Role.LEERPLICHTAMBTENAAR),
        _user("demo-school", "Sanne", "Bakker", school, Role.SCHOOL_ZORGCOORDINATOR),
        _user("demo-swv", "Mehmet", "Yilmaz", partnership, Role.SWV_CONSULTANT),
        _user("demo-ggd", "Eva", "Mulder", ggd, Role.JEUGDARTS),
        _user("demo-wijkteam", "Daan", "Visser", wijkteam, Role.WIJKTEAM_MEDEWERKER),
        _user("demo-beleid", "Fatima", "El Amrani", gemeente, Role.BELEIDSMEDEWERKER),
        _user("demo-beheer", "Joost", "Smit", gemeente, Role.FUNCTIONEEL_BEHEERDER),
    ]


def generate_if_missing(directory: Path, students: int, on: dt.date, say: Callable[[str], None]) -> None:
    if (directory / "students.csv").exists():
        say(f"demo data already in {directory}")
        return
    say(f"generating {students:,} demo pupils in {directory}")
    generate_demo_data(directory, students=students, seed=1, on=on, municipality=MUNICIPALITY)
