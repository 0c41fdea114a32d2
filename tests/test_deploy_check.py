"""Finding 10 of issue 9: ``inbeeld check --deploy`` with the production settings is clean, also
at WARNING level: HSTS with subdomains and preload, the redirect to HTTPS, secure cookies. A
deployment whose reverse proxy does the redirect turns Django's off (INBEELD_SSL_REDIRECT=false)
and says so; the check is still clean."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

INBEELD = Path(sys.executable).with_name("inbeeld")


def _production_env(**extra: str) -> dict[str, str]:
    # the test run's own settings stay out: INBEELD_* and the browser tests' async switch
    # (tests/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright beside the live server)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("INBEELD_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="inbeeld.conf.settings.production",
        INBEELD_SECRET_KEY=secrets.token_urlsafe(50),
        INBEELD_ALLOWED_HOSTS="inbeeld.example.nl",
        INBEELD_DATABASE_URL="sqlite:///:memory:",
        **extra,
    )
    return env


def _check(**extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(INBEELD), "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("redirect", ["", "false"])
def test_check_deploy_is_clean_with_the_production_settings(redirect):
    result = _check(INBEELD_SSL_REDIRECT=redirect)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_the_production_settings_hold_the_strict_values():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    for redirect, expected in (("", "True"), ("false", "False")):
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            env=_production_env(INBEELD_SSL_REDIRECT=redirect),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert result.stdout.split() == ["31536000", "True", "True", expected, "True", "True"]
