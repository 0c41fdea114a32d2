"""Issue 14: a web import of the demo municipality runs in the background worker; the job's page
shows its progress while it waits and runs, then links the import's report (Playwright + axe).

The tasks are queued in the database, as in production; the test runs the worker's processing
function while the page polls (htmx, every 2 s) and sees the job finish.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Membership, OrganisationType, Role, User
from inbeeld.accounts.services import organisation_create
from inbeeld.attendance.models import ImportBatch
from inbeeld.demo import setup
from inbeeld.demo.generator import generate_demo_data
from inbeeld.operations.models import BackgroundJob, JobState
from inbeeld.operations.tests.conftest import work_off_the_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON = dt.date(2025, 6, 20)
STUDENTS = 200
PASSWORD = setup.DEMO_PASSWORD


@pytest.fixture(scope="module")
def demo_zip(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    generate_demo_data(
        directory / "files", students=STUDENTS, seed=3, on=ON, municipality=setup.MUNICIPALITY
    )
    return Path(shutil.make_archive(str(directory / "demo"), "zip", directory / "files"))


@pytest.fixture
def demo(demo_zip, transactional_db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    gemeente = organisation_create(
        actor=None,
        type=OrganisationType.GEMEENTE,
        name=setup.MUNICIPALITY_NAME,
        code=setup.MUNICIPALITY,
        municipality_code=setup.MUNICIPALITY,
    )
    # the gemeente's functioneel beheerder imports the demo municipality through the web
    user = User.objects.create_user("demo-beheer", password=PASSWORD, first_name="Joost")
    Membership.objects.create(user=user, organisation=gemeente, role=Role.FUNCTIONEEL_BEHEERDER)
    return gemeente


def test_a_web_import_shows_its_progress_and_then_the_report(
    page, log_in, app_url, axe, demo, demo_zip
):
    log_in(page, "demo-beheer", PASSWORD)
    page.goto(app_url("imports:page"))
    page.get_by_label("Bestanden").set_input_files(str(demo_zip))
    page.get_by_role("button", name="Inlezen").click()

    # the request only queued it: the job's page shows the state and the progress bar, polling
    status = page.get_by_test_id("job-status")
    expect(status).to_have_attribute("data-state", JobState.QUEUED)
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(status).to_contain_text("in de wachtrij")
    axe.assert_clean(page)
    job = BackgroundJob.objects.get(kind="import")
    assert not ImportBatch.objects.exists()  # the web's import has not run

    work_off_the_queue()  # the worker

    expect(status).to_have_attribute("data-state", JobState.DONE, timeout=15_000)
    batch = ImportBatch.objects.latest("pk")
    assert batch.state == "done", batch.problems
    expect(status).to_contain_text("Ingelezen: demo.zip")
    axe.assert_clean(page)
    job.refresh_from_db()
    assert job.progress == 100
    page.get_by_test_id("job-result").click()
    expect(page).to_have_url(app_url("imports:report", job.result["batch"]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("students.csv")
    axe.assert_clean(page)
