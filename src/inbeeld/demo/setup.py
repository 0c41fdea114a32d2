"""The demo municipality in the application: organisations, one user per role, the pupils of
``inbeeld demo-data`` imported through the normal import, and a detection run. The demo's stories
are in ``demo.stories`` (it uses every app; this module none above people, so that the apps'
tests can use it).

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
from django.db.models import Count, Q

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role, User
from inbeeld.accounts.services import membership_grant, organisation_create, user_create
from inbeeld.demo.generator import generate_demo_data
from inbeeld.demo.guard import DEMO_USERNAMES
from inbeeld.people.models import School

DEMO_PASSWORD = "inbeeld-demo"
MUNICIPALITY = "GM0014"
MUNICIPALITY_NAME = "Gemeente Groningen"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str


def demo_organisation(
    type_: str, code: str, name: str, municipality: str = MUNICIPALITY
) -> Organisation:
    existing = Organisation.objects.filter(type=type_, code=code).first()
    if existing is not None:
        return existing
    return organisation_create(
        actor=None, type=type_, name=name, code=code, municipality_code=municipality
    )


def _user(username: str, first: str, last: str, organisation: Organisation, role: str) -> DemoLogin:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            check_password_rules=False,  # the demo password is the same for everyone
        )
    if not Membership.objects.filter(
        user=user, organisation=organisation, role=role, active=True
    ).exists():
        membership_grant(actor=None, user=user, organisation=organisation, role=role)
    return DemoLogin(username, Role(role).label, organisation.name)


def ensure_demo_mode() -> None:
    if not getattr(settings, "DEMO_MODE", False):
        raise ImproperlyConfigured("demo set-up needs INBEELD_DEMO=true (never in production)")


@transaction.atomic
def demo_users(school_code: str, partnership_code: str) -> list[DemoLogin]:
    """One demo user per role, in the organisations of the demo municipality."""
    gemeente = demo_organisation(OrganisationType.GEMEENTE, MUNICIPALITY, MUNICIPALITY_NAME)
    ggd = demo_organisation(OrganisationType.GGD, "GGD-GRONINGEN", "GGD Groningen")
    wijkteam = demo_organisation(OrganisationType.WIJKTEAM, "WIJ-GRONINGEN", "WIJ Groningen")
    school = Organisation.objects.get(type=OrganisationType.SCHOOL, code=school_code)
    partnership = Organisation.objects.get(
        type=OrganisationType.SAMENWERKINGSVERBAND, code=partnership_code
    )
    logins = [
        _user("demo-leerplicht", "Lotte", "de Vries", gemeente, Role.LEERPLICHTAMBTENAAR),
        _user("demo-school", "Sanne", "Bakker", school, Role.SCHOOL_ZORGCOORDINATOR),
        _user("demo-swv", "Mehmet", "Yilmaz", partnership, Role.SWV_CONSULTANT),
        _user("demo-ggd", "Eva", "Mulder", ggd, Role.JEUGDARTS),
        _user("demo-wijkteam", "Daan", "Visser", wijkteam, Role.WIJKTEAM_MEDEWERKER),
        _user("demo-beleid", "Fatima", "El Amrani", gemeente, Role.BELEIDSMEDEWERKER),
        _user("demo-beheer", "Joost", "Smit", gemeente, Role.FUNCTIONEEL_BEHEERDER),
        _user("demo-privacy", "Ingrid", "Hoekstra", gemeente, Role.PRIVACY_OFFICER),
    ]
    assert tuple(login.username for login in logins) == DEMO_USERNAMES
    return logins


def generate_if_missing(
    directory: Path, students: int, on: dt.date, say: Callable[[str], None]
) -> None:
    if (directory / "students.csv").exists():
        say(f"demo data already in {directory}")
        return
    say(f"generating {students:,} demo pupils in {directory}")
    generate_demo_data(directory, students=students, seed=1, on=on, municipality=MUNICIPALITY)


def demo_school() -> School | None:
    """The school of the demo's school and samenwerkingsverband users: the vo school (with an
    organisation) with the most current pupils, the first by BRIN of equals."""
    return (
        School.objects.filter(sector="vo", organisation__isnull=False)
        .annotate(pupils=Count("enrolments", filter=Q(enrolments__end_date__isnull=True)))
        .order_by("-pupils", "brin")
        .first()
    )
