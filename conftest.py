"""Shared by every test: each test starts with an empty cache (the cache is keyed on primary keys,
which a rolled-back test database hands out again), and a test client's ``force_login`` and
``login`` give a session that has passed the second step of the login.

The production check is not weakened: the session is verified the way django-otp verifies it
(the id of a confirmed device of that user in the session), with a device made for the test.
A test of the second step itself is marked ``@pytest.mark.unverified_login``: its logins stay
unverified. ``client.login`` passes a request to authenticate, as django-axes requires.
"""

import pytest
from django.core.cache import cache


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
