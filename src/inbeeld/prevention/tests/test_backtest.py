"""``inbeeld signalen-backtest`` (issue 12 §4): from an exchange directory and from the database
(with the waiting lists and the handling of meldingen only the database holds)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from inbeeld.attendance.models import DetectionRun, Melding, MeldingEvent
from inbeeld.attendance.tests.factories import AbsenceFactory
from inbeeld.audit.models import AuditEvent
from inbeeld.barriers.models import Barrier
from inbeeld.cases.models import Case
from inbeeld.demo.generator import generate_demo_data
from inbeeld.prevention.backtest import backtest_database, meldingen_frame, waiting_lists_frame
from inbeeld.prevention.management.commands.signalen_backtest import _every
from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK
from inbeeld.rules.backtest_report import SYNTHETIC_WARNING
from inbeeld.rules.care_signals import MELDING_UNHANDLED, WAITING_LIST
from inbeeld.rules.signal_replay import SIGNAL_CODES

D = dt.date


def test_the_command_on_an_exchange_directory(tmp_path):
    demo = tmp_path / "demo"
    generate_demo_data(demo, students=600, seed=5, on=D(2026, 6, 30))
    out = tmp_path / "out"
    stdout = StringIO()
    call_command(
        "signalen_backtest",
        "--from",
        str(demo),
        "--on",
        "2026-06-30",
        "--out",
        str(out),
        "--quiet",
        stdout=stdout,
    )
    screen = stdout.getvalue()
    assert "Backtest zorgsignalen, geschiedenis tot 30-06-2026" in screen
    assert "Alle signalen samen" in screen
    assert SYNTHETIC_WARNING in screen
    signals = pl.read_csv(out / "signalen.csv")
    assert signals["code"].to_list() == [
        "oplopend_ongeoorloofd",
        "kort_ziek_vaak",
        "schoolwissel",
        "eerder_thuiszitter",
        "alle",
    ]
    assert signals["children"].min() > 300
    groups = pl.read_csv(out / "groepen.csv")
    assert set(groups["dimension"]) == {"schooltype", "leeftijdsgroep", "postcodegebied"}
    page = (out / "rapport.html").read_text(encoding="utf-8")
    assert SYNTHETIC_WARNING in page
    assert pl.read_csv(out / "peildata.csv").height > 10


def test_the_command_refuses_what_is_no_directory(tmp_path):
    with pytest.raises(CommandError, match="geen map"):
        call_command("signalen_backtest", "--from", str(tmp_path / "nothing"), "--quiet")


@given(st.text(max_size=8))
def test_every_accepts_only_a_number_of_days(value):
    try:
        days = _every(value)
    except CommandError:
        return
    assert 1 <= days <= 366
    assert days == int(value)


@pytest.fixture
def history(world):
    """The world's pupil: unexcused hours from October 2024, a waiting list since 1 December
    2024 (open), a melding that arrived on 10 November 2024 and was taken in handling on 20
    January 2025."""
    child = world.child
    for day in (D(2024, 10, 14), D(2024, 11, 4), D(2024, 11, 5), D(2024, 11, 6)):
        AbsenceFactory(student=child, start_date=day, hours_per_day=Decimal("4"))
    case = Case.objects.create(
        student=child,
        lead_organisation=world.gemeente_a,
        opened_on=D(2024, 11, 1),
        opened_from="anders",
    )
    Barrier.objects.create(
        case=case,
        kind="wachtlijst",
        state="open",
        started_on=D(2024, 12, 1),
        state_since=D(2024, 12, 1),
    )
    run = DetectionRun.objects.create(on_date=D(2024, 11, 10))
    melding = Melding.objects.create(
        student=child,
        rule="16_uur",
        start_date=D(2024, 10, 14),
        end_date=D(2024, 11, 6),
        first_run=run,
    )
    at = dt.datetime(2024, 11, 10, 12, tzinfo=dt.UTC)
    Melding.objects.filter(pk=melding.pk).update(created_at=at)
    event = MeldingEvent.objects.create(melding=melding, state="in_behandeling")
    handled = dt.datetime(2025, 1, 20, 9, tzinfo=dt.UTC)
    MeldingEvent.objects.filter(pk=event.pk).update(at=handled)
    return world


def test_the_database_gives_waiting_lists_and_the_handling_of_meldingen(history):
    child = str(history.child.pk)
    assert waiting_lists_frame().rows() == [(child, D(2024, 12, 1), None)]
    assert meldingen_frame().rows() == [(child, D(2024, 11, 10), D(2025, 1, 20))]


def test_the_backtest_leaves_out_the_reports_for_information(history):
    """A report of long sickness (issue 12 §2) still unread is no melding awaiting handling."""
    Melding.objects.create(
        student=history.child,
        rule=REPORT_LANGDURIG_ZIEK,
        start_date=D(2024, 10, 14),
        end_date=D(2024, 11, 8),
        first_run=DetectionRun.objects.get(),
    )
    child = str(history.child.pk)
    assert meldingen_frame().rows() == [(child, D(2024, 11, 10), D(2025, 1, 20))]


def test_the_backtest_on_the_database_replays_every_signal(history):
    result = backtest_database(D(2025, 6, 1))
    assert result.available == SIGNAL_CODES
    # reference days from 6 January 2025 (12 weeks after the first absence) to 1 March 2025
    assert result.days[0] >= D(2025, 1, 6)
    assert result.days[-1] == D(2025, 3, 1)
    flagged = dict(result.signals.select("code", "flagged").iter_rows())
    assert flagged[WAITING_LIST] == 1
    # nieuw for 4 weeks from 8 December 2024, handled on 20 January 2025: flagged before that
    assert flagged[MELDING_UNHANDLED] == (1 if result.days[0] < D(2025, 1, 20) else 0)
    assert flagged["alle"] == 1


def test_the_command_on_the_database(history, tmp_path):
    stdout = StringIO()
    call_command(
        "signalen_backtest", "--on", "2025-06-01", "--out", str(tmp_path), "--quiet", stdout=stdout
    )
    assert "(database)" in stdout.getvalue()
    event = AuditEvent.objects.get(object_type="signalen-backtest")
    assert (event.action, event.detail["on"]) == ("export", "2025-06-01")
    assert "Op een wachtlijst" in stdout.getvalue()
    assert (tmp_path / "rapport.html").exists()


def test_the_database_and_the_exchange_directory_give_the_same_figures(tmp_path_factory, db):
    """The demo municipality imported into the database and read back through
    attendance/facts.py: the same figures as straight from its exchange files."""
    from inbeeld.demo.tests.world import generate_demo_files, load_demo
    from inbeeld.rules.backtest import backtest_dataset
    from inbeeld.rules.exchange import read_exchange

    on = D(2026, 6, 30)
    files = generate_demo_files(tmp_path_factory, students=1500, seed=7, on=on)
    load_demo(files)
    from_files = backtest_dataset(read_exchange(files), on)
    from_database = backtest_database(on)
    columns = from_files.signals.columns
    assert (
        from_database.signals.filter(pl.col("code").is_in((*from_files.available, "alle")))
        .select(columns)
        .equals(from_files.signals)
    )
    assert from_files.signals.filter(pl.col("code") == "alle")["flagged"].item() > 20
    groups = from_database.groups.filter(pl.col("code").is_in((*from_files.available, "alle")))
    assert groups.equals(from_files.groups)
