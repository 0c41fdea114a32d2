"""The demo municipality for the demo tests of the requests (leave, vrijstelling): generated once
per test module, imported as ``inbeeld demo-setup`` does for each test. An app's conftest takes
the fixtures by importing them (``demo``, ``demo_files``); its demo test takes ``ON``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbeeld.demo.tests.world import generate_demo_files, load_demo

#: the demo runs on the day it is set up; the services check today's enrolments
ON = timezone.localdate()


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return generate_demo_files(tmp_path_factory, students=400, seed=3, on=ON)


@pytest.fixture
def demo(demo_files, db):
    return load_demo(demo_files)
