"""Two demo requests for vrijstelling (issue 4 §4), through the services as the demo users, with
dates relative to the demo's reference date ``on``:

1. 5a, registered by ``demo-leerplicht`` a week ago, advice asked of the samenwerkingsverband:
   awaiting the advice of ``demo-swv``;
2. 5a, registered four months ago, advised by ``demo-swv`` and granted by leerplicht until six
   weeks from ``on``: in the exemptions register, its renewal due ("Te verlengen").

For pupils of the demo school (the school of ``demo-school``, a member of the demo
samenwerkingsverband) who live in the demo gemeente and have no exemption yet.
Runs once: with any exemption request present it does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from django.db import transaction
from django.db.models import Q

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.selectors import actor_of_username
from inbeeld.exemptions import selectors, services
from inbeeld.exemptions.models import AdviceKind, ExemptionRequest
from inbeeld.people.models import Enrolment, Exemption, Student
from inbeeld.people.selectors import school_of
from inbeeld.rules.duty import latest_birth_date

DAY = dt.timedelta(days=1)


def _children(
    leerplicht: Actor, school_actor: Actor, on: dt.date, count: int, avoid: Collection[int]
) -> list[Student]:
    """Children of the gemeente enrolled at the demo school since ``on`` - 130 days (so its
    samenwerkingsverband can be asked then), under 16, without an exemption, not in ``avoid``."""
    school = school_of(actor=school_actor)
    if school is None or school.partnership is None:
        return []
    since = on - 130 * DAY
    enrolled = Enrolment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on), school=school, start_date__lte=since
    ).values("student_id")
    return list(
        selectors.children_for_requests(actor=leerplicht)
        .filter(pk__in=enrolled, birth_date__gt=latest_birth_date(16, on))
        .exclude(pk__in=Exemption.objects.values("student_id"))
        .exclude(pk__in=list(avoid))
        .order_by("family_name", "given_names", "pk")[:count]
    )


@transaction.atomic
def exemptions_demo(
    *,
    on: dt.date,
    say: Callable[[str], None] = lambda message: None,
    avoid: Collection[int] = (),
) -> list[ExemptionRequest]:
    """``avoid``: children (pks) other demo stories already use."""
    if ExemptionRequest.objects.exists():
        say("demo exemption requests already there")
        return []
    leerplicht, school_actor, swv = (
        actor_of_username(u) for u in ("demo-leerplicht", "demo-school", "demo-swv")
    )
    if leerplicht is None or school_actor is None or swv is None:
        say("no demo users: no demo exemption requests")
        return []
    children = _children(leerplicht, school_actor, on, 2, avoid)
    made: list[ExemptionRequest] = []

    # 1. asked a week ago, waiting for the samenwerkingsverband's advice
    if children:
        request = services.exemption_request_register(
            actor=leerplicht,
            student=children[0],
            article="5a",
            requested_on=on - 7 * DAY,
            start_date=on + 14 * DAY,
            statement_date=on - 20 * DAY,
        )
        made.append(
            services.exemption_request_ask_advice(
                actor=leerplicht, request=request, on=on - 6 * DAY
            )
        )

    # 2. granted four months ago until six weeks from now: the renewal is due
    if len(children) > 1:
        request = services.exemption_request_register(
            actor=leerplicht,
            student=children[1],
            article="5a",
            requested_on=on - 125 * DAY,
            start_date=on - 90 * DAY,
            end_date=on + 42 * DAY,
            statement_date=on - 140 * DAY,
        )
        services.exemption_request_ask_advice(actor=leerplicht, request=request, on=on - 120 * DAY)
        services.exemption_request_advise(
            actor=swv,
            request=request,
            advice=AdviceKind.GEEN_ONDERWIJS,
            education_still_possible="Op dit moment geen onderwijs; na de behandeling opnieuw "
            "bekijken met de school.",
            on=on - 105 * DAY,
        )
        made.append(
            services.exemption_request_decide(
                actor=leerplicht,
                request=request,
                grant=True,
                note="Op advies van het samenwerkingsverband; tot de evaluatie.",
                on=on - 100 * DAY,
            )
        )
    say(f"{len(made)} demo exemption requests")
    return made
