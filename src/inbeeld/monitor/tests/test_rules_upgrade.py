"""The monitor after an upgrade of the rules (RULES.md §7): the first detection run under the new
version computes the episodes again; later runs leave that to the daily refresh."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import DetectionRun
from inbeeld.attendance.tests.factories import StudentFactory, pupil, two_organisations
from inbeeld.monitor.models import Episode, FiguresRefresh

D = dt.date
ON = D(2024, 11, 8)


@pytest.mark.django_db
def test_the_first_run_under_new_rules_refreshes_the_episodes():
    world = two_organisations()
    pupil(world.school_a)
    home = StudentFactory(municipality_code="GM0001", birth_date=D(2014, 3, 10))
    first = detection_run(on=ON)
    assert not FiguresRefresh.objects.exists()  # the very first run is no upgrade
    DetectionRun.objects.filter(pk=first.pk).update(rules_version=1)

    detection_run(on=ON)

    refresh = FiguresRefresh.objects.get()
    assert refresh.on_date == ON
    # the child at home since leerplicht began, and the pupil's stretch before enrolment in 2020
    episode = Episode.objects.get(end_date__isnull=True)
    assert (episode.student_id, episode.category) == (home.pk, "absoluut_verzuim")
    assert Episode.objects.count() == 2
    assert set(Episode.objects.values_list("refresh", flat=True)) == {refresh.pk}

    detection_run(on=D(2024, 11, 11))  # same rules: the episodes wait for the daily refresh
    assert FiguresRefresh.objects.count() == 1
