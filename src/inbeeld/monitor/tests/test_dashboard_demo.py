"""The dashboard on the demo municipality, with episodes computed by the real refresh: a
beleidsmedewerker sees where the municipality stands, the figures agree with the
leerplichttelling, and nothing on the page leads to a child."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership
from inbeeld.attendance.detection import detection_run
from inbeeld.demo import setup
from inbeeld.demo.tests.world import generate_demo_files, load_demo
from inbeeld.monitor import reports, selectors
from inbeeld.monitor.models import Episode
from inbeeld.monitor.refresh import refresh_episodes
from inbeeld.monitor.tests.downloads import download_telling

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ON = dt.date(2025, 6, 20)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return generate_demo_files(tmp_path_factory, students=600, seed=2, on=ON)


@pytest.fixture
def demo(demo_files):
    cache.clear()
    load_demo(demo_files)
    detection_run(on=ON)
    refresh_episodes(on=ON)
    yield
    cache.clear()


def _actor(username: str) -> Actor:
    membership = Membership.objects.select_related("organisation").get(user__username=username)
    return Actor.for_membership([membership])


def test_demo_beleid_sees_the_municipality_against_its_target(client, demo):
    assert Episode.objects.exists()
    actor = _actor("demo-beleid")
    now = selectors.now_figures(actor=actor)
    ongoing = Episode.objects.filter(municipality_code=setup.MUNICIPALITY, end_date__isnull=True)
    assert now.thuiszitters_total().values["now"] in (ongoing.count(), None)
    assert now.pupils > 400
    telling = reports.telling_for(actor=actor, school_year=2024)
    trends = selectors.trends(actor=actor, school_year=2024)
    years = {row.key: row.values for row in trends.years}
    # the dashboard and the count agree on the children at home in the school year
    assert years["2024"]["thuiszitters"] == telling.value("thuiszitters")

    client.force_login(actor.user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("monitor:dashboard")
    page = response.content.decode()
    assert 'data-testid="target-summary"' in page
    assert "/leerling/" not in page
    for fmt in ("xlsx", "pdf", "csv"):
        _download, content = download_telling(client, 2024, fmt)
        assert len(content) > 500


def test_demo_swv_and_school_see_their_own_part(demo):
    gemeente = selectors.now_figures(actor=_actor("demo-beleid"))
    swv = selectors.now_figures(actor=_actor("demo-swv"))
    school = selectors.now_figures(actor=_actor("demo-school"))
    assert school.pupils <= swv.pupils <= gemeente.pupils
    assert school.pupils > 0
