"""The hypothesis settings of the registry's fuzz tests (RULES.md §7 inputs): repeatable, no
example database, no deadline (a case writes to the database)."""

from __future__ import annotations

import hypothesis
from hypothesis import HealthCheck


def fuzz(max_examples: int = 40) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
