"""Production never serves with the demo users present (issue 3 §7).

``inbeeld.wsgi`` calls :func:`refuse_demo_users` once at start; production settings set
``REFUSE_DEMO_USERS`` (and refuse DEBUG and demo mode themselves).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from inbeeld.accounts.models import User

DEMO_USERNAMES = (
    "demo-leerplicht",
    "demo-school",
    "demo-swv",
    "demo-ggd",
    "demo-wijkteam",
    "demo-beleid",
    "demo-beheer",
    "demo-privacy",
)


def refuse_demo_users() -> None:
    if not getattr(settings, "REFUSE_DEMO_USERS", False):
        return
    present = sorted(
        User.objects.filter(username__in=DEMO_USERNAMES, is_active=True).values_list(
            "username", flat=True
        )
    )
    if present:
        raise ImproperlyConfigured(
            "production refuses to start: demo users exist in this database "
            f"({', '.join(present)}); deactivate or delete them first"
        )
