"""``inbeeld backup DIR`` and ``inbeeld restore FILE`` (docs/deployment.md, "Backups").

The database Django uses (``INBEELD_DATABASE_URL``; in the tests, its test database):

- SQLite: a consistent copy through SQLite's online backup API (the application may keep
  writing meanwhile); a restore copies the backup's pages back over the live database through
  the same API, in one step;
- PostgreSQL: ``pg_dump --format=custom``; a restore is ``pg_restore --clean --if-exists
  --single-transaction``, all or nothing, and needs the database owner's URL (like ``migrate``,
  docs/audit.md "PostgreSQL roles"): the application's own role may not drop tables.

With ``INBEELD_BACKUP_KEY`` set the file is encrypted (``crypto``: AES-256-GCM, streamed) and
named ``….enc``; without it only demo mode writes a plain backup, and says so. A backup of one
kind of database is never restored into the other.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from inbeeld.backups import crypto

logger = logging.getLogger(__name__)

SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
ENCRYPTED = ".enc"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class Written:
    path: Path
    encrypted: bool
    bytes: int


def _vendor() -> str:
    if connection.vendor not in SUFFIX:
        raise BackupError(f"backups know SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _key(*, writing: bool) -> str:
    key = getattr(settings, "INBEELD_BACKUP_KEY", "")
    if key or not writing:
        return key
    if settings.DEMO_MODE:
        return ""
    raise BackupError(
        "INBEELD_BACKUP_KEY is not set: a backup holds every child's data and is written "
        "encrypted only (make a key with `inbeeld backup --new-key`; only demo mode writes a "
        "plain backup)"
    )


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """libpq's connection arguments of Django's database (the password in the environment)."""
    params = connection.settings_dict
    arguments = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        arguments += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        arguments += ["--port", str(params["PORT"])]
    if params.get("USER"):
        arguments += ["--username", str(params["USER"])]
    environment = dict(os.environ)
    if params.get("PASSWORD"):
        environment["PGPASSWORD"] = str(params["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _dump(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return
    arguments, environment = _pg_environment()
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *arguments], environment
    )


def backup(directory: Path, *, now: dt.datetime | None = None) -> Written:
    """Write a backup of the database into ``directory`` (made when missing); the file."""
    vendor = _vendor()
    key = _key(writing=True)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    name = f"inbeeld-{stamp}{SUFFIX[vendor]}" + (ENCRYPTED if key else "")
    final = directory / name
    with tempfile.TemporaryDirectory(prefix="inbeeld-backup-", dir=directory) as scratch:
        plain = Path(scratch) / "dump"
        _dump(vendor, plain)
        partial = Path(scratch) / name
        if key:
            with plain.open("rb") as source, partial.open("wb") as target:
                crypto.encrypt(source, target, key)
        else:
            plain.replace(partial)
        os.chmod(partial, 0o600)
        partial.replace(final)  # whole or not at all: the file appears only when complete
    logger.info("backup written: %s (%s bytes, %s)", final.name, final.stat().st_size,
                "encrypted" if key else "NOT encrypted")  # fmt: skip
    return Written(final, bool(key), final.stat().st_size)


def _kind_of(path: Path) -> str:
    name = path.name.removesuffix(ENCRYPTED)
    for vendor, suffix in SUFFIX.items():
        if name.endswith(suffix):
            return vendor
    raise BackupError(f"{path.name}: not a backup of inbeeld backup (.sqlite3 or .pgdump)")


def restore(path: Path) -> None:
    """Replace the database's contents with the backup in ``path``."""
    vendor = _vendor()
    kind = _kind_of(path)
    if kind != vendor:
        raise BackupError(f"{path.name} is a {kind} backup; this database is {vendor}")
    with tempfile.TemporaryDirectory(prefix="inbeeld-restore-") as scratch:
        plain = Path(scratch) / "dump"
        if crypto.is_encrypted(path):
            key = _key(writing=False)
            if not key:
                raise BackupError("the backup is encrypted: set INBEELD_BACKUP_KEY to its key")
            with path.open("rb") as source, plain.open("wb") as target:
                try:
                    crypto.decrypt(source, target, key)
                except crypto.BackupKeyError as error:
                    raise BackupError(str(error)) from None
        else:
            shutil.copyfile(path, plain)
        _load(vendor, plain)
    logger.info("backup restored: %s", path.name)


def _load(vendor: str, plain: Path) -> None:
    if vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
            source.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"not an SQLite database: {error}") from None
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    for other in connections.all():
        other.close()
    arguments, environment = _pg_environment()
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
         "--exit-on-error", *arguments, str(plain)],
        environment,
    )  # fmt: skip
