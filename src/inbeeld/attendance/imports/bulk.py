"""Writing many rows: the chunks an import is written in, and plain multi-row INSERTs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import polars as pl
from django.db import connection

#: Rows written per round trip: one query finds the existing rows of a chunk, then bulk writes.
CHUNK_SIZE = 5_000
#: ``bulk_update`` builds a CASE over its batch; small batches keep that linear.
UPDATE_BATCH_SIZE = 500


def chunks(frame: pl.DataFrame, size: int | None = None) -> Iterator[pl.DataFrame]:
    size = size or CHUNK_SIZE
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)


def in_chunks(values: Sequence[Any], size: int | None = None) -> Iterator[Sequence[Any]]:
    size = size or CHUNK_SIZE
    for offset in range(0, len(values), size):
        yield values[offset : offset + size]


class Inserter:
    """Plain multi-row INSERTs for one model: the bulk of an import (students, enrolments,
    absences) without building a model instance per row, which costs more than the database.

    Values are adapted as Django would (dates, datetimes, decimals per backend); there are no
    signals, no ``save()`` logic and no ``auto_now`` on these models' inserts: the caller passes
    every column, timestamps included.
    """

    #: rows per statement on PostgreSQL (well under its 65,535 parameters)
    ROWS_PER_STATEMENT = 1_000

    def __init__(self, model: Any, fields: Sequence[str]) -> None:
        ops = connection.ops
        meta = model._meta
        self.fields = [meta.get_field(name) for name in fields]
        self.table = connection.ops.quote_name(meta.db_table)
        self.columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        adapters: list[Callable[[Any], Any] | None] = []
        for field in self.fields:
            kind = field.get_internal_type()
            if kind == "DateField":
                adapters.append(ops.adapt_datefield_value)
            elif kind == "DateTimeField":
                adapters.append(ops.adapt_datetimefield_value)
            elif kind == "DecimalField":
                adapters.append(
                    lambda v, f=field: ops.adapt_decimalfield_value(
                        v, f.max_digits, f.decimal_places
                    )
                )
            else:
                adapters.append(None)
        self.adapters = adapters
        self.single = connection.vendor == "sqlite"

    def insert(self, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        adapters = self.adapters
        if any(adapters):
            rows = [
                tuple(
                    a(v) if a is not None and v is not None else v
                    for a, v in zip(adapters, row, strict=True)
                )
                for row in rows
            ]
        one = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        with connection.cursor() as cursor:
            if self.single:  # SQLite: one prepared statement, many rows
                cursor.executemany(f"INSERT INTO {self.table} ({self.columns}) VALUES {one}", rows)
                return
            for start in range(0, len(rows), self.ROWS_PER_STATEMENT):
                part = rows[start : start + self.ROWS_PER_STATEMENT]
                values = ", ".join([one] * len(part))
                cursor.execute(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES {values}",
                    [v for row in part for v in row],
                )
