"""``inbeeld restore FILE``: replace the database's contents with a backup of ``inbeeld backup``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from inbeeld.backups.service import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup (inbeeld backup) into the database INBEELD_DATABASE_URL names."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file (.sqlite3, .pgdump, or either .enc)")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="do not ask for confirmation",
        )  # fmt: skip

    def handle(self, *args, file: str, interactive: bool, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} does not exist", returncode=2)
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"Everything in the database {name} is replaced by {path.name}. Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled; nothing was changed", returncode=1)
        try:
            restore(path)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"{path.name} restored into {name}; run `inbeeld migrate` if it is older")
