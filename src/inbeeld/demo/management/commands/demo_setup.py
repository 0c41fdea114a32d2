"""``inbeeld demo-setup``: the demo municipality in the application (demo mode only).

Generates ``inbeeld demo-data`` (once), imports it through the normal import as the gemeente,
creates one demo user per role and runs detection. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils import timezone

from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.imports import import_exchange
from inbeeld.conf.commands import progress
from inbeeld.demo import setup, stories
from inbeeld.people.models import Student


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date of the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Load the demo municipality (demo mode only) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=20_000)
        parser.add_argument("--on", type=_date, help="reference date (default today)")
        parser.add_argument("--directory", default=str(settings.VAR_DIR / "demo"))
        parser.add_argument("--no-detect", action="store_true", help="skip the detection run")

    def handle(self, *args, **options) -> None:
        # the demo's stories notify people as they are made: keep those e-mails off the console
        # (the notifications are in the application; the served demo prints e-mails again)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._handle(**options)

    def _handle(self, **options) -> None:
        try:
            setup.ensure_demo_mode()
        except Exception as error:
            raise CommandError(str(error)) from None
        on = options["on"] or timezone.localdate()
        say = progress(self)
        self._load(Path(options["directory"]), options["students"], on, say)
        school = setup.demo_school()
        if school is None or school.partnership is None:
            raise CommandError("the demo data holds no vo school with a samenwerkingsverband")
        logins = setup.demo_users(school.organisation.code, school.partnership.code)
        if not options["no_detect"]:
            stories.before_detection(on, say, school)
            say(f"detection on {on.isoformat()}")
            run = detection_run(on=on, progress=say)
            stories.after_detection(run.on_date, say)
            self.stdout.write(f"\nDetectie op {run.on_date:%d-%m-%Y}: {run.counts}")
        stories.requests(on, say)
        self.stdout.write(f"\nDemo-logins (wachtwoord: {setup.DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.role:<32} {login.organisation}")
        self.stdout.write("")

    def _load(self, directory: Path, students: int, on: dt.date, say) -> None:
        """The demo data generated (once) and imported as the gemeente (when no pupils are in)."""
        setup.generate_if_missing(directory, students, on, say)
        gemeente = setup.demo_organisation(  # the importing organisation
            "gemeente", setup.MUNICIPALITY, setup.MUNICIPALITY_NAME
        )
        if Student.objects.exists():
            return
        say("importing the demo municipality")
        batch = import_exchange(source=directory, organisation=gemeente, progress=say)
        if batch.state != "done":
            for problem in batch.problems[:20]:
                self.stderr.write(str(problem))
            raise CommandError("the demo data was refused by the import")
