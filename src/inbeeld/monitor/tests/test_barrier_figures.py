"""The monitor's figure of open barriers (issue 11 §6): one definition (``now._barrier_figures``),
counted per kind in the organisation's scope on the figures' date, with the median and the longest
days open, and the monitor's small-number suppression."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.accounts.tests.factories import actor_for
from inbeeld.barriers.models import Barrier
from inbeeld.cases.models import Case
from inbeeld.monitor import selectors
from inbeeld.monitor.tests.dashboard_world import ON
from inbeeld.people.models import Student

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def _case(student: Student, lead) -> Case:
    return Case.objects.create(
        student=student,
        lead_organisation=lead,
        opened_on=dt.date(2024, 9, 1),
        opened_from="anders",
    )


def _barrier(case, kind, started, *, state="open", ended=None) -> Barrier:
    return Barrier.objects.create(
        case=case,
        kind=kind,
        state=state,
        started_on=started,
        state_since=ended or started,
        ended_on=ended,
    )


def _rows(world, member=None):
    figures = selectors.now_figures(actor=actor_for(member or world.beleid_a))
    return {row.key: row.values for row in figures.barriers}


def _world_with_barriers(world):
    """Gemeente A: 7 transport barriers open on ON (one ended after ON), 5 waiting lists open;
    one ended before ON and one arisen after ON (neither counts). Gemeente B: 6 open (not A's)."""
    a = list(Student.objects.filter(municipality_code="GM0001").order_by("pk"))
    b = list(Student.objects.filter(municipality_code="GM0002").order_by("pk"))
    days = [10, 20, 30, 40, 50, 60]
    for student, n in zip(a, days, strict=False):
        _barrier(_case(student, world.gemeente_a), "leerlingenvervoer", ON - dt.timedelta(days=n))
    ended_later = _case(a[6], world.gemeente_a)
    _barrier(
        ended_later,
        "leerlingenvervoer",
        ON - dt.timedelta(days=100),
        state="geregeld",
        ended=ON + dt.timedelta(days=3),
    )
    for i, student in enumerate(a[7:12]):
        _barrier(_case(student, world.gemeente_a), "wachtlijst", ON - dt.timedelta(days=5 + i))
    old = _case(a[12], world.gemeente_a)
    _barrier(old, "wachtlijst", ON - dt.timedelta(days=300), state="opgelost", ended=ON)
    _barrier(old, "geen_passende_plek", ON + dt.timedelta(days=1))
    for student in b[:6]:
        _barrier(_case(student, world.gemeente_b), "geen_passende_plek", ON - dt.timedelta(days=9))


def test_open_barriers_per_kind_with_median_and_longest(world):
    _world_with_barriers(world)
    rows = _rows(world)
    assert rows["leerlingenvervoer"] == {
        "open": 7,
        "median_days_open": 40.0,
        "longest_days_open": 100,
    }
    assert rows["wachtlijst"] == {"open": 5, "median_days_open": 7.0, "longest_days_open": 9}
    assert rows["geen_passende_plek"]["open"] == 0
    assert rows["total"]["open"] == 12
    assert rows["total"]["longest_days_open"] == 100
    assert rows["total"]["median_days_open"] == 15.0  # (10 + 20) / 2 of twelve


def test_the_other_gemeente_counts_its_own(world):
    _world_with_barriers(world)
    rows = _rows(world, world.beleid_b)
    assert rows["geen_passende_plek"]["open"] == 6
    assert rows["leerlingenvervoer"]["open"] == 0
    assert rows["total"] == {"open": 6, "median_days_open": 9.0, "longest_days_open": 9}


def test_small_numbers_are_hidden_with_their_durations(world):
    a = list(Student.objects.filter(municipality_code="GM0001").order_by("pk"))
    for student in a[:2]:
        _barrier(
            _case(student, world.gemeente_a), "digitaal_onderwijs", ON - dt.timedelta(days=400)
        )
    for student in a[2:8]:
        _barrier(_case(student, world.gemeente_a), "wachtlijst", ON - dt.timedelta(days=10))
    rows = _rows(world)
    # 2 is hidden, and the smallest other count with it (else total minus the rest tells it)
    assert rows["digitaal_onderwijs"] == {
        "open": None,
        "median_days_open": None,
        "longest_days_open": None,
    }
    assert rows["wachtlijst"]["open"] is None
    assert rows["total"]["open"] == 8
    # the longest of the total is over eight barriers, two of them 400 days: shown, as a total
    assert rows["total"]["longest_days_open"] == 400


def test_the_figure_is_in_the_api_and_on_the_dashboard(world, client):
    _world_with_barriers(world)
    figures = selectors.now_figures(actor=actor_for(world.beleid_a)).as_dict()
    kinds = {r["key"]: r for r in figures["open_barriers"]}
    assert kinds["leerlingenvervoer"]["open"] == 7
    from inbeeld.attendance.tests.factories import PASSWORD

    assert client.login(username=world.beleid_a.user.username, password=PASSWORD)
    page = client.get("/monitor/").content.decode()
    assert 'data-testid="table-barriers"' in page or "table-barriers" in page
    assert "Mediaan dagen open" in page
