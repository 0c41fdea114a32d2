"""One truth (issue 11 §5): a case "terug op school" and a detection that still says thuiszitter
are a conflict with its reason, found in the data, and shown on the case page, the child's page,
the thuiszitters list and the API's case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.attendance.models import AbsenceRecord, DetectionRun, ImportBatch, StudentStatus
from inbeeld.cases import services
from inbeeld.cases.conflicts import conflict_of_case, return_conflict
from inbeeld.cases.tests.test_api import client_for
from inbeeld.cases.tests.test_views import login
from inbeeld.people.models import Enrolment

D = dt.date
pytestmark = pytest.mark.django_db
RETURNED_ON = D(2025, 10, 1)
LRV_SINCE = D(2025, 8, 18)


def _back_at_school(world, returned_on: dt.date = RETURNED_ON, case=None):
    case = case or world.open_case()
    services.outcome_record(
        actor=world.actor(world.leerplicht_a),
        case=case,
        kind="volledig",
        returned_on=returned_on,
        school=world.school_a,
    )
    case.refresh_from_db()
    return case


def _detected(
    world,
    on: dt.date,
    *,
    since: dt.date = LRV_SINCE,
    category: str = "langdurig_relatief_verzuim",
):
    StudentStatus.objects.filter(student=world.child).update(
        on_date=on, since=since, category=category
    )
    return StudentStatus.objects.get(student=world.child)


def test_no_conflict_unless_back_at_school_and_a_thuiszitter(world):
    case = world.open_case()
    assert return_conflict(case, _detected(world, D(2025, 10, 10))) is None  # not back yet
    back = _back_at_school(world, case=case)
    assert return_conflict(back, None) is None
    assert return_conflict(back, _detected(world, D(2025, 10, 10), category="")) is None
    assert return_conflict(back, _detected(world, D(2025, 10, 10), category="vrijgesteld")) is None
    assert return_conflict(back, _detected(world, D(2025, 10, 10))) is not None


def test_a_detection_older_than_the_return_cannot_know_it(world):
    case = _back_at_school(world)
    conflict = conflict_of_case(case)  # the world's detection ran on 15-09-2025
    assert conflict.reason == "detection_before_return"
    assert "15-09-2025" in conflict.explanation
    assert "01-10-2025" in conflict.explanation


def test_a_newer_run_that_left_the_status_alone_counts_as_the_detection(world):
    """A run writes only the statuses that changed: the row of 15-09 is what the run of 10-10
    found too."""
    case = _back_at_school(world)
    DetectionRun.objects.create(on_date=D(2025, 10, 10), finished_at=timezone.now())
    conflict = conflict_of_case(case)
    assert conflict.reason == "unexplained"
    assert conflict.detected_on == D(2025, 10, 10)
    DetectionRun.objects.create(on_date=D(2025, 10, 20))  # still running: not the newest result
    assert conflict_of_case(case).detected_on == D(2025, 10, 10)


def test_at_home_again_after_the_return_is_a_possible_relapse(world):
    case = _back_at_school(world)
    conflict = return_conflict(case, _detected(world, D(2025, 11, 1), since=D(2025, 10, 6)))
    assert conflict.reason == "at_home_again"
    assert "terugval" in conflict.explanation


def test_the_new_enrolment_not_imported_yet(world):
    case = _back_at_school(world)
    Enrolment.objects.filter(student=world.child).update(end_date=D(2025, 9, 1))
    conflict = return_conflict(case, _detected(world, D(2025, 10, 10), category="absoluut_verzuim"))
    assert conflict.reason == "enrolment_missing"
    assert "nog niet geïmporteerd" in conflict.explanation
    assert world.school_a.name in conflict.explanation
    # an enrolment that starts only later leaves days unenrolled
    Enrolment.objects.create(student=world.child, school=world.school_a, start_date=D(2025, 10, 8))
    conflict = return_conflict(case, _detected(world, D(2025, 10, 10), category="absoluut_verzuim"))
    assert conflict.reason == "enrolment_starts_later"
    assert "08-10-2025" in conflict.explanation


def test_unexcused_absence_after_the_return_is_counted(world):
    case = _back_at_school(world)
    AbsenceRecord.objects.create(
        student=world.child,
        start_date=D(2025, 9, 1),
        end_date=D(2025, 9, 20),
        reason="ongeoorloofd",
    )  # before the return: not the reason
    AbsenceRecord.objects.create(
        student=world.child, start_date=D(2025, 10, 2), end_date=D(2025, 10, 3), reason="ziek"
    )  # sick: not counted
    status = _detected(world, D(2025, 10, 10))
    assert return_conflict(case, status).reason != "absence_after_return"
    AbsenceRecord.objects.create(
        student=world.child,
        start_date=D(2025, 10, 6),
        end_date=D(2025, 10, 7),
        reason="ongeoorloofd",
    )
    conflict = return_conflict(case, status)
    assert conflict.reason == "absence_after_return"
    assert "1 registratie" in conflict.explanation


def test_an_import_after_the_detection_or_nothing_found(world):
    case = _back_at_school(world)
    status = _detected(world, D(2025, 10, 10))
    assert return_conflict(case, status).reason == "unexplained"
    ImportBatch.objects.create(
        organisation=world.gemeente_a,
        source_name="x.zip",
        state=ImportBatch.State.DONE,
        finished_at=timezone.now() + dt.timedelta(minutes=1),
    )
    assert return_conflict(case, status).reason == "import_after_detection"


def test_the_case_page_the_childs_page_the_list_and_the_api_show_it(client, world):
    case = _back_at_school(world)
    _detected(world, D(2025, 10, 10), category="absoluut_verzuim")
    Enrolment.objects.filter(student=world.child).update(end_date=D(2025, 9, 1))
    login(client, world.leerplicht_a)
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("attendance:student", args=[world.child.pk]),
        reverse("attendance:home"),
    ):
        page = client.get(url).content.decode()
        assert 'data-testid="return-conflict"' in page, url
        assert 'data-reason="enrolment_missing"' in page, url
    body = client_for(world.leerplicht_a).get(f"/api/v1/cases/{case.pk}").json()
    assert body["return_conflict"]["reason"] == "enrolment_missing"
    assert body["return_conflict"]["detected_on"] == "2025-10-10"
    listed = client_for(world.leerplicht_a).get("/api/v1/cases").json()["results"]
    assert listed[0]["return_conflict"]["reason"] == "enrolment_missing"


def test_no_conflict_shown_when_there_is_none(client, world):
    case = world.open_case()
    login(client, world.leerplicht_a)
    assert (
        'data-testid="return-conflict"'
        not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    body = client_for(world.leerplicht_a).get(f"/api/v1/cases/{case.pk}").json()
    assert body["return_conflict"] is None


def test_the_list_shows_no_conflict_of_a_case_the_actor_does_not_see(client, world):
    _back_at_school(world)
    _detected(world, D(2025, 10, 10), category="absoluut_verzuim")
    login(client, world.school_staff_a)  # the school sees the child, not the gemeente's case
    page = client.get(reverse("attendance:home")).content.decode()
    assert 'data-testid="return-conflict"' not in page
