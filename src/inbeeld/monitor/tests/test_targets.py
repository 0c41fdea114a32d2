"""The pact's targets: set per organisation (appended, audited, SET_TARGETS), and the gap shown
plainly: baseline 2023/24 = 40 thuiszitters, 25 % a year → 2025/26: 40 × 0.75² = 22.5 → 22."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.attendance.tests.factories import MembershipFactory, actor_for
from inbeeld.audit.models import AuditEvent
from inbeeld.monitor import selectors, services
from inbeeld.monitor.models import Episode, FiguresRefresh, Target
from inbeeld.monitor.tests.dashboard_world import episode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.mark.parametrize(
    ("baseline", "percent", "years", "expected"),
    [
        (40, 25, 0, 40),
        (40, 25, 1, 30),
        (40, 25, 2, 22),
        (53, 25, 1, 39),
        (10, 0, 3, 10),
        (7, 100, 1, 0),
    ],
)
def test_target_for_year(baseline, percent, years, expected):
    assert selectors.target_for_year(baseline, percent, years) == expected


def test_set_target_appends_a_row_and_records_it(world):
    actor = actor_for(world.beleid_a)
    first = services.set_target(actor=actor, baseline_year=2023)
    second = services.set_target(actor=actor, baseline_year=2023, yearly_reduction_percent=30)
    assert Target.objects.filter(organisation=world.gemeente_a).count() == 2
    assert selectors.current_target(organisation=world.gemeente_a) == second
    assert first.yearly_reduction_percent == 25
    event = AuditEvent.objects.filter(object_type="monitor.Target").latest("id")
    assert event.action == "update"
    assert event.detail["yearly_reduction_percent"] == 30
    assert event.organisation == world.gemeente_a


def test_set_target_needs_the_permission(world):
    with pytest.raises(PermissionDenied):
        services.set_target(actor=actor_for(world.leerplicht_a), baseline_year=2023)
    assert not Target.objects.exists()


def test_set_target_refuses_nonsense(world):
    with pytest.raises(ValidationError) as refused:
        services.set_target(
            actor=actor_for(world.beleid_a), baseline_year=1800, yearly_reduction_percent=120
        )
    assert set(refused.value.message_dict) == {"baseline_year", "yearly_reduction_percent"}


def _forty_in_2023(world):
    for _ in range(40):
        episode(world.refresh, world.school_b, start=dt.date(2023, 9, 4), end=dt.date(2024, 2, 1))


def test_the_gap_is_computed_plainly(world):
    _forty_in_2023(world)
    # 2025/26 so far: 30 children at home
    FiguresRefresh.objects.create(on_date=dt.date(2025, 10, 1), finished_at=timezone.now())
    Episode.objects.filter(municipality_code="GM0002", start_date__year=2024).update(
        start_date=dt.date(2025, 9, 1)
    )
    for _ in range(12):
        episode(world.refresh, world.school_b, start=dt.date(2025, 9, 15))
    actor = actor_for(world.beleid_b)
    services.set_target(actor=actor, baseline_year=2023, yearly_reduction_percent=25)
    targets = selectors.target_figures(actor=actor)
    assert not targets.is_default
    assert targets.baseline_count == 40
    by_year = {row["school_year"]: row for row in targets.rows}
    assert by_year[2023]["target"] == 40
    assert by_year[2024]["target"] == 30
    assert by_year[2025]["target"] == 22
    assert by_year[2025]["actual"] == 30
    assert by_year[2025]["gap"] == 8
    assert not by_year[2025]["met"]
    assert by_year[2025]["so_far"]
    assert targets.current == by_year[2025]


def test_without_a_target_the_pacts_default_is_shown(world):
    targets = selectors.target_figures(actor=actor_for(world.beleid_b))
    assert targets.is_default
    assert targets.reduction_percent == 25
    # from last school year when it had thuiszitters, else from this one (2024/25)
    assert targets.baseline_year == 2024
    assert targets.current["target"] == 18
    assert targets.current["gap"] == 0
    assert targets.zero_over_three_months
    assert targets.over_three_months_now == 12


def test_the_default_baseline_is_last_year_when_it_had_thuiszitters(world):
    _forty_in_2023(world)
    targets = selectors.target_figures(actor=actor_for(world.beleid_b))
    assert (targets.baseline_year, targets.baseline_count) == (2023, 40)
    assert targets.current["target"] == 30


def test_a_small_baseline_hides_the_target_too(world):
    for _ in range(3):
        episode(world.refresh, world.school_b, start=dt.date(2023, 9, 4), end=dt.date(2023, 12, 1))
    targets = selectors.target_figures(actor=actor_for(world.beleid_b))
    assert targets.baseline_count is None
    assert all(row["target"] is None for row in targets.rows)


def test_dashboard_shows_the_gap(client, world):
    _forty_in_2023(world)
    client.force_login(world.beleid_b.user)
    page = client.get(reverse("monitor:dashboard")).content.decode()
    # 2024/25 so far: 18 children at home, target 30 (40 less 25 %)
    assert "het doel is ten hoogste 30" in page
    assert "Doel gehaald." in page
    assert "Nog 12 kinderen te gaan." in page  # over three months, the goal is 0


def test_targets_form(client, world):
    client.force_login(world.beleid_a.user)
    url = reverse("monitor:targets")
    page = client.get(url).content.decode()
    assert 'name="baseline_year"' in page
    response = client.post(
        url,
        {"baseline_year": "2023", "yearly_reduction_percent": "30", "zero_over_three_months": "1"},
    )
    assert response.status_code == 302
    target = selectors.current_target(organisation=world.gemeente_a)
    assert (target.baseline_year, target.yearly_reduction_percent) == (2023, 30)
    assert target.set_by == world.beleid_a.user
    response = client.post(url, {"baseline_year": "2023", "yearly_reduction_percent": "veel"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert "heel percentage" in response.content.decode()


def test_targets_form_needs_set_targets(client, world):
    client.force_login(world.leerplicht_a.user)
    assert client.get(reverse("monitor:targets")).status_code == 403
    other = MembershipFactory(organisation=world.gemeente_a, role=Role.SCHOOL_ZORGCOORDINATOR)
    client.force_login(other.user)
    assert client.post(reverse("monitor:targets"), {"baseline_year": "2023"}).status_code == 403
