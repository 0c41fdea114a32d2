"""The import itself: all or nothing, one audit event per import (see the package docstring).

:func:`import_exchange` unpacks (:mod:`.files`), lets the exchange reader check every file, makes
the checks that need the database (:mod:`.checks`) and then writes in one transaction
(:mod:`.writer`), or stores the refused :class:`ImportBatch` with its problems and nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation
from inbeeld.attendance.imports.checks import import_problems
from inbeeld.attendance.imports.files import exchange_directory
from inbeeld.attendance.imports.writer import ImportProgress, Writer
from inbeeld.attendance.models import ImportBatch
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.operations.processes import process_ended, this_process
from inbeeld.rules.exchange import ExchangeError, Problem, read_exchange

logger = logging.getLogger(__name__)

#: Problems kept on a refused batch (the report shows them; the command prints every one).
MAX_STORED_PROBLEMS = 10_000


@dataclass(frozen=True)
class _Acting:
    """The party in the audit trail when no :class:`Actor` is given (a management command)."""

    user: Any
    organisation: Organisation
    ip: str | None = None


# -- the import -----------------------------------------------------------------------------------


def import_exchange(
    *,
    source: Path | str,
    actor: Actor | None = None,
    organisation: Organisation | None = None,
    user: Any = None,
    progress: ImportProgress | None = None,
    source_name: str | None = None,
) -> ImportBatch:
    """Import an exchange directory or zip for ``actor`` (or for ``organisation``, optionally on
    behalf of ``user``, when there is no actor: a management command). All or nothing.

    Returns the :class:`ImportBatch`: state ``done`` with ``counts`` per file (read, created,
    updated, unchanged), or ``refused`` with ``problems`` (file, line, column, message); a refused
    batch also has ``all_problems``, the full list of :class:`Problem`.
    """
    acting: Any
    if actor is not None:
        organisation, user, acting = actor.organisation, actor.user, actor
    elif organisation is not None:
        acting = _Acting(user=user, organisation=organisation)
    else:
        raise ValueError("import_exchange needs an actor or an organisation")
    source = Path(source)
    say = progress or (lambda message: None)
    recover_interrupted_imports()
    batch = ImportBatch.objects.create(
        organisation=organisation,
        user=user if getattr(user, "pk", None) else None,
        source_name=(source_name or source.name or str(source))[:255],
        counts={PROCESS_KEY: this_process()},
    )
    with tempfile.TemporaryDirectory(prefix="inbeeld-import-") as scratch:
        directory, problems = exchange_directory(source, Path(scratch))
        if problems:
            return _refuse(batch, acting, problems)
        try:
            dataset = read_exchange(directory, progress=say)
        except ExchangeError as error:
            return _refuse(batch, acting, error.problems)
        say("checking against the database")
        problems = import_problems(dataset, directory, organisation)
        if problems:
            return _refuse(batch, acting, problems)
        say("writing to the database")
        try:
            with transaction.atomic():
                counts = Writer(dataset, directory, batch, organisation, say).write()
                batch.state = ImportBatch.State.DONE
                batch.counts = counts
                batch.finished_at = timezone.now()
                batch.save(update_fields=["state", "counts", "finished_at"])
                audit_record(
                    actor=acting,
                    action=AuditAction.IMPORT,
                    summary=f"import {batch.source_name}: {_summary(counts)}",
                    obj=batch,
                    detail={"counts": counts, "source": batch.source_name},
                )
        except (DatabaseError, ValidationError) as error:
            logger.exception("import %s failed while writing", batch.pk)
            return _refuse(
                batch,
                acting,
                [
                    Problem(
                        "", 0, "", f"the database refused the import, nothing was stored: {error}"
                    )
                ],
            )
    _refresh_statistics(batch.counts)
    say(f"import done: {_summary(batch.counts)}")
    return batch


#: while an import runs, its ``counts`` say which process runs it ("host:pid"), so that a later
#: import can tell an import whose process was killed (kill -9, a crash, a reboot) from one that
#: still runs; the finished import's counts replace it
PROCESS_KEY = "process"
#: an import still "running" after this long is taken as interrupted, wherever it ran
STALE_AFTER = dt.timedelta(hours=24)
INTERRUPTED = (
    "the import was interrupted before it finished (its process ended); nothing was stored: "
    "import the files again"
)


def recover_interrupted_imports() -> list[ImportBatch]:
    """Every import left "running" by a process that ended without finishing it is stored as
    refused with the reason (its writes were one transaction, rolled back with the process), so
    that no import shows "bezig" for ever. Returns the batches so marked."""
    recovered = []
    stale_before = timezone.now() - STALE_AFTER
    for batch in ImportBatch.objects.filter(state=ImportBatch.State.RUNNING).select_related(
        "organisation", "user"
    ):
        if batch.started_at < stale_before or process_ended(batch.counts.get(PROCESS_KEY)):
            acting = _Acting(user=batch.user, organisation=batch.organisation)
            recovered.append(_refuse(batch, acting, [Problem("", 0, "", INTERRUPTED)]))
            logger.warning("import %s was interrupted; stored as refused", batch.pk)
    return recovered


#: the tables an import writes, whose planner statistics a large import leaves stale
_IMPORTED_TABLES = (
    "people_school",
    "people_student",
    "people_enrolment",
    "people_exemption",
    "attendance_absencerecord",
)


def _refresh_statistics(counts: dict[str, dict[str, int]]) -> None:
    """After a large import, let PostgreSQL re-read the tables' statistics (autovacuum would do
    it later; until then every query on them is planned for the old sizes)."""
    written = sum(c.get("created", 0) + c.get("updated", 0) for c in counts.values())
    if connection.vendor != "postgresql" or written < 10_000:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(_IMPORTED_TABLES))


def _summary(counts: dict[str, dict[str, int]]) -> str:
    total = {"created": 0, "updated": 0, "unchanged": 0}
    for figures in counts.values():
        for key in total:
            total[key] += figures.get(key, 0)
    return ", ".join(f"{value:,} {key}" for key, value in total.items())


def _refuse(batch: ImportBatch, acting: Any, problems: Sequence[Problem]) -> ImportBatch:
    with transaction.atomic():
        batch.state = ImportBatch.State.REFUSED
        batch.problems = [asdict(p) for p in problems[:MAX_STORED_PROBLEMS]]
        batch.counts = {"problems": len(problems)}
        batch.finished_at = timezone.now()
        batch.save(update_fields=["state", "problems", "counts", "finished_at"])
        audit_record(
            actor=acting,
            action=AuditAction.IMPORT,
            summary=f"import {batch.source_name} geweigerd: {len(problems)} probleem/problemen",
            obj=batch,
            detail={"problems": len(problems), "source": batch.source_name},
        )
    batch.all_problems = list(problems)  # type: ignore[attr-defined]
    return batch
