"""Line numbers of the rows of an exchange file, for the problems an import reports."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path


class Lines:
    """Line numbers of the data rows of a file (blank lines are skipped by the reader but keep
    their number), computed only when a problem has to be reported."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cache: dict[str, list[int] | None] = {}

    def __call__(self, file: str, rows: Iterable[int]) -> list[int]:
        if file not in self._cache:
            self._cache[file] = self._read(self.directory / file)
        lines = self._cache[file]
        return [lines[row] if lines is not None and row < len(lines) else row + 2 for row in rows]

    @staticmethod
    def _read(path: Path) -> list[int] | None:
        if path.suffix != ".csv":
            return None  # parquet: row n is "line" n + 1, as the reader counts
        out: list[int] = []
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = True
            while True:
                start = reader.line_num + 1
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except csv.Error:
                    return None
                if header:
                    header = False
                elif record:
                    out.append(start)
        return out


class RowLines:
    """Line numbers for a filtered frame: its rows are rows ``originals`` of the file."""

    def __init__(self, lines: Lines, file: str, originals: list[int]) -> None:
        self.lines, self.file, self.originals = lines, file, originals

    def __call__(self, file: str, rows: Iterable[int]) -> list[int]:
        return self.lines(self.file, [self.originals[r] for r in rows])
