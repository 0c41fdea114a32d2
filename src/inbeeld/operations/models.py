"""Background jobs (issue 14): what the web started off the request, its progress and outcome.

django-tasks (its database backend, ADR 0004) queues and runs the work; a :class:`BackgroundJob`
is Inbeeld's own record of it: who started it for which organisation, how far it is, what came of
it, the error of a failed one and the retry that followed it. The worker writes a
:class:`WorkerHeartbeat` while it lives; ``/gezondheid/`` reads it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


#: the states of a job that is not finished
ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)

#: kinds of which at most one job is queued or running at a time, whoever started it (the
#: detection runs over the whole database, as does the refresh of the figures)
EXCLUSIVE_KINDS = ("detection", "figures")


class BackgroundJob(models.Model):
    #: the kind of work (``operations.registry``: import, detection, ...)
    kind = models.CharField(max_length=32)
    state = models.CharField(
        max_length=16, choices=JobState.choices, default=JobState.QUEUED, db_index=True
    )
    #: 0-100, with the step it is at (a Dutch text of the job type's steps)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    #: what the work needs (a folder of uploaded files, a date): never personal data
    params = models.JSONField(default=dict, blank=True)
    #: the outcome's figures and, where there is one, the object it made (an import batch)
    result = models.JSONField(default=dict, blank=True)
    #: why a failed job failed (the exception's class and message)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: the failed job this one retries
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="retries"
    )
    #: ``host:pid`` of the process that runs it (``processes.this_process``): a running job whose
    #: process has ended was killed with it and no longer blocks the next run
    process = models.CharField(max_length=100, blank=True)
    #: the id of the django-tasks result that runs it
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: touched by every progress report: a running job long untouched was abandoned (kill -9)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # two runs of the same detection never overlap: a partial unique index, which SQLite
            # and PostgreSQL both enforce whichever process (web, worker, command) inserts
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind__in=EXCLUSIVE_KINDS, state__in=ACTIVE_STATES),
                name="one_active_job_per_exclusive_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class WorkerHeartbeat(models.Model):
    """One row per worker process (``inbeeld worker``), touched every few seconds while it runs."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.seen_at:%Y-%m-%d %H:%M:%S})"
