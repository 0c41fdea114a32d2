"""What the management commands share: ``--on DATE`` (and ``--quiet``), their progress on stderr."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def command_date(value: str) -> dt.date:
    """A command's date argument (``type=command_date``): an ISO date, else a Dutch error."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is geen datum van de vorm JJJJ-MM-DD") from None


def add_on_argument(parser: CommandParser, *, quiet: bool = False) -> None:
    """``--on DATE`` (``options["on"]``, None for today) and, when asked, ``--quiet``."""
    parser.add_argument("--on", type=command_date, help="reference date YYYY-MM-DD (default today)")
    if quiet:
        parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def progress(command: BaseCommand, *, quiet: bool = False) -> Callable[[str], None]:
    """Progress lines on the command's stderr, each with the seconds since now; none when quiet."""
    started = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            command.stderr.write(f"[{time.perf_counter() - started:7.1f} s] {message}")

    return say


def is_quiet(options: dict[str, Any]) -> bool:
    """``--quiet`` or ``--verbosity 0``."""
    return bool(options["quiet"]) or options["verbosity"] == 0
