"""The demo municipality for the apps' tests: generated once per module, imported as ``inbeeld
demo-setup`` does (without demo mode), with the demo users of its largest vo school."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, OrganisationType
from inbeeld.accounts.services import organisation_create
from inbeeld.attendance.imports import import_exchange
from inbeeld.demo import setup
from inbeeld.demo.generator import generate_demo_data
from inbeeld.people.models import School


def generate_demo_files(tmp_path_factory, *, students: int, seed: int, on: dt.date) -> Path:
    """The demo municipality's exchange files in a fresh temporary directory."""
    directory = tmp_path_factory.mktemp("demo")
    generate_demo_data(
        directory, students=students, seed=seed, on=on, municipality=setup.MUNICIPALITY
    )
    return directory


def load_demo(directory: Path) -> School:
    """Import the files as the demo gemeente and create the demo users; the demo school."""
    gemeente = organisation_create(
        actor=None,
        type=OrganisationType.GEMEENTE,
        name=setup.MUNICIPALITY_NAME,
        code=setup.MUNICIPALITY,
        municipality_code=setup.MUNICIPALITY,
    )
    assert import_exchange(source=directory, organisation=gemeente).state == "done"
    school = setup.demo_school()
    setup.demo_users(school.organisation.code, school.partnership.code)
    return school


#: the demo runs on the day it is set up; the services check today's enrolments
ON = timezone.localdate()


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    """The demo municipality's files, generated once per test module (for an app's test_demo;
    its conftest imports this fixture and :func:`demo`)."""
    return generate_demo_files(tmp_path_factory, students=400, seed=3, on=ON)


@pytest.fixture
def demo(demo_files, db):
    """The demo municipality imported as ``inbeeld demo-setup`` does; the demo school."""
    return load_demo(demo_files)


def demo_actor(username: str) -> Actor:
    """The demo user acting for their (only) organisation."""
    membership = Membership.objects.select_related("organisation").get(user__username=username)
    return Actor.for_membership([membership], ip="192.0.2.1")
