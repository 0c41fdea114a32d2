"""The demo's figures: the episodes computed from the demo data, and the pact's target of the demo
gemeente (last school year as baseline, 25 % less a year), set by demo-beleid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from inbeeld.accounts.selectors import actor_of_username
from inbeeld.monitor.models import Target
from inbeeld.monitor.refresh import refresh_episodes
from inbeeld.monitor.services import set_target
from inbeeld.rules.calendar import school_year_start


def figures_demo(*, on: dt.date, say: Callable[[str], None] = lambda message: None) -> None:
    refresh = refresh_episodes(on=on, progress=say)
    say(f"figures: {refresh.counts.get('episodes', 0)} thuiszitter episodes")
    beleid = actor_of_username("demo-beleid")
    if beleid is None or Target.objects.filter(organisation=beleid.organisation).exists():
        return
    set_target(
        actor=beleid,
        baseline_year=school_year_start(on).year - 1,
        yearly_reduction_percent=25,
        zero_over_three_months=True,
    )
    say("target of the pact set for the demo gemeente")
