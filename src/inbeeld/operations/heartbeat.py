"""The worker's heartbeat: ``inbeeld worker`` touches its :class:`WorkerHeartbeat` row every
``INTERVAL`` seconds from a thread beside the worker loop; ``/gezondheid/`` calls the worker alive
while a heartbeat is younger than ``INBEELD_WORKER_HEARTBEAT_MAX_AGE`` seconds (default 120).

The same thread does the job kinds' housekeeping (``registry.housekeeping``: removing exports past
their retention) at its start and every ``HOUSEKEEPING_INTERVAL`` seconds after.

On SQLite a long write of an import holds the database's one write lock; the beat then waits
(and, past the busy timeout, is skipped): the maximum age allows a minute and more of that.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from inbeeld.operations import registry
from inbeeld.operations.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: seconds between two beats
INTERVAL = 15
#: seconds between two rounds of housekeeping
HOUSEKEEPING_INTERVAL = 3600


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id[:64],
        defaults={
            "seen_at": timezone.now(),
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def max_age() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "INBEELD_WORKER_HEARTBEAT_MAX_AGE", 120)))


def newest() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").first()


def alive() -> bool:
    last = newest()
    return last is not None and last.seen_at >= timezone.now() - max_age()


class Beating(threading.Thread):
    """The thread that beats until ``stop`` is set (a daemon: it ends with the worker)."""

    def __init__(
        self,
        worker_id: str,
        interval: float = INTERVAL,
        housekeeping_interval: float = HOUSEKEEPING_INTERVAL,
    ) -> None:
        super().__init__(name="inbeeld-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.housekeeping_interval = housekeeping_interval
        self.stop = threading.Event()

    def run(self) -> None:
        tidied: float | None = None
        while not self.stop.is_set():
            try:
                close_old_connections()
                beat(self.worker_id)
                if tidied is None or time.monotonic() - tidied >= self.housekeeping_interval:
                    tidied = time.monotonic()
                    registry.housekeeping()
            except DatabaseError:
                logger.warning("worker heartbeat not written (database busy or away)")
            self.stop.wait(self.interval)
        connection.close()
