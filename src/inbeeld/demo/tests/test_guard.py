"""Production refuses the demo: DEBUG, demo mode, the development key, and demo users."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from inbeeld.accounts.models import User
from inbeeld.demo.guard import refuse_demo_users


@pytest.mark.django_db
def test_production_refuses_to_serve_while_demo_users_exist(settings):
    settings.REFUSE_DEMO_USERS = True
    refuse_demo_users()  # no demo users: fine
    User.objects.create_user("demo-school", password="x")
    with pytest.raises(ImproperlyConfigured, match="demo-school"):
        refuse_demo_users()
    User.objects.filter(username="demo-school").update(is_active=False)
    refuse_demo_users()


@pytest.mark.django_db
def test_other_settings_allow_demo_users(settings):
    settings.REFUSE_DEMO_USERS = False
    User.objects.create_user("demo-school", password="x")
    refuse_demo_users()


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"INBEELD_DEBUG": "true"}, "INBEELD_DEBUG must be off"),
        ({"INBEELD_DEMO": "true"}, "INBEELD_DEMO must be off"),
        ({}, "INBEELD_SECRET_KEY must be set"),
    ],
)
def test_production_settings_refuse(environment, message):
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "inbeeld.conf.settings.production"}
    if "INBEELD_SECRET_KEY" not in environment and environment:
        env["INBEELD_SECRET_KEY"] = "x" * 50
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr
