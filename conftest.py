"""Shared by every test: each test starts with an empty cache (the cache is keyed on primary keys,
which a rolled-back test database hands out again)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
