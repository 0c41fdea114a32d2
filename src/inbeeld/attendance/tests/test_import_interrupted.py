"""An import whose process ended before it finished (kill -9, a crash) is stored as refused by the
next import, never left "bezig" for ever; one that still runs is left alone (issue 14)."""

from __future__ import annotations

import datetime as dt
import os
import socket

import pytest
from django.utils import timezone

from inbeeld.accounts.tests.factories import OrganisationFactory
from inbeeld.attendance.imports.service import PROCESS_KEY, recover_interrupted_imports
from inbeeld.attendance.models import ImportBatch

pytestmark = pytest.mark.django_db


def _running(process: str, *, age: dt.timedelta = dt.timedelta(0)) -> ImportBatch:
    batch = ImportBatch.objects.create(
        organisation=OrganisationFactory(), source_name="x.zip", counts={PROCESS_KEY: process}
    )
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now() - age)
    return batch


def test_only_the_imports_whose_process_ended_are_refused():
    host = socket.gethostname()
    ended = _running(f"{host}:4194999")  # above any pid in use
    alive = _running(f"{host}:{os.getpid()}")
    elsewhere = _running("another-machine:12")
    forgotten = _running("another-machine:13", age=dt.timedelta(days=2))
    recovered = recover_interrupted_imports()
    assert {b.pk for b in recovered} == {ended.pk, forgotten.pk}
    ended.refresh_from_db()
    assert ended.state == ImportBatch.State.REFUSED
    assert "interrupted" in ended.problems[0]["message"]
    for batch in (alive, elsewhere):
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.RUNNING
    assert recover_interrupted_imports() == []
