"""The attendance app's background work (issue 14): the web's import and "run now" detection.

Registered with ``operations.registry`` when Django starts (``apps.py``); the worker runs them. The
commands ``inbeeld import`` and ``inbeeld detect`` call the same functions in their own process.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.imports import import_exchange
from inbeeld.attendance.models import ImportBatch
from inbeeld.operations.models import BackgroundJob
from inbeeld.operations.registry import JobType, Progress, register, steps

IMPORT = "import"
DETECTION = "detection"

#: the import's own steps (its ``say``) as progress; the write itself is one transaction, whose
#: rows are not reported (see operations.services._Reporter)
IMPORT_STEPS = {
    "reading ": (15, gettext_noop("Bestanden lezen")),
    "checking against": (45, gettext_noop("Controleren tegen de gegevens in Inbeeld")),
    "checking ": (30, gettext_noop("Bestanden controleren")),
    "exchange files read": (40, gettext_noop("Bestanden gelezen")),
    "writing": (55, gettext_noop("Opslaan (alles of niets)")),
    "import done": (95, gettext_noop("Afronden")),
}

DETECTION_STEPS = {
    "reading the database": (10, gettext_noop("Gegevens lezen")),
    "analysing": (30, gettext_noop("Regels toepassen")),
    "explaining": (50, gettext_noop("Bevindingen uitleggen")),
    "rules v": (60, gettext_noop("Statussen volgens de nieuwe regels")),
    "storing": (70, gettext_noop("Opslaan")),
    "done": (95, gettext_noop("Afronden")),
}


# -- import ---------------------------------------------------------------------------------------


def upload_folder() -> tuple[str, Path]:
    """A new folder for one upload under MEDIA_ROOT/jobs, where the worker reads it: its name
    relative to MEDIA_ROOT (the job's parameter) and its path."""
    name = f"jobs/import-{uuid.uuid4().hex}"
    path = Path(settings.MEDIA_ROOT) / name
    path.mkdir(parents=True)
    return name, path


def run_import(params: Mapping[str, Any], actor: Actor | None, progress: Progress) -> dict:
    folder = Path(settings.MEDIA_ROOT) / params["folder"]
    progress(5, gettext_noop("Bestanden uitpakken"))
    batch = import_exchange(
        source=folder / params["source"],
        actor=actor,
        source_name=params["source_name"],
        progress=steps(IMPORT_STEPS, progress),
    )
    # the files served their purpose (a failure raises before this line and keeps them for a retry)
    shutil.rmtree(folder, ignore_errors=True)
    if batch.state == ImportBatch.State.DONE:
        summary = _("Ingelezen: %(name)s.") % {"name": batch.source_name}
    else:
        summary = _("Geweigerd: %(count)s probleem/problemen, er is niets opgeslagen.") % {
            "count": batch.counts.get("problems", 0)
        }
    return {"batch": batch.pk, "state": batch.state, "summary": summary}


def _import_report(job: BackgroundJob) -> str | None:
    batch = job.result.get("batch")
    return reverse("imports:report", kwargs={"pk": batch}) if batch else None


# -- detection ------------------------------------------------------------------------------------


def run_detection(params: Mapping[str, Any], actor: Actor | None, progress: Progress) -> dict:
    run = detection_run(actor=actor, progress=steps(DETECTION_STEPS, progress))
    counts = run.counts
    return {
        "run": run.pk,
        "summary": _(
            "Detectie uitgevoerd: %(new)s nieuwe meldingen, %(changed)s statussen gewijzigd."
        )
        % {"new": counts["meldingen_new"], "changed": counts["statuses_changed"]},
    }


def register_jobs() -> None:
    register(
        JobType(
            kind=IMPORT,
            label=gettext_noop("Gegevens inlezen"),
            permission=Permission.IMPORT_DATA,
            run=run_import,
            result_url=_import_report,
            back_url=lambda: reverse("imports:page"),
        )
    )
    register(
        JobType(
            kind=DETECTION,
            label=gettext_noop("Detectie"),
            permission=Permission.RUN_DETECTION,
            run=run_detection,
            result_url=lambda job: reverse("attendance:detection"),
            back_url=lambda: reverse("attendance:detection"),
        )
    )
