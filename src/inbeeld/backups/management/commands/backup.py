"""``inbeeld backup DIR``: write an (encrypted) backup of the database into DIR."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.backups import crypto
from inbeeld.backups.service import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup of the database (encrypted with INBEELD_BACKUP_KEY) into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", help="the directory the backup is written to")
        parser.add_argument(
            "--new-key", action="store_true", help="print a new key for INBEELD_BACKUP_KEY"
        )

    def handle(self, *args, directory: str | None, new_key: bool, **options) -> None:
        if new_key:
            self.stdout.write(crypto.new_key())
            return
        if not directory:
            raise CommandError("name the directory: inbeeld backup DIR", returncode=2)
        try:
            written = backup(Path(directory))
        except (BackupError, crypto.BackupKeyError) as error:
            raise CommandError(str(error), returncode=2) from None
        if not written.encrypted:
            self.stderr.write(
                "demo mode: this backup is NOT encrypted (set INBEELD_BACKUP_KEY to encrypt it)"
            )
        self.stdout.write(f"{written.path} ({written.bytes:,} bytes)")
