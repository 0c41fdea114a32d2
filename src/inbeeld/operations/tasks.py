"""The one django-tasks task: run a :class:`~inbeeld.operations.models.BackgroundJob`.

The queue carries only the job's id; what to do, for whom and with what is on the job itself.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_background_job(job_id: int) -> dict:
    from inbeeld.operations.services import run_job

    return run_job(job_id)
