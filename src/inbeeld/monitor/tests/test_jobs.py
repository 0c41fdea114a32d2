"""The monitor's background work (issue 14): the leerplichttelling's file built by the worker and
downloaded from the job's page; "Cijfers nu verversen" one refresh at a time. On SQLite and
PostgreSQL (``make test`` runs this app on both)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.accounts.tests.factories import actor_for
from inbeeld.attendance.tests.factories import MembershipFactory
from inbeeld.audit.models import AuditEvent
from inbeeld.monitor import jobs, reports
from inbeeld.monitor.models import FiguresRefresh
from inbeeld.monitor.tests.downloads import download_telling, start_export
from inbeeld.operations import registry
from inbeeld.operations.models import BackgroundJob, JobState
from inbeeld.operations.tests.conftest import work_off_the_queue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def database_backend(settings):
    """Tasks queued in the database, as in production; the test runs the worker's loop."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _page(client, job: BackgroundJob) -> str:
    return client.get(reverse("operations:job", args=[job.pk])).content.decode()


def _exports() -> int:
    return AuditEvent.objects.filter(action="export").count()


# -- the leerplichttelling's file ------------------------------------------------------------------


@pytest.mark.usefixtures("database_backend")
def test_an_export_is_queued_then_built_by_the_worker_and_downloaded(client, world):
    client.force_login(world.beleid_a.user)
    job = start_export(client, 2024, "pdf")
    assert job.state == JobState.QUEUED  # the request only queued it
    assert job.params == {"school_year": 2024, "format": "pdf"}
    assert 'data-testid="job-result"' not in _page(client, job)

    work_off_the_queue()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    path = Path(settings.MEDIA_ROOT) / job.result["folder"] / job.result["file"]
    assert job.result["folder"].startswith("jobs/export-")
    assert path.name == "leerplichttelling-2024-25.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    assert _exports() == 0  # audited when the figures leave Inbeeld: at the download
    page = _page(client, job)
    download = reverse("monitor:export_download", args=[job.pk])
    assert f'href="{download}"' in page
    assert "Downloaden" in page

    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == path.read_bytes()
    assert 'attachment; filename="leerplichttelling-2024-25.pdf"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="export")
    assert event.user == world.beleid_a.user
    assert event.detail == {"school_year": 2024, "format": "pdf"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_file_is_the_same_as_the_telling_made_in_the_request_was(client, world, fmt):
    client.force_login(world.beleid_a.user)
    _response, content = download_telling(client, 2024, fmt)
    expected, _type = reports.telling_file(
        actor=actor_for(world.beleid_a), school_year=2024, fmt=fmt
    )
    if fmt == "csv":
        assert content == expected
    else:  # an XLSX carries the moment it was written: compare its cells
        import io

        from openpyxl import load_workbook

        def cells(data: bytes) -> list:
            book = load_workbook(io.BytesIO(data))
            return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]

        assert cells(content) == cells(expected)


def test_a_failed_export_shows_its_error_and_a_retry_builds_the_file(client, world):
    client.force_login(world.beleid_a.user)
    with mock.patch.object(reports, "telling_file", side_effect=OSError("de schijf is vol")):
        job = start_export(client, 2024, "csv")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "OSError: de schijf is vol"
    page = _page(client, job)
    assert "OSError: de schijf is vol" in page
    assert 'data-testid="job-retry"' in page
    assert 'data-testid="job-result"' not in page

    response = client.post(reverse("operations:job_retry", args=[job.pk]))
    again = BackgroundJob.objects.get(retry_of=job)
    assert response["Location"] == reverse("operations:job", args=[again.pk])
    assert again.state == JobState.DONE, again.error
    assert again.params == job.params
    assert client.get(reverse("monitor:export_download", args=[again.pk])).status_code == 200


def test_another_organisation_gets_no_file_and_no_page(client, world):
    client.force_login(world.beleid_a.user)
    job = start_export(client, 2024, "csv")
    download = reverse("monitor:export_download", args=[job.pk])
    client.force_login(world.beleid_b.user)
    assert client.get(download).status_code == 404
    assert client.get(reverse("operations:job", args=[job.pk])).status_code == 404
    assert _exports() == 0


def test_without_the_figures_permission_the_download_is_forbidden(client, world):
    client.force_login(world.beleid_a.user)
    job = start_export(client, 2024, "csv")
    colleague = MembershipFactory(organisation=world.gemeente_a, role=Role.WIJKTEAM_MEDEWERKER)
    client.force_login(colleague.user)
    assert client.get(reverse("monitor:export_download", args=[job.pk])).status_code == 403
    assert client.post(reverse("monitor:telling_export", args=[2024, "csv"])).status_code == 403
    # a colleague who reads the figures of the same organisation may download it
    colleague = MembershipFactory(organisation=world.gemeente_a, role=Role.LEERPLICHTAMBTENAAR)
    client.force_login(colleague.user)
    assert client.get(reverse("monitor:export_download", args=[job.pk])).status_code == 200


def test_a_job_of_another_kind_is_no_download(client, world):
    other = BackgroundJob.objects.create(
        kind="detection",
        state=JobState.DONE,
        organisation=world.gemeente_a,
        result={"folder": "jobs/x", "file": "leerplichttelling-2024-25.csv"},
    )
    client.force_login(world.beleid_a.user)
    assert client.get(reverse("monitor:export_download", args=[other.pk])).status_code == 404


def test_the_download_page_only_starts_with_a_post(client, world):
    client.force_login(world.beleid_a.user)
    assert client.get(reverse("monitor:telling_export", args=[2024, "csv"])).status_code == 405
    assert not BackgroundJob.objects.exists()


def test_a_newer_export_of_the_same_year_and_format_replaces_the_file(client, world):
    client.force_login(world.beleid_a.user)
    first = start_export(client, 2024, "csv")
    pdf = start_export(client, 2024, "pdf")
    first_folder = Path(settings.MEDIA_ROOT) / first.result["folder"]
    assert first_folder.is_dir()
    second = start_export(client, 2024, "csv")
    first.refresh_from_db()
    assert not first_folder.exists()
    assert "folder" not in first.result
    assert "removed_at" in first.result
    assert client.get(reverse("monitor:export_download", args=[first.pk])).status_code == 404
    page = _page(client, first)
    assert 'data-testid="job-result"' not in page
    assert "Het bestand is verwijderd" in page
    # the other format and the new file stay; another organisation's export is its own
    for job in (pdf, second):
        assert client.get(reverse("monitor:export_download", args=[job.pk])).status_code == 200
    client.force_login(world.beleid_b.user)
    start_export(client, 2024, "csv")
    second.refresh_from_db()
    assert "folder" in second.result


def test_an_export_past_its_retention_is_removed_by_the_workers_housekeeping(
    client, world, settings
):
    settings.INBEELD_EXPORT_RETENTION_HOURS = 24
    client.force_login(world.beleid_a.user)
    old, young = start_export(client, 2024, "csv"), start_export(client, 2024, "pdf")
    folder = Path(settings.MEDIA_ROOT) / old.result["folder"]
    BackgroundJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    registry.housekeeping()
    old.refresh_from_db()
    young.refresh_from_db()
    assert "folder" not in old.result
    assert not folder.exists()
    assert client.get(reverse("monitor:export_download", args=[old.pk])).status_code == 404
    assert client.get(reverse("monitor:export_download", args=[young.pk])).status_code == 200


def test_the_next_export_removes_what_is_past_its_retention_too(client, world, settings):
    settings.INBEELD_EXPORT_RETENTION_HOURS = 1
    client.force_login(world.beleid_b.user)
    old = start_export(client, 2024, "xlsx")
    folder = Path(settings.MEDIA_ROOT) / old.result["folder"]
    BackgroundJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=2))
    client.force_login(world.beleid_a.user)
    start_export(client, 2024, "csv")
    assert not folder.exists()


# -- "Cijfers nu verversen" ------------------------------------------------------------------------


@pytest.fixture
def beheer(world):
    """A functioneel beheerder of gemeente A: runs detection, so refreshes the figures."""
    return MembershipFactory(organisation=world.gemeente_a, role=Role.FUNCTIONEEL_BEHEERDER)


def test_the_dashboard_offers_the_refresh_to_who_runs_detection_only(client, world, beheer):
    client.force_login(world.beleid_a.user)
    page = client.get(reverse("monitor:dashboard")).content.decode()
    assert 'data-testid="refresh-figures"' not in page
    assert "De cijfers zijn het laatst ververst op" in page
    assert client.post(reverse("monitor:refresh")).status_code == 403
    client.force_login(beheer.user)
    page = client.get(reverse("monitor:dashboard")).content.decode()
    assert f'action="{reverse("monitor:refresh")}"' in page
    assert 'data-testid="refresh-figures"' in page


@pytest.mark.usefixtures("database_backend")
def test_a_refresh_runs_in_the_worker_with_its_summary(client, world, beheer):
    client.force_login(beheer.user)
    before = FiguresRefresh.objects.count()
    response = client.post(reverse("monitor:refresh"))
    job = BackgroundJob.objects.get(kind=jobs.FIGURES)
    assert response["Location"] == reverse("operations:job", args=[job.pk])
    assert job.state == JobState.QUEUED
    assert FiguresRefresh.objects.count() == before  # nothing computed in the request
    page = client.get(reverse("monitor:dashboard")).content.decode()
    assert 'data-testid="refresh-running"' in page
    assert reverse("operations:job", args=[job.pk]) in page
    assert 'data-testid="refresh-figures"' not in page
    # a second click while it waits leads to the same job: one refresh at a time
    again = client.post(reverse("monitor:refresh"))
    assert again["Location"] == reverse("operations:job", args=[job.pk])
    assert BackgroundJob.objects.filter(kind=jobs.FIGURES).count() == 1
    # the command waits its turn as well
    with pytest.raises(CommandError, match="De cijfers worden al ververst"):
        call_command("refresh_figures", "--quiet")

    work_off_the_queue()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    refresh = FiguresRefresh.objects.latest("id")
    assert job.result["refresh"] == refresh.pk
    assert job.result["episodes"] == refresh.counts["episodes"]
    assert f"{refresh.counts['episodes']} episodes" in _page(client, job)
    page = client.get(reverse("monitor:dashboard")).content.decode()
    assert 'data-testid="refresh-running"' not in page
    assert 'data-testid="refresh-figures"' in page


def test_a_refresh_started_elsewhere_is_shown_but_not_linked(client, world, beheer):
    BackgroundJob.objects.create(kind=jobs.FIGURES, state=JobState.RUNNING)  # the command's
    client.force_login(beheer.user)
    page = client.get(reverse("monitor:dashboard")).content.decode()
    assert "De cijfers worden nu ververst." in page
    response = client.post(reverse("monitor:refresh"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("monitor:dashboard")
    assert "De cijfers worden al ververst." in response.content.decode()


def test_a_failed_refresh_shows_its_error_and_a_retry_runs_it(client, world, beheer):
    client.force_login(beheer.user)
    with mock.patch.object(jobs, "refresh_episodes", side_effect=RuntimeError("geen database")):
        client.post(reverse("monitor:refresh"))
    job = BackgroundJob.objects.get(kind=jobs.FIGURES)
    assert job.state == JobState.FAILED
    page = _page(client, job)
    assert "RuntimeError: geen database" in page
    assert 'data-testid="job-retry"' in page
    client.post(reverse("operations:job_retry", args=[job.pk]))
    again = BackgroundJob.objects.get(retry_of=job)
    assert again.state == JobState.DONE, again.error
    assert "episodes" in again.result["summary"]
