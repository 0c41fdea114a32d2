"""The monitor's background work (issue 14): the leerplichttelling's files and the refresh of the
figures, never inside a request.

- ``export``: the worker builds a leerplichttelling file (CSV, XLSX, PDF with its charts) as the
  job's starter, and stores it under ``MEDIA_ROOT/jobs/export-<uuid>/``; the job's result names it
  and the job's page links its download (``views.export_download``, which audits the export). A
  file is removed when the organisation exports the same school year and format again, or after
  ``INBEELD_EXPORT_RETENTION_HOURS``: by the next export and by the worker's housekeeping.
- ``figures``: ``refresh.refresh_episodes`` (as ``inbeeld refresh-figures``), one at a time
  (``operations.models.EXCLUSIVE_KINDS``).

Registered with ``operations.registry`` when Django starts (``apps.py``).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.monitor import reports
from inbeeld.monitor.refresh import refresh_episodes
from inbeeld.operations.models import BackgroundJob, JobState
from inbeeld.operations.registry import JobType, Progress, register, steps
from inbeeld.rules.calendar import school_year_label

EXPORT = "export"
FIGURES = "figures"

#: the folder under MEDIA_ROOT that holds the exports' folders
JOBS_FOLDER = "jobs"

REFRESH_STEPS = {
    "reading the database": (10, gettext_noop("Gegevens lezen")),
    "episodes of": (40, gettext_noop("Episodes berekenen")),
    "storing": (70, gettext_noop("Opslaan")),
    "done": (95, gettext_noop("Afronden")),
}


# -- the leerplichttelling's files ---------------------------------------------------------------


def telling_filename(school_year: int, fmt: str) -> str:
    return f"leerplichttelling-{school_year}-{(school_year + 1) % 100:02d}.{fmt}"


def export_path(job: BackgroundJob) -> Path | None:
    """The stored file of a finished export, or None (removed, or not an export)."""
    folder, name = job.result.get("folder"), job.result.get("file")
    if job.kind != EXPORT or job.state != JobState.DONE or not folder or not name:
        return None
    root = (Path(settings.MEDIA_ROOT) / JOBS_FOLDER).resolve()
    path = (Path(settings.MEDIA_ROOT) / folder / name).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def _retention() -> timedelta:
    return timedelta(hours=int(getattr(settings, "INBEELD_EXPORT_RETENTION_HOURS", 24)))


def _remove(jobs) -> int:
    """Remove the files of finished exports; their results say so (the page links no file)."""
    removed = 0
    for job in jobs:
        folder = job.result.get("folder")
        if not folder:
            continue
        shutil.rmtree(Path(settings.MEDIA_ROOT) / folder, ignore_errors=True)
        job.result = {
            **{k: v for k, v in job.result.items() if k not in ("folder", "file")},
            "removed_at": timezone.now().isoformat(),
            "summary": _("Het bestand is verwijderd; start zo nodig een nieuwe download."),
        }
        job.save(update_fields=["result", "updated_at"])
        removed += 1
    return removed


def _with_file():
    return BackgroundJob.objects.filter(kind=EXPORT, state=JobState.DONE, result__has_key="folder")


def remove_expired_exports() -> int:
    """Remove every export's file older than the retention (the worker's housekeeping)."""
    return _remove(_with_file().filter(finished_at__lt=timezone.now() - _retention()))


def _remove_replaced(organisation_id: int, school_year: int, fmt: str) -> int:
    """Remove the files of the organisation's earlier exports of the same year and format."""
    return _remove(
        _with_file().filter(
            organisation_id=organisation_id, params__school_year=school_year, params__format=fmt
        )
    )


def run_export(params: Mapping[str, Any], actor: Actor | None, progress: Progress) -> dict:
    if actor is None:  # the figures are those of the starter's organisation
        raise PermissionDenied("an export is always started by someone")
    school_year, fmt = int(params["school_year"]), str(params["format"])
    if fmt not in reports.FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    remove_expired_exports()
    progress(10, gettext_noop("De telling maken"))
    content, _content_type = reports.telling_file(actor=actor, school_year=school_year, fmt=fmt)
    progress(90, gettext_noop("Het bestand opslaan"))
    folder = f"{JOBS_FOLDER}/export-{uuid.uuid4().hex}"
    name = telling_filename(school_year, fmt)
    path = Path(settings.MEDIA_ROOT) / folder
    path.mkdir(parents=True)
    try:
        (path / name).write_bytes(content)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        raise
    _remove_replaced(actor.organisation.pk, school_year, fmt)
    return {
        "folder": folder,
        "file": name,
        "school_year": school_year,
        "format": fmt,
        "bytes": len(content),
        "summary": _("Leerplichttelling %(year)s als %(format)s: klaar om te downloaden.")
        % {"year": school_year_label(school_year), "format": fmt.upper()},
    }


def _download_url(job: BackgroundJob) -> str | None:
    if export_path(job) is None:
        return None
    return reverse("monitor:export_download", kwargs={"pk": job.pk})


# -- the refresh of the figures -------------------------------------------------------------------


def run_refresh(params: Mapping[str, Any], actor: Actor | None, progress: Progress) -> dict:
    refresh = refresh_episodes(progress=steps(REFRESH_STEPS, progress))
    episodes = refresh.counts.get("episodes", 0)
    return {
        "refresh": refresh.pk,
        "episodes": episodes,
        "summary": _("Cijfers ververst op %(date)s: %(episodes)s episodes.")
        % {"date": refresh.on_date.strftime("%d-%m-%Y"), "episodes": episodes},
    }


def register_jobs() -> None:
    register(
        JobType(
            kind=EXPORT,
            label=gettext_noop("Leerplichttelling downloaden"),
            permission=Permission.VIEW_FIGURES,
            run=run_export,
            result_url=_download_url,
            result_label=gettext_noop("Downloaden"),
            back_url=lambda: reverse("monitor:dashboard"),
            housekeeping=remove_expired_exports,
        )
    )
    register(
        JobType(
            kind=FIGURES,
            label=gettext_noop("Cijfers verversen"),
            # the whole database through the rules, as detection: who runs detection refreshes
            permission=Permission.RUN_DETECTION,
            run=run_refresh,
            result_url=lambda job: reverse("monitor:dashboard"),
            back_url=lambda: reverse("monitor:dashboard"),
        )
    )
