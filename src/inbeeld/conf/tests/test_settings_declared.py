"""Every setting is declared in one place (issue 13): what the code reads from the environment is
listed in ``.env.example``, and every ``INBEELD_*`` setting the code uses is set in
``conf/settings/base.py`` (no ``getattr(settings, ..., default)`` that hides a missing one)."""

from __future__ import annotations

import re
from pathlib import Path

import inbeeld
from inbeeld.conf.settings import base

SOURCE = Path(inbeeld.__file__).parent
ROOT = SOURCE.parent.parent
#: variables only the test set-up reads (a test database of one's own)
TEST_ONLY = {"INBEELD_TEST_DATABASE_NAME"}


def _code_files() -> list[Path]:
    return [
        p for p in SOURCE.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts
    ]


def test_every_environment_variable_is_in_env_example() -> None:
    read = set()
    for path in (SOURCE / "conf").rglob("*.py"):
        read |= set(re.findall(r'env\.\w+\(\s*"(INBEELD_[A-Z0-9_]+)"', path.read_text()))
    listed = set(
        re.findall(r"^#?\s*(INBEELD_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert read, "no environment variable found: the pattern is wrong"
    assert sorted(read - TEST_ONLY - listed) == []
    assert sorted(listed - read) == [], "listed in .env.example but read nowhere"


def test_every_inbeeld_setting_used_is_declared_in_base() -> None:
    used = set()
    for path in _code_files():
        text = path.read_text()
        used |= set(re.findall(r"settings\.(INBEELD_[A-Z0-9_]+)", text))
        used |= set(re.findall(r'getattr\(\s*settings,\s*"(INBEELD_[A-Z0-9_]+)"', text))
    assert used, "no setting found: the pattern is wrong"
    assert sorted(name for name in used if not hasattr(base, name)) == []
