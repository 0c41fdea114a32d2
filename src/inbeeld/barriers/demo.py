"""Demo barriers on the demo cases (issue 11 §6), recorded by the organisation that leads each
case: transport refused and in bezwaar on the first, a waiting list at the provider on the
second, no suitable place on the third. Runs once: with any barrier present it does nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from inbeeld.accounts.selectors import actor_of_username
from inbeeld.barriers import services
from inbeeld.barriers.models import Barrier
from inbeeld.cases.models import Case
from inbeeld.cases.workflow import OPEN_STATES

DAY = dt.timedelta(days=1)
DEMO_USERS = ("demo-leerplicht", "demo-school", "demo-swv")


@transaction.atomic
def barriers_demo(*, on: dt.date, say: Callable[[str], None] = lambda message: None) -> int:
    if Barrier.objects.exists():
        say("demo barriers already there")
        return 0
    actors = [a for a in (actor_of_username(u) for u in DEMO_USERS) if a is not None]
    by_organisation = {a.organisation.pk: a for a in actors}
    cases = [
        c
        for c in Case.objects.filter(state__in=OPEN_STATES).order_by("opened_on", "pk")
        if c.lead_organisation_id in by_organisation
    ]
    made = 0
    for case, story in zip(cases, ("vervoer", "wachtlijst", "plek"), strict=False):
        actor = by_organisation[case.lead_organisation_id]
        start = on - 30 * DAY  # the refusal and the objection follow within three weeks
        if story == "vervoer":
            barrier = services.barrier_add(
                actor=actor,
                case=case,
                kind="leerlingenvervoer",
                provider="Gemeente, leerlingenvervoer",
                started_on=start,
            )
            services.barrier_change(
                actor=actor, barrier=barrier, to="geweigerd", on=start + 14 * DAY
            )
            services.barrier_change(
                actor=actor,
                barrier=barrier,
                to="bezwaar",
                on=start + 20 * DAY,
                note="ouders maken bezwaar: de afstand is te groot om te fietsen",
            )
        elif story == "wachtlijst":
            services.barrier_add(
                actor=actor, case=case, kind="wachtlijst", provider="Jeugd-ggz", started_on=start
            )
        else:
            services.barrier_add(
                actor=actor, case=case, kind="geen_passende_plek", started_on=start
            )
        made += 1
    say(f"{made} demo barriers")
    return made
