"""What a schemathesis fuzz run of the API needs, for any app's tests: the settings (FUZZ), one
operation's run that notes every server error (:func:`fuzz`), and the WSGI application to run it
against (:func:`wsgi_application`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import hypothesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck

FUZZ = hypothesis.settings(
    max_examples=12,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[hypothesis.Phase.generate],
)


def fuzz(strategy, headers: dict[str, str], failures: list[str]) -> int:
    """Run one operation's generated cases; count them, note every 5xx in ``failures``."""
    tried = 0

    @FUZZ
    @hypothesis.given(case=strategy)
    def run(case):
        nonlocal tried
        tried += 1
        response = case.call(headers=headers)
        if response.status_code >= 500:
            failures.append(
                f"{case.method} {case.path} {case.path_parameters} {case.query} {case.body!r} "
                f"→ {response.status_code}: {response.text[:300]}"
            )

    run()
    return tried


@contextmanager
def wsgi_application() -> Iterator:
    """The WSGI application, without closing the test's database connection after each request
    (as Django's own test client does)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        for signal in signals:
            signal.connect(close_old_connections)
