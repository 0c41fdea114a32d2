"""``inbeeld worker``: django-tasks' database worker (``db_worker``) with Inbeeld's heartbeat.

The same options as ``db_worker`` (``--queue-name``, ``--interval``, ``--batch``, ``--reload``,
...); beside the loop a thread writes the worker's heartbeat, which ``/gezondheid/`` reads.
"""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from inbeeld.operations.heartbeat import Beating


class Command(DatabaseWorkerCommand):
    help = "Run the background worker (django-tasks' database worker) with its heartbeat."

    def handle(self, *args, **options) -> None:
        # with --reload the first process only watches the files: its child runs the tasks
        runs_tasks = not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        beating = Beating(options["worker_id"]) if runs_tasks and not options["batch"] else None
        if beating is not None:
            beating.start()
        try:
            super().handle(*args, **options)
        finally:
            if beating is not None:
                beating.stop.set()
