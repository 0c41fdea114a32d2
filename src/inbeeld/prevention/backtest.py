"""The Django side of the care signals' backtest (issue 12 §4): the history in the database as
the rules' frames, so the backtest runs the same code on the database as on an exchange directory
(:mod:`inbeeld.rules.backtest`).

The absences, enrolments and schools come through the one adapter,
:func:`inbeeld.attendance.facts.dataset_from_database`; this module adds what the exchange format
does not hold: the waiting lists (barriers of kind wachtlijst, with their start and end) and, per
melding, the day it arrived and the day it left "nieuw" (its first state event to another
state). Reads every child, shows none: the report holds only figures, groups under the
small-number limit show none; the audit trail notes each run over the database
(:func:`record_backtest`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl
from django.db.models import Min, Q
from django.utils import timezone

from inbeeld.attendance.facts import calendar_from_database, dataset_from_database
from inbeeld.attendance.models import Melding, MeldingEventKind, MeldingState
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.barriers.models import Barrier
from inbeeld.barriers.workflow import BarrierKind
from inbeeld.rules.backtest import SETTINGS, BacktestResult, BacktestSettings, backtest_dataset
from inbeeld.rules.signal_replay import HISTORY_SCHEMAS


def waiting_lists_frame() -> pl.DataFrame:
    """Every waiting list (a barrier of kind wachtlijst) of every case: student, since, ended."""
    rows = [
        (str(student), since, ended)
        for student, since, ended in Barrier.objects.filter(kind=BarrierKind.WAITING_LIST)
        .order_by("started_on", "pk")
        .values_list("case__student_id", "started_on", "ended_on")
    ]
    return pl.DataFrame(rows, schema=HISTORY_SCHEMAS["waiting_lists"], orient="row")


def meldingen_frame() -> pl.DataFrame:
    """Every verzuimmelding (not the reports for information, ``models.REPORT_RULES``): student,
    the day it arrived, the day it was first moved out of "nieuw" (None: still new)."""
    handled = Min(
        "events__at",
        filter=Q(events__kind=MeldingEventKind.STATE) & ~Q(events__state=MeldingState.OPEN),
    )
    rows = []
    for student, created, handled_at, state in (
        Melding.objects.verzuimmeldingen()  # a report for information awaits no handling
        .order_by("pk")
        .annotate(handled_at=handled)
        .values_list("student_id", "created_at", "handled_at", "state")
    ):
        if handled_at is None and state != MeldingState.OPEN:
            handled_at = created  # moved on without an event: handled at once
        rows.append(
            (
                str(student),
                timezone.localdate(created),
                timezone.localdate(handled_at) if handled_at else None,
            )
        )
    return pl.DataFrame(rows, schema=HISTORY_SCHEMAS["meldingen"], orient="row")


def record_backtest(result: BacktestResult, out: str) -> None:
    """The audit trail notes the run over the database: it read every child (and wrote only
    figures, to ``out``)."""
    audit_record(
        actor=None,
        action=AuditAction.EXPORT,
        summary=(
            f"Backtest zorgsignalen tot {result.on.isoformat()}: {len(result.days)} peildata, "
            f"cijfers naar {out}"
        )[:300],
        object_type="signalen-backtest",
        detail={
            "on": result.on.isoformat(),
            "reference_days": len(result.days),
            "child_days_in_view": result.in_view,
            "out": out,
        },
    )


def backtest_database(
    on: dt.date,
    *,
    settings: BacktestSettings = SETTINGS,
    progress: Callable[[str], None] | None = None,
) -> BacktestResult:
    """The backtest over the history in the database up to ``on``."""
    say = progress or (lambda _m: None)
    say("reading the database")
    return backtest_dataset(
        dataset_from_database(),
        on,
        calendar=calendar_from_database(),
        waiting_lists=waiting_lists_frame(),
        meldingen=meldingen_frame(),
        settings=settings,
        progress=progress,
    )
