"""Every setting that comes from the environment, read in this one module.

``.env.example`` lists them all with their defaults; ``inbeeld.conf.settings.base`` is the only
reader. A value that cannot be parsed stops the start with a message naming the variable.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

#: The repository (or install) root: var/ for the SQLite database and uploads lives here.
BASE_DIR = Path(__file__).resolve().parents[3]


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "ja"}:
        return True
    if value in {"0", "false", "no", "off", "nee"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use true or false)")


def number(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def items(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in text(name, default).split(",") if part.strip()]


def networks(name: str, default: str = "") -> list[str]:
    """Comma-separated IP addresses or networks (CIDR), each checked at start."""
    import ipaddress

    values = items(name, default)
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {value!r} is not an IP address or network (such as 10.0.0.0/8)"
            ) from None
    return values
