"""The morning of a busy leerplicht team for `benchmarks/app_bench.py` (issue 11 §1): the demo
gemeente's team gets open meldingen up to ``INBEELD_BENCH_OPEN_MELDINGEN`` (default 5,000), one in
five assigned to the demo leerplichtambtenaar (``INBEELD_BENCH_USER``), the rest to nobody yet,
so their "Vandaag" has the team's whole unassigned pile to sort. Run inside ``inbeeld shell``;
prints the number of open meldingen of the team."""

from __future__ import annotations

import datetime as dt
import os

from django.db import transaction

from inbeeld.accounts.models import Organisation, User
from inbeeld.attendance.models import DetectionRun, Melding, MeldingState
from inbeeld.people.models import Student

GEMEENTE = "GM0014"
TARGET = int(os.environ.get("INBEELD_BENCH_OPEN_MELDINGEN", "5000"))
USERNAME = os.environ.get("INBEELD_BENCH_USER", "demo-leerplicht")
OPEN = (MeldingState.OPEN, MeldingState.IN_BEHANDELING)


@transaction.atomic
def top_up() -> int:
    gemeente = Organisation.objects.get(type="gemeente", code=GEMEENTE)
    user = User.objects.get(username=USERNAME)
    team = Melding.objects.filter(organisations=gemeente, state__in=OPEN)
    missing = TARGET - team.count()
    if missing > 0:
        run = DetectionRun.objects.order_by("-pk").first()
        pupils = list(
            Student.objects.filter(municipality_code=GEMEENTE)
            .order_by("pk")
            .values_list("pk", flat=True)[:missing]
        )
        rows = []
        for i in range(missing):
            # a week's absence per melding, a different week for each round through the pupils
            start = run.on_date - dt.timedelta(days=400 + 7 * (i // len(pupils)))
            rows.append(
                Melding(
                    student_id=pupils[i % len(pupils)],
                    rule="bench",
                    start_date=start,
                    end_date=start + dt.timedelta(days=4),
                    first_run=run,
                    state=MeldingState.OPEN,
                    assignee=user if i % 5 == 0 else None,
                    explanation="benchmark: the morning of a busy team",
                )
            )
        made = Melding.objects.bulk_create(rows, batch_size=2000)
        through = Melding.organisations.through
        through.objects.bulk_create(
            [through(melding_id=m.pk, organisation_id=gemeente.pk) for m in made],
            batch_size=5000,
        )
    return team.count()


print(top_up())
