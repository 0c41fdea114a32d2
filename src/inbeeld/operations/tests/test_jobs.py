"""The background job's lifecycle (issue 14): queued, running with progress, done, failed,
retried; on SQLite and PostgreSQL (``make test`` runs this app on both)."""

from __future__ import annotations

import socket
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from inbeeld.accounts.models import Role
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.tests.factories import MembershipFactory, actor_for
from inbeeld.audit.models import AuditEvent
from inbeeld.operations.models import BackgroundJob, JobState
from inbeeld.operations.processes import this_process
from inbeeld.operations.registry import JobType, register
from inbeeld.operations.services import (
    JobAlreadyActiveError,
    held,
    retry_job,
    run_job,
    start_job,
)
from inbeeld.operations.tests.conftest import work_off_the_queue

#: what the test job saw of itself while it ran: (state, progress, message)
SEEN: list[tuple[str, int, str]] = []


def _sum(params, actor, progress):
    progress(50, "Halverwege")
    job = BackgroundJob.objects.get(pk=params["job"]) if "job" in params else None
    if job is not None:
        SEEN.append((job.state, job.progress, job.message))
    if params.get("fail"):
        raise RuntimeError("de bron is weg")
    return {"summary": f"som {sum(params['numbers'])}", "by": actor.user.username}


register(JobType(kind="test-sum", label="Optellen", permission=Permission.IMPORT_DATA, run=_sum))


def _start(actor, **params):
    return start_job(actor=actor, kind="test-sum", params={"numbers": [1, 2, 3], **params})


@pytest.mark.usefixtures("database_backend")
def test_a_job_is_queued_then_run_by_the_worker_with_its_progress(beheer):
    SEEN.clear()
    job = _start(beheer)
    assert job.state == JobState.QUEUED
    assert job.progress == 0
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    BackgroundJob.objects.filter(pk=job.pk).update(params={"numbers": [1, 2, 3], "job": job.pk})

    work_off_the_queue()

    job.refresh_from_db()
    assert SEEN == [(JobState.RUNNING, 50, "Halverwege")]  # progress seen while running
    assert job.state == JobState.DONE
    assert job.progress == 100
    assert job.result == {"summary": "som 6", "by": beheer.user.username}
    assert job.started_at is not None
    assert job.finished_at >= job.started_at
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    summaries = list(
        AuditEvent.objects.filter(object_id=str(job.pk)).values_list("summary", flat=True)
    )
    assert len(summaries) == 2  # started, done


@pytest.mark.usefixtures("database_backend")
def test_a_failed_job_keeps_its_error_and_a_retry_is_a_new_attempt(beheer):
    job = _start(beheer, fail=True)
    work_off_the_queue()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "RuntimeError: de bron is weg"
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"

    BackgroundJob.objects.filter(pk=job.pk).update(params={"numbers": [4]})
    job.refresh_from_db()
    again = retry_job(actor=beheer, job=job)
    assert again.pk != job.pk
    assert again.retry_of == job
    assert again.state == JobState.QUEUED
    work_off_the_queue()
    again.refresh_from_db()
    assert again.state == JobState.DONE
    assert again.result["summary"] == "som 4"
    job.refresh_from_db()
    assert job.state == JobState.FAILED  # history stays


def test_only_a_failed_job_can_be_retried_and_only_by_its_organisation(beheer):
    job = _start(beheer)  # done at once (the tests' backend)
    assert job.state == JobState.DONE
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        retry_job(actor=beheer, job=job)
    other = actor_for(MembershipFactory(role=Role.FUNCTIONEEL_BEHEERDER))
    job.state = JobState.FAILED
    with pytest.raises(PermissionDenied):
        retry_job(actor=other, job=job)


def test_who_may_not_do_the_work_cannot_start_it(db):
    leerplicht = actor_for(MembershipFactory(role=Role.LEERPLICHTAMBTENAAR))
    with pytest.raises(PermissionDenied):
        _start(leerplicht)
    assert not BackgroundJob.objects.exists()


def test_a_job_stops_when_its_starter_lost_the_role(beheer, database_backend):
    job = _start(beheer)
    beheer.user.memberships.update(active=False)
    work_off_the_queue()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "PermissionDenied" in job.error


def test_a_job_that_is_not_queued_is_left_alone(beheer):
    job = _start(beheer)
    assert run_job(job.pk) == {"job": job.pk, "skipped": True}


# -- two runs of the same detection never overlap --------------------------------------------------


def test_the_database_refuses_a_second_active_detection(db):
    BackgroundJob.objects.create(kind="detection", state=JobState.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(kind="detection", state=JobState.QUEUED)
    BackgroundJob.objects.create(kind="detection", state=JobState.DONE)  # history is free
    BackgroundJob.objects.create(kind="import", state=JobState.RUNNING)
    BackgroundJob.objects.create(kind="import", state=JobState.RUNNING)  # imports may overlap


def test_run_now_while_a_detection_runs_names_the_running_one(beheer):
    running = BackgroundJob.objects.create(
        kind="detection", state=JobState.RUNNING, organisation=beheer.organisation
    )
    with pytest.raises(JobAlreadyActiveError) as refused:
        start_job(actor=beheer, kind="detection")
    assert refused.value.job == running
    assert BackgroundJob.objects.filter(kind="detection").count() == 1


def test_the_command_and_the_web_share_the_guard(beheer):
    with held("detection"), pytest.raises(JobAlreadyActiveError):
        start_job(actor=beheer, kind="detection")
    assert BackgroundJob.objects.get(kind="detection").state == JobState.DONE
    job = start_job(actor=beheer, kind="detection")  # after the command: free again
    assert job.state == JobState.DONE, job.error


def test_a_detection_abandoned_by_a_killed_worker_does_not_block(beheer, settings):
    settings.INBEELD_JOB_ABANDONED_MINUTES = 5
    dead = BackgroundJob.objects.create(kind="detection", state=JobState.RUNNING)
    BackgroundJob.objects.filter(pk=dead.pk).update(
        updated_at=timezone.now() - timedelta(minutes=6)
    )
    job = start_job(actor=beheer, kind="detection")
    dead.refresh_from_db()
    assert dead.state == JobState.FAILED
    assert "Afgebroken" in dead.error
    assert job.state == JobState.DONE


def test_a_detection_whose_process_was_killed_does_not_block_for_an_hour(beheer):
    """kill -9 of ``inbeeld detect``: its job still says running, but its process is gone."""
    gone = f"{socket.gethostname()}:{_ended_pid()}"
    dead = BackgroundJob.objects.create(kind="detection", state=JobState.RUNNING, process=gone)
    alive = this_process()
    with held("detection"):
        dead.refresh_from_db()
        assert dead.state == JobState.FAILED
        assert "gestopt" in dead.error
        assert BackgroundJob.objects.get(state=JobState.RUNNING).process == alive


def test_a_running_job_of_a_living_process_still_blocks(beheer):
    BackgroundJob.objects.create(kind="detection", state=JobState.RUNNING, process=this_process())
    with pytest.raises(JobAlreadyActiveError):
        start_job(actor=beheer, kind="detection")


def _ended_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_the_detect_command_refuses_while_a_detection_runs(db):
    from django.core.management import CommandError, call_command

    BackgroundJob.objects.create(kind="detection", state=JobState.RUNNING)
    with pytest.raises(CommandError, match="Er loopt al een detectie"):
        call_command("detect", "--quiet")


# -- the page -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("database_backend")
def test_the_page_polls_while_running_and_stops_when_done(client, beheer):
    client.force_login(beheer.user)
    job = _start(beheer)
    page = client.get(reverse("operations:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "in de wachtrij" in page
    BackgroundJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, progress=40, message="Bestanden lezen"
    )
    fragment = client.get(reverse("operations:job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert 'value="40"' in fragment
    assert "Bestanden lezen" in fragment
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    work_off_the_queue()
    fragment = client.get(reverse("operations:job_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment
    assert "som 6" in fragment


@pytest.mark.usefixtures("database_backend")
def test_a_failed_job_shows_its_error_and_the_retry_button(client, beheer):
    client.force_login(beheer.user)
    job = _start(beheer, fail=True)
    work_off_the_queue()
    page = client.get(reverse("operations:job", args=[job.pk])).content.decode()
    assert "RuntimeError: de bron is weg" in page
    assert 'data-testid="job-retry"' in page
    response = client.post(reverse("operations:job_retry", args=[job.pk]))
    again = BackgroundJob.objects.get(retry_of=job)
    assert response["Location"] == reverse("operations:job", args=[again.pk])
    page = client.get(reverse("operations:job", args=[job.pk])).content.decode()
    assert 'data-testid="job-retry"' not in page  # one retry per failure: it links the new one
    assert reverse("operations:job", args=[again.pk]) in page


def test_another_organisations_job_is_not_found(client, beheer):
    job = _start(beheer)
    other = MembershipFactory(role=Role.FUNCTIONEEL_BEHEERDER)
    client.force_login(other.user)
    assert client.get(reverse("operations:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("operations:job_retry", args=[job.pk])).status_code == 404
