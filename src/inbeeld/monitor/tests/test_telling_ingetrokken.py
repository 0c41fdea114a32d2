"""The leerplichttelling's table of the meldingen' handling knows the DUO state "ingetrokken"
(issue 11 §2): a melding the school withdrew is its own row, never "afgesloten zonder reden"."""

from inbeeld.attendance.models import MeldingState
from inbeeld.monitor.telling import _meldingen_table


def test_withdrawn_meldingen_have_their_own_row():
    table = _meldingen_table(
        [
            {"state": MeldingState.INGETROKKEN, "closing_reason": "", "rule": "16_uur", "n": 2},
            {"state": MeldingState.OPEN, "closing_reason": "", "rule": "lrv", "n": 1},
        ]
    )
    rows = {row.key: row for row in table.rows}
    assert rows["ingetrokken"].total == 2
    assert "afgesloten:" not in rows
    assert table.grand_total == 3


def test_no_withdrawn_row_when_there_are_none():
    table = _meldingen_table(
        [{"state": MeldingState.OPEN, "closing_reason": "", "rule": "lrv", "n": 1}]
    )
    assert "ingetrokken" not in {row.key for row in table.rows}
