"""The leerplichttelling's download as a browser does it (issue 14): the form starts an export job
(run at once by the tests' task backend), the job's page links the file, the link serves it."""

from __future__ import annotations

import html
import re

from django.http import FileResponse
from django.test import Client
from django.urls import reverse

from inbeeld.operations.models import BackgroundJob

_RESULT = re.compile(r'href="([^"]+)" data-testid="job-result"')


def start_export(client: Client, year: int, fmt: str) -> BackgroundJob:
    """POST the download form; the job it redirected to."""
    response = client.post(reverse("monitor:telling_export", args=[year, fmt]))
    assert response.status_code == 302, response.status_code
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert response["Location"] == reverse("operations:job", args=[pk])
    return BackgroundJob.objects.get(pk=pk)


def download_telling(client: Client, year: int, fmt: str) -> tuple[FileResponse, bytes]:
    """The file of the leerplichttelling of ``year`` as ``fmt``: the response and its bytes."""
    job = start_export(client, year, fmt)
    page = client.get(reverse("operations:job", args=[job.pk])).content.decode()
    link = _RESULT.search(page)
    assert link, f"no download on the job's page: {job.state} {job.error}"
    response = client.get(html.unescape(link.group(1)))
    assert response.status_code == 200, response.status_code
    # the test client closes the response when its content is read (as a WSGI server does)
    return response, b"".join(response.streaming_content)
