"""The leerplichttelling of a school year for the screens, the API and the downloads: the count of
``monitor.telling`` in the acting organisation's scope, always published (suppressed), and its
files from ``monitor.exports`` (CSV, XLSX, PDF)."""

from __future__ import annotations

from inbeeld.accounts.actor import Actor
from inbeeld.monitor import exports, selectors
from inbeeld.monitor.telling import Telling, leerplichttelling

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_WRITERS = {
    "csv": exports.telling_csv,
    "xlsx": exports.telling_xlsx,
    "pdf": exports.telling_pdf,
}


def _raw(actor: Actor, school_year: int) -> Telling | None:
    scope = selectors.figure_scope(actor=actor)
    if scope is None:
        return None
    return leerplichttelling(school_year=school_year, scope=scope)


def telling_for(*, actor: Actor, school_year: int) -> Telling | None:
    """The statutory count (art. 25 LPW) of the school year in the actor's scope, suppressed
    (None: the organisation counts no figures)."""
    raw = _raw(actor, school_year)
    return raw.published() if raw is not None else None


def telling_file(*, actor: Actor, school_year: int, fmt: str) -> tuple[bytes, str]:
    """The leerplichttelling as a file (always suppressed): (content, content type)."""
    raw = _raw(actor, school_year)
    if raw is None:
        raise ValueError("this organisation counts no figures")
    return _WRITERS[fmt](raw, suppress=True), FORMATS[fmt]


def telling_as_dict(telling: Telling) -> dict:
    """A published telling as plain data (the API): headline figures and tables."""
    return {
        "school_year": telling.school_year,
        "label": telling.label,
        "scope": telling.scope_label,
        "period_start": telling.period_start,
        "period_end": telling.period_end,
        "on_date": telling.on_date,
        "complete": telling.complete,
        "figures": [{"key": f.key, "label": f.label, "value": f.value} for f in telling.figures],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "row_header": t.row_header,
                "columns": list(t.columns),
                "column_keys": list(t.column_keys),
                "rows": [
                    {
                        "key": r.key,
                        "label": r.label,
                        "cells": list(r.cells),
                        "total": r.total if t.has_row_totals else None,
                    }
                    for r in t.rows
                ],
                "column_totals": list(t.column_totals) if t.column_totals is not None else None,
                "grand_total": t.grand_total
                if t.has_row_totals and t.column_totals is not None
                else None,
                "note": t.note,
            }
            for t in telling.tables
        ],
    }
