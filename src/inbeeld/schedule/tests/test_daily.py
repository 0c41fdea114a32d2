"""The day's work: every step runs in order, and one failing step does not stop the others."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inbeeld.attendance.models import DetectionRun, StudentStatus
from inbeeld.attendance.tests.factories import AbsenceFactory, pupil, two_organisations
from inbeeld.concerns.models import Concern
from inbeeld.monitor.models import Episode, FiguresRefresh
from inbeeld.schedule import daily

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 11, 8)


def test_the_day_detects_registers_concerns_and_refreshes_the_figures():
    world = two_organisations()
    at_home = pupil(world.school_a)
    AbsenceFactory(student=at_home, start_date=dt.date(2024, 9, 2), end_date=ON)

    report = daily.run_day(on=ON)

    assert report.ok, report.failed
    assert list(report.done) == [
        "detectie",
        "koppelen",
        "cijfers",
        "acties",
        "verlengingen",
        "bewaartermijnen",
    ]
    assert DetectionRun.objects.get().on_date == ON
    assert StudentStatus.objects.get(student=at_home).category == "langdurig_relatief_verzuim"
    # the lrv melding is an urgent concern of the system, for the gemeente
    concern = Concern.objects.get(student=at_home)
    assert concern.system
    assert concern.urgent
    assert concern.organisation == world.gemeente_a
    assert FiguresRefresh.objects.get().on_date == ON
    assert Episode.objects.filter(student=at_home, category="langdurig_relatief_verzuim").exists()


def test_a_failing_step_is_reported_and_the_rest_still_runs(monkeypatch):
    def broken(on):
        raise RuntimeError("mailserver weg")

    ran = []
    steps = tuple(
        (name, broken if name == "acties" else (lambda on, name=name: ran.append(name) or "ok"))
        for name, _step in daily.STEPS
    )
    monkeypatch.setattr(daily, "STEPS", steps)
    report = daily.run_day(on=ON)
    assert not report.ok
    assert report.failed == {"acties": "RuntimeError: mailserver weg"}
    assert ran == ["detectie", "koppelen", "cijfers", "verlengingen", "bewaartermijnen"]

    out = StringIO()
    with pytest.raises(CommandError, match="acties"):
        call_command("daily", "--on", ON.isoformat(), stdout=out)
    assert "acties: MISLUKT" in out.getvalue()


def test_the_day_does_not_detect_beside_a_detection_from_the_web():
    from inbeeld.operations.models import BackgroundJob, JobState

    BackgroundJob.objects.create(kind="detection", state=JobState.RUNNING)
    report = daily.run_day(on=ON)
    assert report.failed["detectie"].startswith("JobAlreadyActiveError")
    assert not DetectionRun.objects.exists()
