"""Fixtures of the monitor's tests: an empty cache (the figures are cached) and the dashboard
world (``dashboard_world.make_world``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from inbeeld.monitor.tests.dashboard_world import make_world


@pytest.fixture
def fresh_cache():
    """An empty cache before and after the test (use with ``pytest.mark.usefixtures``)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    """The dashboard world: gemeenten A and B, a samenwerkingsverband and its schools."""
    return make_world()
