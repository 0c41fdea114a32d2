"""The day's work, in the order it depends on (docs/deployment.md runs it from a timer).

1. detection: statuses and meldingen (RULES.md §4, §5), and with them the system's own urgent
   concerns for long absence (issue 4 §1);
2. concerns registered by BSN and birth date are linked to the child that has since appeared, and
   matched (issue 9: ``concerns.linking``);
3. the monitor's thuiszitter episodes, from the same data (issue 5);
4. reminders: agreed actions due or overdue (issue 4 §2), exemptions to renew (issue 4 §4);
5. retention: concerns past their five years are deleted (issue 4 §1).

Each step is its own transaction: a failing step is reported and the steps after it still run,
so a broken reminder does not keep the figures from being refreshed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from inbeeld.attendance.detection import detection_run
from inbeeld.cases.services import remind_due_actions
from inbeeld.concerns.linking import link_pending_concerns
from inbeeld.concerns.retention import purge_concerns
from inbeeld.exemptions.services import remind_renewals
from inbeeld.monitor.jobs import FIGURES
from inbeeld.monitor.refresh import refresh_episodes
from inbeeld.operations.services import held

log = logging.getLogger(__name__)


@dataclass
class DayReport:
    on: dt.date
    done: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


def _detect(on: dt.date) -> str:
    with held("detection"):  # never beside a detection started from the web (issue 14)
        run = detection_run(on=on)
    counts = run.counts
    return (
        f"{counts['meldingen_new']} nieuwe meldingen, {counts['statuses_changed']} statussen "
        f"gewijzigd, {counts['thuiszitters']} thuiszitters"
    )


def _link(on: dt.date) -> str:
    return f"{link_pending_concerns(on=on)} zorgen gekoppeld aan een leerling"


def _figures(on: dt.date) -> str:
    with held(FIGURES):  # never beside a refresh started from the web (issue 14)
        refresh = refresh_episodes(on=on)
    return f"{refresh.counts.get('episodes', 0)} episodes"


def _actions(on: dt.date) -> str:
    return f"{remind_due_actions(on=on)} herinneringen voor acties"


def _renewals(on: dt.date) -> str:
    return f"{remind_renewals(on=on)} herinneringen voor verlengingen"


def _retention(on: dt.date) -> str:
    return f"{purge_concerns(on=on)} zorgen verwijderd na de bewaartermijn"


STEPS: tuple[tuple[str, Callable[[dt.date], str]], ...] = (
    ("detectie", _detect),
    ("koppelen", _link),
    ("cijfers", _figures),
    ("acties", _actions),
    ("verlengingen", _renewals),
    ("bewaartermijnen", _retention),
)


def run_day(
    *, on: dt.date | None = None, progress: Callable[[str], None] | None = None
) -> DayReport:
    say = progress or (lambda _message: None)
    report = DayReport(on=on or timezone.localdate())
    for name, step in STEPS:
        started = time.perf_counter()
        try:
            outcome = step(report.on)
        except Exception as error:  # report and go on with the next step
            log.exception("daily step %s failed", name)
            report.failed[name] = f"{type(error).__name__}: {error}"
            say(f"{name}: MISLUKT ({error})")
            continue
        report.done[name] = outcome
        say(f"{name}: {outcome} ({time.perf_counter() - started:.1f} s)")
    return report
