"""Shared by every test: each test starts with an empty cache (the cache is keyed on primary keys,
which a rolled-back test database hands out again), ``flush`` may empty the audit trail, and a
test client's ``force_login`` and ``login`` give a session that has passed the second step of the
login.

The audit trail is append-only in the database itself (triggers of audit/0002 and audit/0005).
Django's test machinery empties every table after a transactional test (``live_server`` browser
tests, ``transactional_db``) with the ``flush`` command: TRUNCATE on PostgreSQL, DELETE on SQLite,
both refused by those triggers. Here, and only here, ``flush`` lifts them for its own statements:
on PostgreSQL as the table's owner (``ALTER TABLE … DISABLE TRIGGER``, which the application's
own role may not do in production, see docs/audit.md), on SQLite by dropping and re-creating them,
all in the flush's transaction.

The production check of the second factor is not weakened: the session is verified the way
django-otp verifies it (the id of a confirmed device of that user in the session), with a device
made for the test. A test of the second step itself is marked ``@pytest.mark.unverified_login``:
its logins stay unverified. ``client.login`` passes a request to authenticate, as django-axes
requires.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations

AUDIT_TABLE = "audit_auditevent"


@contextmanager
def audit_triggers_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Within one transaction: the audit table's triggers off, the block, the triggers back."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key check of rows inserted before
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER USER")
            yield
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {AUDIT_TABLE} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AUDIT_TABLE],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _, sql in triggers:
                cursor.execute(sql)


@pytest.fixture(scope="session", autouse=True)
def _flush_lifts_the_audit_triggers() -> Iterator[None]:
    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with audit_triggers_lifted(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture
def lift_audit_triggers():
    """``with lift_audit_triggers(connection): …`` as the table's owner (tests of tampering)."""
    return audit_triggers_lifted


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language (Dutch). A request through LocaleMiddleware
    leaves the language it chose active in the thread: without this, a test that asked for
    English made the next test in the same worker render English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def verify_session(client, user) -> None:
    """Mark the client's session as having passed the second step with a device of ``user``."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _logins_for_tests(request, monkeypatch):
    from django.contrib.auth import authenticate
    from django.http import HttpRequest
    from django.test.client import Client

    verified = request.node.get_closest_marker("unverified_login") is None
    original_login = Client._login

    def _login(self, user, backend=None):
        original_login(self, user, backend)
        if verified:
            verify_session(self, user)

    def login(self, **credentials):
        attempt = HttpRequest()
        attempt.META["REMOTE_ADDR"] = "127.0.0.1"
        user = authenticate(attempt, **credentials)
        if user is None:
            return False
        self._login(user)
        return True

    monkeypatch.setattr(Client, "_login", _login)
    monkeypatch.setattr(Client, "login", login)


class _BsnWatch:
    """A log handler for the whole test session (issue 14, "Logs"): every record any test makes
    is checked twice, raw (Inbeeld's own loggers must never put a BSN in a message) and as the
    configured handler writes it (no nine digits that pass the 11-proef get through the redaction
    of inbeeld.conf.logs). The session fails naming the loggers that leaked."""

    def __init__(self) -> None:
        import logging
        import re

        from inbeeld.conf import logs
        from inbeeld.rules.identifiers import is_valid_bsn

        self.logging, self.logs, self.is_valid_bsn = logging, logs, is_valid_bsn
        self.nine_digits = re.compile(r"(?<!\d)\d{9}(?!\d)")
        self.leaks: list[str] = []
        watch = self

        class Handler(logging.Handler):
            def emit(self, record):
                watch.check(record)

        self.handler = Handler(level=logging.DEBUG)

    def _bsns(self, text: str) -> list[str]:
        return [n for n in self.nine_digits.findall(text) if self.is_valid_bsn(n)]

    def check(self, record) -> None:
        import copy
        import json

        try:
            raw = record.getMessage()
        except Exception:
            return
        if record.name.startswith("inbeeld") and self._bsns(raw):
            self.leaks.append(f"{record.name}: a BSN in the message {record.msg!r}")
        written = copy.copy(record)
        self.logs.RequestContext().filter(written)
        self.logs.Redact().filter(written)
        entry = json.loads(self.logs.JsonFormatter().format(written))
        # the text fields; request_id is a generated hex token (its digits may pass the 11-proef)
        if self._bsns(" ".join(str(entry.get(k, "")) for k in ("message", "exception", "stack"))):
            self.leaks.append(f"{record.name}: a BSN got through the redaction")


_bsn_watch: _BsnWatch | None = None


def pytest_sessionstart(session):
    import logging

    global _bsn_watch
    _bsn_watch = _BsnWatch()
    logging.getLogger().handlers.insert(0, _bsn_watch.handler)  # before the redacting handler


#: the leaks the xdist workers found, collected by the controller
_worker_leaks: list[str] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _worker_leaks.extend(getattr(node, "workeroutput", {}).get("log_leaks", []))


def pytest_sessionfinish(session, exitstatus):
    leaks = sorted({*(_bsn_watch.leaks if _bsn_watch else []), *_worker_leaks})
    if hasattr(session.config, "workeroutput"):  # an xdist worker: the controller reports
        session.config.workeroutput["log_leaks"] = leaks
        return
    if not leaks:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    reporter.write_sep("=", "a BSN in the logs (inbeeld.conf.logs)", red=True)
    for leak in leaks:
        reporter.write_line(f"LOG LEAK: {leak}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
