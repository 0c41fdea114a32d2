"""Reads of background jobs: only the acting organisation's own."""

from __future__ import annotations

from django.db.models import QuerySet

from inbeeld.accounts.actor import Actor
from inbeeld.operations.models import ACTIVE_STATES, BackgroundJob


def job_for(*, actor: Actor, pk: int) -> BackgroundJob | None:
    """A job the acting organisation started (None otherwise: answered as not found)."""
    return (
        BackgroundJob.objects.filter(pk=pk, organisation=actor.organisation)
        .select_related("started_by", "retry_of")
        .first()
    )


def jobs_of(*, actor: Actor, kind: str, limit: int = 10) -> QuerySet[BackgroundJob]:
    return BackgroundJob.objects.filter(organisation=actor.organisation, kind=kind)[:limit]


def active_job(kind: str) -> BackgroundJob | None:
    """The queued or running job of ``kind``, whoever started it (an exclusive kind has one)."""
    return BackgroundJob.objects.filter(kind=kind, state__in=ACTIVE_STATES).first()
