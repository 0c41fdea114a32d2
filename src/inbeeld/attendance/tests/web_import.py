"""The web import runs as a background job (issue 14): from the page's answer to the report."""

from __future__ import annotations

from django.urls import reverse

from inbeeld.operations.models import BackgroundJob, JobState


def report_after(client, response) -> str:
    """The page queues the import and goes to the job's page, which links the report when the
    job is done (here at once: the tests run tasks where they are queued)."""
    assert response.status_code == 302
    job = BackgroundJob.objects.latest("pk")
    assert response["Location"] == reverse("operations:job", args=[job.pk])
    assert job.state == JobState.DONE, job.error
    report_url = reverse("imports:report", args=[job.result["batch"]])
    assert report_url in client.get(response["Location"]).content.decode()
    return client.get(report_url).content.decode()
