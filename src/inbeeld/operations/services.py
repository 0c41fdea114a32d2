"""Starting, running, retrying and guarding background jobs; each write audited.

- :func:`start_job` (the web): records the job, audited, and queues the task; for a kind in
  ``EXCLUSIVE_KINDS`` a second job while one is queued or running is refused by the database
  (:class:`JobAlreadyActiveError` names the one there is).
- :func:`run_job` (the task, in the worker): running → the work with its progress → done with the
  result's summary, or failed with the error.
- :func:`retry_job`: a failed job again, as a new job that names the failed one.
- :func:`held` (a command): the same guard around work done in the command's own process, so the
  command and the web never run the same detection at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.operations.models import ACTIVE_STATES, BackgroundJob, JobState
from inbeeld.operations.processes import process_ended, this_process
from inbeeld.operations.registry import Progress, job_type

logger = logging.getLogger(__name__)


class JobAlreadyActiveError(Exception):
    """A job of an exclusive kind is queued or running already: ``job``."""

    def __init__(self, job: BackgroundJob) -> None:
        super().__init__(f"{job.kind} job {job.pk} is {job.state}")
        self.job = job


def _abandoned_after() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "INBEELD_JOB_ABANDONED_MINUTES", 60)))


def _release_abandoned(kind: str) -> None:
    """A running job whose process has ended (kill -9 of a command or a worker on this machine),
    or that reported nothing for long (a power cut, another machine), was killed: mark it failed,
    so it neither blocks the next run nor seems to go on."""
    now = timezone.now()
    for job in BackgroundJob.objects.filter(kind=kind, state=JobState.RUNNING):
        if process_ended(job.process):
            error = _("Afgebroken: het proces dat de taak uitvoerde, is gestopt.")
        elif job.updated_at < now - _abandoned_after():
            error = _("Afgebroken: de taak gaf sinds %(since)s geen teken van leven.") % {
                "since": timezone.localtime(job.updated_at).strftime("%Y-%m-%d %H:%M")
            }
        else:
            continue
        _finish(job, state=JobState.FAILED, error=error)


def _active_job(kind: str) -> BackgroundJob | None:
    return BackgroundJob.objects.filter(kind=kind, state__in=ACTIVE_STATES).first()


def _audit(job: BackgroundJob, summary: str, *, actor: Actor | None = None, **detail: Any) -> None:
    audit_record(
        actor=actor,
        user=job.started_by,
        organisation=job.organisation,
        action=AuditAction.CREATE if job.state == JobState.QUEUED else AuditAction.UPDATE,
        summary=summary,
        obj=job,
        detail={"kind": job.kind, "state": job.state, **detail},
    )


def start_job(
    *,
    actor: Actor,
    kind: str,
    params: Mapping[str, Any] | None = None,
    retry_of: BackgroundJob | None = None,
) -> BackgroundJob:
    """Record a job for ``actor`` and queue it; returns the job (run already where the backend
    runs tasks at once: the tests)."""
    if not actor.can(job_type(kind).permission):
        raise PermissionDenied
    _release_abandoned(kind)
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.create(
                kind=kind,
                params=dict(params or {}),
                started_by=actor.stored_user,
                organisation=actor.organisation,
                retry_of=retry_of,
                message=gettext_noop("In de wachtrij"),
            )
            _audit(
                job,
                f"achtergrondtaak {kind} {'opnieuw ' if retry_of else ''}gestart",
                actor=actor,
                retry_of=retry_of.pk if retry_of else None,
            )
    except IntegrityError:
        active = _active_job(kind)
        if active is None:
            raise
        raise JobAlreadyActiveError(active) from None
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: BackgroundJob) -> None:
    from inbeeld.operations.tasks import run_background_job

    try:
        result = run_background_job.enqueue(job.pk)
    except Exception as error:
        job.refresh_from_db()
        _finish(job, state=JobState.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def retry_job(*, actor: Actor, job: BackgroundJob) -> BackgroundJob:
    """A failed job once more: a new job with the same parameters, naming the failed one."""
    if job.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if job.state != JobState.FAILED:
        raise ValidationError(_("Alleen een mislukte taak kan opnieuw worden gestart."))
    return start_job(actor=actor, kind=job.kind, params=job.params, retry_of=job)


class _Reporter:
    """Writes a job's progress as the work reports it. Not from inside the work's own
    transaction: what it writes there is seen only at the commit, and on SQLite a second writer
    would wait for it; the step before the transaction stands until the work is done."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.depth = len(connection.atomic_blocks)
        self.percent = 0
        self.message = ""

    def __call__(self, percent: int, message: str) -> None:
        percent = max(self.percent, min(99, int(percent)))
        if (percent, message) == (self.percent, self.message):
            return
        if len(connection.atomic_blocks) > self.depth:
            return
        self.percent, self.message = percent, message
        BackgroundJob.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(
            progress=percent, message=message[:255], updated_at=timezone.now()
        )


def _actor_of(job: BackgroundJob) -> Actor | None:
    """Who the work acts as: the starter with their roles at the organisation as they are now
    (a role withdrawn since the start stops the job); None for a command's job."""
    if job.started_by is None or job.organisation is None:
        return None
    memberships = list(
        Membership.objects.filter(
            user=job.started_by, organisation=job.organisation, active=True
        ).select_related("user", "organisation")
    )
    if not memberships:
        raise PermissionDenied("the user who started the job has no active role there any more")
    actor = Actor.for_membership(memberships)
    if not actor.can(job_type(job.kind).permission):
        raise PermissionDenied("the user who started the job may no longer do this")
    return actor


def _finish(
    job: BackgroundJob,
    *,
    state: JobState,
    result: Mapping[str, Any] | None = None,
    error: str = "",
) -> None:
    with transaction.atomic():
        job.state = state
        job.finished_at = timezone.now()
        job.result = dict(result or {})
        job.error = error
        if state == JobState.DONE:
            job.progress = 100
            job.message = gettext_noop("Klaar")
        else:
            job.message = gettext_noop("Mislukt")
        job.save(update_fields=["state", "finished_at", "result", "error", "progress", "message"])
        _audit(job, f"achtergrondtaak {job.kind} {job.get_state_display()}")


def run_job(job_id: int) -> dict[str, Any]:
    """The task's body: run one queued job. A job not queued (already run, or taken by a retry
    of the queue) is left alone."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != JobState.QUEUED:
            return {"job": job_id, "skipped": True}
        job.state = JobState.RUNNING
        job.started_at = timezone.now()
        job.message = gettext_noop("Gestart")
        job.process = this_process()
        job.save(update_fields=["state", "started_at", "message", "process", "updated_at"])
    try:
        actor = _actor_of(job)
        result = job_type(job.kind).run(job.params, actor, _Reporter(job.pk))
    except Exception as error:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        job.refresh_from_db()
        _finish(job, state=JobState.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        raise
    job.refresh_from_db()
    _finish(job, state=JobState.DONE, result=result)
    return {"job": job.pk, "state": job.state}


@contextmanager
def held(kind: str, *, params: Mapping[str, Any] | None = None) -> Iterator[Progress]:
    """Do ``kind``'s work here (a command), under the same guard as the web's jobs: refused with
    :class:`JobAlreadyActiveError` while a job of an exclusive kind is queued or running."""
    _release_abandoned(kind)
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.create(
                kind=kind,
                state=JobState.RUNNING,
                started_at=timezone.now(),
                params=dict(params or {}),
                message=gettext_noop("Gestart vanaf de opdrachtregel"),
                process=this_process(),
            )
            _audit(job, f"achtergrondtaak {kind} gestart vanaf de opdrachtregel")
    except IntegrityError:
        active = _active_job(kind)
        if active is None:
            raise
        raise JobAlreadyActiveError(active) from None
    try:
        yield _Reporter(job.pk)
    except BaseException as error:
        job.refresh_from_db()
        _finish(job, state=JobState.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        raise
    job.refresh_from_db()
    _finish(job, state=JobState.DONE)
