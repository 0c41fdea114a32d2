"""The exchange format v1: read and validate a directory of CSV files into a :class:`Dataset`.

RULES.md §6. Every file is read with Polars as strings, checked and cast with vectorised
expressions (no loop over the rows in Python: a million students and a few million absences read
in seconds), and every problem of every file is collected before :class:`ExchangeError` is raised,
so a municipality can fix its export in one go.

Conventions of the reader:

* ``NAME.csv`` is read, or ``NAME.parquet`` when there is no csv (typed parquet columns are turned
  into their text form and checked the same way).
* The header is line 1, the first data row line 2 (``line`` in :class:`Problem` and in the
  enrolments frame). For a parquet file row ``n`` (1-based) is "line" ``n + 1`` likewise.
* Values are trimmed; an empty value is "not given" (null). Unknown columns are ignored, and so are
  completely blank lines (they keep their line number).
* An optional file (absences, exemptions, calendar) that is completely empty, without even a
  header, has no rows; an empty required file is a problem.
* A line with more or fewer fields than the header is reported and not checked further.
* Cross-file checks (unknown student, unknown school) run only when the file referred to was read
  with its key column, so one broken file does not flood the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import polars as pl

from inbeeld.rules import choices
from inbeeld.rules.calendar import REGIONS
from inbeeld.rules.identifiers import (
    brin_valid_expr,
    bsn_valid_expr,
    normalise_bsn_expr,
    onderwijsnummer_valid_expr,
)
from inbeeld.rules.model import ARTICLES, REASONS, SCHEMAS, SECTORS, Dataset, empty_frame

__all__ = ["ExchangeError", "Problem", "read_calendar", "read_exchange", "write_exchange"]

#: How a problem is shown in ``str(ExchangeError)``; ``.problems`` always holds all of them.
MAX_PROBLEMS_SHOWN = 100

MAX_HOURS_PER_DAY = 24.0

TRUE_WORDS = ("true", "1", "yes", "ja")
FALSE_WORDS = ("false", "0", "no", "nee")

_MUNICIPALITY_REGEX = r"^GM[0-9]{4}$"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in an exchange file. ``line`` 0 means the file as a whole."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f"column {self.column}: " if self.column else ""
        return f"{where}: {column}{self.message}"


class ExchangeError(Exception):
    """The exchange directory has problems; ``.problems`` lists every one found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the exchange files:"
        lines = [head, *(f"  {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN])]
        if n > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {n - MAX_PROBLEMS_SHOWN} more")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()


# -- the columns of each file (RULES.md §6; optional ones in brackets there) ---------------------


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    required: bool
    kind: str  # text, date, brin, bsn, onderwijsnummer, sector, region, municipality, hours, bool, reason, article


def _c(name: str, required: bool, kind: str = "text") -> _Column:
    return _Column(name, required, kind)


COLUMNS: dict[str, tuple[_Column, ...]] = {
    "schools": (
        _c("brin", True, "brin"),
        _c("name", True),
        _c("sector", True, "sector"),
        _c("region", True, "region"),
        _c("municipality", True, "municipality"),
        _c("hours_per_day", False, "hours"),
        _c("partnership", False),
    ),
    "students": (
        _c("student_id", True),
        _c("birth_date", True, "date"),
        _c("municipality", True, "municipality"),
        _c("region", False, "region"),
        _c("startkwalificatie_date", False, "date"),
        _c("kwalificatieplicht_exempt", False, "bool"),
        _c("bsn", False, "bsn"),
        _c("onderwijsnummer", False, "onderwijsnummer"),
        _c("given_names", False),
        _c("family_name", False),
        _c("postcode", False),
    ),
    "enrolments": (
        _c("student_id", True),
        _c("brin", True, "brin"),
        _c("start_date", True, "date"),
        _c("end_date", False, "date"),
        _c("hours_per_day", False, "hours"),
    ),
    "absences": (
        _c("student_id", True),
        _c("start_date", True, "date"),
        _c("end_date", True, "date"),
        _c("reason", True, "reason"),
        _c("hours_per_day", False, "hours"),
    ),
    "exemptions": (
        _c("student_id", True),
        _c("article", True, "article"),
        _c("start_date", True, "date"),
        _c("end_date", False, "date"),
        _c("permanent", False, "bool"),
    ),
    "calendar": (
        _c("region", True, "region"),
        _c("start_date", True, "date"),
        _c("end_date", True, "date"),
        _c("name", False),
    ),
}

#: Files in reading order; the required ones must exist.
FILES = ("schools", "students", "enrolments", "absences", "exemptions", "calendar")
REQUIRED_FILES = ("schools", "students", "enrolments")

_CHOICES = {"sector": SECTORS, "region": REGIONS, "reason": REASONS, "article": ARTICLES}


# -- reading one file as strings ----------------------------------------------------------------


@dataclass
class _Raw:
    """One file as read: trimmed strings (null for empty), ``line``, the file's display name."""

    file: str
    frame: pl.DataFrame
    present: set[str]


def _utf8_problem(file: str, data: bytes) -> Problem | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        return Problem(
            file,
            line,
            "",
            f"file is not valid UTF-8 (byte 0x{byte} on line {line}); save it as UTF-8",
        )
    return None


def _parse_problems(file: str, data: bytes, polars_error: Exception) -> list[Problem]:
    """Why Polars could not read a file: not UTF-8, or a CSV syntax error (only on failure)."""
    problem = _utf8_problem(file, data)
    if problem is not None:
        return [problem]
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        while True:
            start = reader.line_num + 1
            next(reader)
    except StopIteration:
        pass
    except csv.Error as exc:
        return [Problem(file, start, "", f"cannot be parsed as CSV: {exc}")]
    first = str(polars_error).strip().splitlines()[0] if str(polars_error).strip() else ""
    return [
        Problem(file, 0, "", f"cannot be parsed as CSV: {first or type(polars_error).__name__}")
    ]


def _field_counts(path: Path, data_rows: int) -> pl.Series | None:
    """Number of fields on each data line (quote-aware within a line), or None if lines and rows
    do not line up (quoted line breaks); blank lines count 0."""
    lines = pl.read_csv(
        path,
        has_header=False,
        separator="\x1f",
        quote_char=None,
        schema={"raw": pl.String()},
        empty_string_is_null=False,
        truncate_ragged_lines=True,
        raise_if_empty=False,
    )
    if lines.height != data_rows + 1:
        return None
    raw = pl.col("raw").fill_null("")
    quoted = lines.select(raw.str.contains('"', literal=True).any()).item()
    unquoted = raw.str.replace_all(r'"[^"]*"', "") if quoted else raw
    blank = (raw == "") | (raw == "\r")
    counts = pl.when(blank).then(0).otherwise(unquoted.str.count_matches(",", literal=True) + 1)
    return lines.slice(1).select(counts.cast(pl.Int64).alias("fields")).to_series()


def _field_counts_python(text: str, data_rows: int) -> pl.Series | None:
    """The same as :func:`_field_counts` with the csv module, for files with quoted line breaks."""
    counts = [len(record) for record in csv.reader(io.StringIO(text, newline=""))]
    if len(counts) != data_rows + 1:
        return None
    return pl.Series("fields", counts[1:], dtype=pl.Int64())


#: the most lines with a double quote that :func:`_every_line_complete` checks one by one; a file
#: with more (every value quoted, say) takes the general path
MAX_QUOTED_LINES_CHECKED = 20_000

_SCAN_BLOCK = 1 << 22
_NEWLINE = ord("\n")
_RETURN = ord("\r")
_COMMA = ord(",")
_QUOTE = ord('"')
_SPACE = ord(" ")
_NON_ASCII = 0x80


def _positions(data: np.ndarray, byte: int) -> np.ndarray:
    """The offsets of ``byte`` in ``data``, found block by block (a small temporary each)."""
    found = [
        np.flatnonzero(data[at : at + _SCAN_BLOCK] == byte) + at
        for at in range(0, data.size, _SCAN_BLOCK)
    ]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What one pass over a file's bytes tells about its lines."""

    #: commas on the lines without a double quote
    commas: int
    #: lines with a double quote, each found to hold exactly the header's number of fields
    quoted_lines: int
    #: whether some value may start or end with white space (a space, tab, carriage return,
    #: other control character or any non-ASCII byte occurs): only then are values trimmed
    padded: bool


def _shape(path: Path, width: int) -> _Shape | None:
    """Count the commas, look for white space, and check the lines with a double quote (a family
    name like ``"Bourgondië, van"``) one by one with the csv module; None when such a line does not
    hold exactly ``width`` fields on its own line (an odd number of quotes may open a field that
    runs over a line break), there are too many to check, or a carriage return stands anywhere
    but before a line feed. One pass over a memory map, block by block."""
    if path.stat().st_size == 0:
        return _Shape(0, 0, False)
    data = np.memmap(path, dtype=np.uint8, mode="r")
    try:
        commas = quotes = newlines_seen = low = high = 0
        for at in range(0, data.size, _SCAN_BLOCK):
            block = data[at : at + _SCAN_BLOCK]
            commas += int(np.count_nonzero(block == _COMMA))
            quotes += int(np.count_nonzero(block == _QUOTE))
            newlines_seen += int(np.count_nonzero(block == _NEWLINE))
            low += int(np.count_nonzero(block <= _SPACE))
            high += int(np.count_nonzero(block >= _NON_ASCII))
        padded = high > 0 or low > newlines_seen
        if padded:
            returns = _positions(data, _RETURN)
            if returns.size and (
                returns[-1] == data.size - 1 or not bool(np.all(data[returns + 1] == _NEWLINE))
            ):
                return None  # a carriage return that ends no line: readers disagree on it
        if quotes == 0:
            return _Shape(commas, 0, padded)
        newlines = _positions(data, _NEWLINE)
        lines = np.unique(np.searchsorted(newlines, _positions(data, _QUOTE)))
        if lines.size > MAX_QUOTED_LINES_CHECKED:
            return None
        starts = np.where(lines > 0, newlines[np.maximum(lines - 1, 0)] + 1, 0)
        ends = np.where(
            lines < newlines.size, newlines[np.minimum(lines, newlines.size - 1)], data.size
        )
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            raw = data[a:b].tobytes()
            if raw.count(b'"') % 2:
                return None
            try:
                records = list(csv.reader([raw.decode("utf-8-sig").removesuffix("\r")]))
            except (UnicodeDecodeError, csv.Error):
                return None
            if len(records) != 1 or len(records[0]) != width:
                return None
            commas -= raw.count(b",")
        return _Shape(commas, int(lines.size), padded)
    finally:
        del data


def _polars_csv(path: Path, *, strict: bool) -> pl.DataFrame:
    """Every value as a string. ``strict``: refuse a line with more fields than the header, and
    read an empty value as null (the fast path); else cut such lines and keep empty strings (the
    general path, which counts the fields of every line itself)."""
    return pl.read_csv(
        path,
        infer_schema=False,
        encoding="utf8",
        truncate_ragged_lines=not strict,
        empty_string_is_null=strict,
        raise_if_empty=True,
    )


@dataclass(frozen=True, slots=True)
class _Read:
    """A file as Polars read it: every value a string, ``line`` and ``__ragged`` added."""

    frame: pl.DataFrame
    #: whether some value may start or end with white space, or be empty but not null
    padded: bool = True
    #: whether empty values are already null
    empty_is_null: bool = False


def _every_line_complete(path: Path) -> _Read | None:
    """The file as read (its frame with Polars' column names; empty values null) when every line
    provably has exactly the header's number of fields, else None (the general path then finds the ragged and blank lines one by one).

    The proof: Polars, told not to truncate, refuses any line with more fields than the header;
    so no line without a quote has more commas than the header. The lines with a quote are
    checked one by one (:func:`_shape`); when the other lines hold exactly ``lines × (fields -
    1)`` commas together, each of them has exactly as many. A blank line has none and so fails
    the count."""
    try:
        frame = _polars_csv(path, strict=True)
    except Exception:  # any failure: the general path reads the file again and reports it
        return None
    width = len(frame.columns)
    if width < 2:
        return None
    shape = _shape(path, width)
    if shape is None or shape.commas != (frame.height + 1 - shape.quoted_lines) * (width - 1):
        return None
    # a quoted empty value ("") is read as an empty string, not null: those columns are checked
    return _Read(frame, padded=shape.padded or shape.quoted_lines > 0, empty_is_null=True)


def _read_csv(
    path: Path, name: str, file: str, problems: list[Problem], *, optional: bool = False
) -> _Read | None:
    complete = _every_line_complete(path)
    if complete is not None:
        frame = _named_columns(complete.frame, path, file, problems)
        return replace(complete, frame=frame.with_columns(pl.lit(False).alias("__ragged")))
    try:
        frame = _polars_csv(path, strict=False)
    except pl.exceptions.NoDataError:
        if optional:  # an optional file left empty by an export: no rows
            return _Read(
                pl.DataFrame(
                    schema={"line": pl.Int64(), "__ragged": pl.Boolean()}
                    | {c.name: pl.String() for c in COLUMNS[name]}
                )
            )
        problems.append(Problem(file, 1, "", "file is empty (no header line)"))
        return None
    except Exception as exc:  # any parse failure is reported, never raised
        problems.extend(_parse_problems(file, path.read_bytes(), exc))
        return None
    width = len(frame.columns)
    frame = _named_columns(frame, path, file, problems)

    counts = _field_counts(path, frame.height)
    if counts is None:
        counts = _field_counts_python(path.read_text("utf-8-sig"), frame.height)
    if counts is not None:
        frame = frame.with_columns(counts.alias("__fields"))
        ragged = frame.filter((pl.col("__fields") != width) & (pl.col("__fields") > 0))
        for line, fields in ragged.select("line", "__fields").iter_rows():
            kind = "truncated or ragged line" if fields < width else "ragged line"
            problems.append(
                Problem(
                    file,
                    line,
                    "",
                    f"line has {fields} field{'s' if fields != 1 else ''} but the header has {width} ({kind})",
                )
            )
        # blank lines are ignored; ragged lines are reported above and not checked further
        frame = frame.filter(pl.col("__fields") > 0).with_columns(
            (pl.col("__fields") != width).alias("__ragged")
        )
        return _Read(frame.drop("__fields"))
    return _Read(frame.with_columns(pl.lit(False).alias("__ragged")))


def _named_columns(
    frame: pl.DataFrame, path: Path, file: str, problems: list[Problem]
) -> pl.DataFrame:
    """The frame with the header's trimmed names (a repeated name reported), the reader's own
    names dropped, and ``line`` numbers from 2."""
    header = [name.strip().lstrip("\ufeff").strip() for name in _header(path)]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                Problem(file, 1, name, f"column {name} appears more than once in the header")
            )
        seen.add(name)
    frame = frame.rename(
        dict(zip(frame.columns, _unique_names(header, frame.columns), strict=True))
    )
    frame = frame.drop(_internal_names(frame.columns))
    return frame.with_row_index("line", offset=2).with_columns(pl.col("line").cast(pl.Int64()))


def _header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _internal_names(names: list[str]) -> list[str]:
    """Unknown columns whose names the reader uses itself (``line``, ``__*``): dropped first."""
    return [name for name in names if name == "line" or name.startswith("__")]


def _unique_names(header: list[str], polars_names: list[str]) -> list[str]:
    if len(header) != len(polars_names):
        return [name.strip().lstrip("\ufeff").strip() for name in polars_names]
    out: list[str] = []
    for name, fallback in zip(header, polars_names, strict=True):
        out.append(name if name not in out else f"__duplicate_{fallback}")
    return out


def _read_parquet(path: Path, file: str, problems: list[Problem]) -> pl.DataFrame | None:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:
        problems.append(Problem(file, 0, "", f"cannot be read as parquet: {exc}"))
        return None
    texts = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.String:
            texts.append(col)
        elif isinstance(dtype, pl.Datetime):
            texts.append(col.cast(pl.Date()).cast(pl.String()))
        elif dtype.is_nested() or dtype == pl.Binary or dtype == pl.Object:
            problems.append(Problem(file, 1, name, f"column {name} has unsupported type {dtype}"))
            texts.append(pl.lit(None, pl.String()).alias(name))
        else:
            texts.append(col.cast(pl.String()))
    frame = frame.select(texts).rename(lambda name: name.strip())
    frame = frame.drop(_internal_names(frame.columns))
    return frame.with_row_index("line", offset=2).with_columns(
        pl.col("line").cast(pl.Int64()), pl.lit(False).alias("__ragged")
    )


def _read_raw(
    directory: Path, name: str, problems: list[Problem], progress: Callable[[str], None] | None
) -> _Raw | None:
    for path in (directory / f"{name}.csv", directory / f"{name}.parquet"):
        if path.is_file():
            return _read_file(path, name, problems, progress)
    if name in REQUIRED_FILES:
        problems.append(
            Problem(
                f"{name}.csv",
                0,
                "",
                f"required file is missing (neither {name}.csv nor {name}.parquet exists)",
            )
        )
    return None


def _read_file(
    path: Path, name: str, problems: list[Problem], progress: Callable[[str], None] | None
) -> _Raw | None:
    """One file of table ``name`` (``.parquet`` by its suffix, else CSV), as strings."""
    file = path.name
    if progress:
        progress(f"reading {file}")
    if path.suffix.lower() == ".parquet":
        frame = _read_parquet(path, file, problems)
        read = None if frame is None else _Read(frame)
    else:
        read = _read_csv(path, name, file, problems, optional=name not in REQUIRED_FILES)
    if read is None:
        return None
    frame = read.frame
    present = set(frame.columns)
    header = [c for c in frame.columns if c not in ("line", "__ragged")]
    if len(header) == 1 and ";" in header[0] and not present & {c.name for c in COLUMNS[name]}:
        problems.append(
            Problem(
                file,
                1,
                "",
                "the header has no commas: the exchange format separates columns with ',' "
                "(this file seems to use ';')",
            )
        )
        return None
    for column in COLUMNS[name]:
        if column.required and column.name not in present:
            problems.append(
                Problem(file, 1, column.name, f"required column {column.name} is missing")
            )
    known = [c.name for c in COLUMNS[name] if c.name in present]
    # trim, then empty -> null; unknown columns are dropped
    frame = frame.select("line", "__ragged", *[pl.col(c).cast(pl.String()) for c in known])
    trim = known if not read.empty_is_null else _padded_columns(frame, known) if read.padded else []
    if trim:
        frame = frame.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in trim)
    missing = [c.name for c in COLUMNS[name] if c.name not in present]
    frame = frame.with_columns([pl.lit(None, pl.String()).alias(c) for c in missing])
    if progress:
        progress(f"{file}: {frame.height:,} rows")
    return _Raw(file, frame, set(known))


def _padded_columns(frame: pl.DataFrame, columns: list[str]) -> list[str]:
    """The columns with a value that starts or ends with white space or is empty (one pass, a
    boolean per column: cheaper than trimming every value of a million rows)."""
    if not columns or frame.height == 0:
        return []
    padded = frame.select(pl.col(c).str.contains(r"^\s|\s$|^$").any() for c in columns).row(0)
    return [c for c, is_padded in zip(columns, padded, strict=True) if is_padded]


# -- checking -------------------------------------------------------------------------------------


def _parsed_date(col: pl.Expr) -> pl.Expr:
    """The date of an ISO ``YYYY-MM-DD`` text, null when it is not exactly that and a real date."""
    # exactly 10 characters and a real date in that format (cheaper than a regex on millions)
    return pl.when(col.str.len_bytes() == 10).then(col.str.to_date("%Y-%m-%d", strict=False))


def _parsed_hours(col: pl.Expr) -> pl.Expr:
    return col.cast(pl.Float64(), strict=False)


def _parsed_bool(col: pl.Expr) -> pl.Expr:
    lower = col.str.to_lowercase()
    return (
        pl.when(lower.is_in(TRUE_WORDS))
        .then(True)
        .when(lower.is_in(FALSE_WORDS))
        .then(False)
        .otherwise(None)
    )


def _p(name: str) -> str:
    return f"__parsed_{name}"


#: kind → (the form's pattern, what the form should be, the check digits, what failing them says)
_NUMBERS = {
    "bsn": (
        r"^[0-9]{8,9}$",
        "expected 9 digits, or 8 without the leading zero",
        bsn_valid_expr,
        "fails the 11-proef",
    ),
    "onderwijsnummer": (
        r"^10[0-9]{7}$",
        "expected 9 digits starting with 10",
        onderwijsnummer_valid_expr,
        "fails the 11-proef (remainder 5)",
    ),
}


def _flag(c: str, bad: pl.Expr, template: str) -> list[tuple[str, pl.Expr, pl.Expr]]:
    """A given value of column ``c`` for which ``bad`` holds is a problem: ``template`` with it."""
    value = pl.col(c)
    return [(c, value.is_not_null() & bad, pl.format(template, value))]


def _checks(name: str, raw: _Raw) -> list[tuple[str, pl.Expr, pl.Expr]]:
    """(column, bad-row mask, message) for every per-value check of a file."""
    out: list[tuple[str, pl.Expr, pl.Expr]] = []
    for column in COLUMNS[name]:
        c = column.name
        if c not in raw.present:
            continue
        value = pl.col(c)
        if column.required:
            out.append((c, value.is_null(), pl.lit(f"required value {c} is empty")))
        kind = column.kind
        if kind == "date":
            out += _flag(c, pl.col(_p(c)).is_null(), "date {} is not a valid YYYY-MM-DD date")
        elif kind == "brin":
            out += _flag(
                c,
                ~brin_valid_expr(value),
                "brin {} is malformed (expected 2 digits and 2 capital letters, "
                "optionally 2 more digits, like 12AB or 12AB01)",
            )
        elif kind in _NUMBERS:
            pattern, expected, valid_expr, fails = _NUMBERS[kind]
            form = value.str.contains(pattern)
            out += _flag(c, ~form, f"{kind} {{}} is malformed ({expected})")
            out += _flag(c, form & ~valid_expr(value), f"{kind} {{}} {fails}")
        elif kind in _CHOICES:
            allowed = _CHOICES[kind]
            out += _flag(
                c,
                ~value.is_in(allowed),
                f"unknown {kind} {{}} (expected one of {'/'.join(allowed)})",
            )
        elif kind == "municipality":
            out += _flag(
                c,
                ~value.str.contains(_MUNICIPALITY_REGEX),
                "municipality {} is malformed (expected GM and 4 digits, like GM0363)",
            )
        elif kind == "hours":
            hours = pl.col(_p(c))
            bad = hours.is_null() | hours.is_nan() | (hours <= 0) | (hours > MAX_HOURS_PER_DAY)
            out += _flag(
                c,
                bad.fill_null(True),
                f"hours_per_day {{}} is not a positive number of at most {MAX_HOURS_PER_DAY:g}",
            )
        elif kind == "bool":
            out += _flag(
                c,
                pl.col(_p(c)).is_null(),
                f"{c} {{}} is not true or false (accepted: {'/'.join(TRUE_WORDS)}, "
                f"{'/'.join(FALSE_WORDS)})",
            )
    if {"start_date", "end_date"} <= raw.present:
        start, end = pl.col(_p("start_date")), pl.col(_p("end_date"))
        out.append(
            (
                "end_date",
                (end < start).fill_null(False),
                pl.format(
                    "end date {} is before start date {}", pl.col("end_date"), pl.col("start_date")
                ),
            )
        )
    return out


def _parse_columns(name: str, raw: _Raw) -> pl.DataFrame:
    parsed = []
    for column in COLUMNS[name]:
        c = column.name
        if c not in raw.present:
            continue
        if column.kind == "date":
            parsed.append(_parsed_date(pl.col(c)).alias(_p(c)))
        elif column.kind == "hours":
            parsed.append(_parsed_hours(pl.col(c)).alias(_p(c)))
        elif column.kind == "bool":
            parsed.append(_parsed_bool(pl.col(c)).alias(_p(c)))
    return raw.frame.lazy().with_columns(parsed).collect() if parsed else raw.frame


def _checked(name: str, raw: _Raw, problems: list[Problem]) -> pl.DataFrame:
    """The file's frame with its parsed columns; every per-value problem is added to ``problems``."""
    frame = _parse_columns(name, raw)
    problems.extend(_collect(frame, raw.file, _checks(name, raw)))
    return frame


def _collect(
    frame: pl.DataFrame, file: str, checks: list[tuple[str, pl.Expr, pl.Expr]]
) -> list[Problem]:
    """Evaluate all masks in one pass, then build Problems only for the rows that failed."""
    if not checks or frame.height == 0:
        return []
    # lazy, so that sub-expressions shared by several checks are computed once
    masks = (
        frame.lazy()
        .select(
            pl.col("line"),
            *[
                (mask & ~pl.col("__ragged")).fill_null(False).alias(f"__m{i}")
                for i, (_, mask, _) in enumerate(checks)
            ],
        )
        .collect()
    )
    any_bad = masks.select(pl.any_horizontal(pl.exclude("line")).any()).item()
    if not any_bad:
        return []
    problems: list[Problem] = []
    for i, (column, _, message) in enumerate(checks):
        mask = masks.get_column(f"__m{i}")
        if not mask.any():
            continue
        # rechunked: Polars 2.1 panics ("assertion failed: i < self.len()") formatting the text
        # of some filtered string columns straight from the CSV reader
        bad = frame.filter(mask).rechunk().select(pl.col("line"), message.alias("__message"))
        problems.extend(Problem(file, line, column, text) for line, text in bad.iter_rows())
    return problems


def _duplicates(frame: pl.DataFrame, file: str, column: str) -> list[Problem]:
    """Later lines repeating a value of ``column`` (the first occurrence is fine)."""
    value = pl.col(column)
    given = frame.select("line", column).filter(value.is_not_null())
    if given.get_column(column).n_unique() == given.height:
        return []
    later = given.filter(~value.is_first_distinct())
    if later.height == 0:
        return []
    firsts = (
        given.join(later.select(column).unique(), on=column)
        .group_by(column)
        .agg(pl.col("line").min().alias("first"))
    )
    dup = later.join(firsts, on=column)
    return [
        Problem(file, line, column, f"duplicate {column} {v} (first on line {first_line})")
        for line, v, first_line in dup.select("line", column, "first").sort("line").iter_rows()
    ]


def _student_numbers(
    frame: pl.DataFrame, file: str, index: pl.DataFrame, source: str
) -> tuple[pl.Series, list[Problem]]:
    """The row number in students.csv of each row's student (one join serves both the check for
    unknown students and the engine, which needs the numbers), and the unknown ones."""
    joined = frame.select("line", "student_id", "__ragged").join(
        index, on="student_id", how="left", maintain_order="left"
    )
    bad = joined.filter(
        pl.col("student_id").is_not_null() & pl.col("__sx").is_null() & ~pl.col("__ragged")
    )
    problems = [
        Problem(file, line, "student_id", f"unknown student {v} (not in {source})")
        for line, v in bad.select("line", "student_id").iter_rows()
    ]
    return joined.get_column("__sx"), problems


def _unknown(
    frame: pl.DataFrame,
    file: str,
    column: str,
    known: pl.Series,
    what: str,
    source: str,
    valid: pl.Expr | None = None,
) -> list[Problem]:
    mask = (
        pl.col(column).is_not_null() & ~pl.col(column).is_in(known.implode()) & ~pl.col("__ragged")
    )
    if valid is not None:
        mask = mask & valid
    bad = frame.filter(mask).select("line", column)
    return [
        Problem(file, line, column, f"unknown {what} {v} (not in {source})")
        for line, v in bad.iter_rows()
    ]


# -- typed output ---------------------------------------------------------------------------------


def _typed(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    schema = SCHEMAS[name]
    exprs = []
    for column, dtype in schema.items():
        if column == "line":
            exprs.append(pl.col("line").cast(pl.Int64()))
            continue
        kind = next(c.kind for c in COLUMNS[name] if c.name == column)
        if kind in ("date", "hours", "bool"):
            expr = pl.col(_p(column)) if _p(column) in frame.columns else pl.lit(None)
        elif kind == "bsn":
            expr = normalise_bsn_expr(pl.col(column))
        else:
            expr = pl.col(column)
        exprs.append(expr.cast(dtype).alias(column))
    out = frame.select(exprs)
    if name == "schools":
        default = pl.col("sector").replace_strict(
            choices.DEFAULT_HOURS_PER_DAY, default=None, return_dtype=pl.Float64()
        )
        out = out.with_columns(pl.col("hours_per_day").fill_null(default))
    elif name == "students":
        out = out.with_columns(pl.col("kwalificatieplicht_exempt").fill_null(False))
    return out


# -- the reader -----------------------------------------------------------------------------------


def read_exchange(path: str | Path, *, progress: Callable[[str], None] | None = None) -> Dataset:
    """Read and validate an exchange directory (RULES.md §6) into a typed :class:`Dataset`.

    Every problem in every file is collected; when there is any, :class:`ExchangeError` is raised
    with all of them (file, line, column, message). ``progress`` receives short status messages.
    """
    directory = Path(path)
    if not directory.is_dir():
        raise ExchangeError([Problem(str(directory), 0, "", "is not a directory")])
    problems: list[Problem] = []
    raws: dict[str, _Raw] = {}
    parsed: dict[str, pl.DataFrame] = {}
    for name in FILES:
        file_problems: list[Problem] = []
        raw = _read_raw(directory, name, file_problems, progress)
        if raw is not None:
            if progress:
                progress(f"checking {raw.file}")
            frame = _checked(name, raw, file_problems)
            key = {"students": "student_id", "schools": "brin"}.get(name)
            if key and key in raw.present:
                file_problems.extend(_duplicates(frame.filter(~pl.col("__ragged")), raw.file, key))
            raws[name] = raw
            parsed[name] = frame
        problems.extend(file_problems)

    # references between files: only when the referred-to file was read with its key column
    students = raws.get("students")
    student_index: dict[str, pl.Series] = {}
    if students is not None and "student_id" in students.present:
        index = (
            parsed["students"]
            .select("student_id")
            .with_row_index("__sx")
            .filter(pl.col("student_id").is_not_null())
        )
        if any(p.file == students.file and p.column == "student_id" for p in problems):
            # duplicates were reported; keep the first so that the join stays one-to-one
            index = index.unique(subset="student_id", keep="first", maintain_order=True)
        for name in ("enrolments", "absences", "exemptions"):
            raw = raws.get(name)
            if raw is not None and "student_id" in raw.present:
                found, unknown = _student_numbers(parsed[name], raw.file, index, students.file)
                problems.extend(unknown)
                student_index[name] = found
    schools = raws.get("schools")
    enrolments = raws.get("enrolments")
    if (
        schools is not None
        and "brin" in schools.present
        and enrolments is not None
        and "brin" in enrolments.present
    ):
        brins = schools.frame.get_column("brin").drop_nulls().unique()
        problems.extend(
            _unknown(
                parsed["enrolments"],
                enrolments.file,
                "brin",
                brins,
                "school",
                schools.file,
                valid=brin_valid_expr(pl.col("brin")),
            )
        )

    if problems:
        raise ExchangeError(_sorted(problems))

    frames = {name: _typed(name, parsed[name]) for name in parsed}
    if progress:
        progress("exchange files read")
    return Dataset(
        schools=frames["schools"],
        students=frames["students"],
        enrolments=frames["enrolments"],
        absences=frames.get("absences", empty_frame("absences")),
        exemptions=frames.get("exemptions", empty_frame("exemptions")),
        calendar=frames.get("calendar"),
        source=str(directory),
        extra={STUDENT_INDEX: student_index},
    )


def read_calendar(
    path: str | Path, *, region: str | None = None, max_name_length: int | None = None
) -> pl.DataFrame:
    """Read and validate one calendar file (RULES.md §6: region, start_date, end_date, [name])
    into the typed calendar frame (the schema of :attr:`Dataset.calendar`).

    ``path`` is the file itself: CSV, or Parquet when its name ends in ``.parquet``. With
    ``region`` the file is the calendar of that one region (a school's own free days): the region
    column may be left out, and a row naming another region is a problem. ``max_name_length`` is
    the longest name allowed (a database column's limit). Every problem is collected and raised
    as :class:`ExchangeError` (file, line, column, message), ordered by line and column.
    """
    path = Path(path)
    if not path.is_file():
        raise ExchangeError([Problem(path.name, 0, "", "is not a file")])
    problems: list[Problem] = []
    raw = _read_file(path, "calendar", problems, None)
    if raw is not None and region is not None and "region" not in raw.present:
        # the region is the calendar's own: the column may be left out
        problems = [p for p in problems if not (p.column == "region" and p.line == 1)]
        raw.frame = raw.frame.with_columns(pl.lit(region).alias("region"))
    if raw is None:
        raise ExchangeError(problems or [Problem(path.name, 0, "", "no rows")])
    frame = _checked("calendar", raw, problems)
    for line, given, name in frame.select("line", "region", "name").iter_rows():
        if region is not None and given and given != region:
            problems.append(
                Problem(
                    raw.file,
                    line,
                    "region",
                    f"region {given} is not {region}, the region of this calendar",
                )
            )
        if max_name_length is not None and name and len(name) > max_name_length:
            problems.append(
                Problem(raw.file, line, "name", f"name is longer than {max_name_length} characters")
            )
    if problems:
        raise ExchangeError(sorted(problems, key=lambda p: (p.line, p.column)))
    return _typed("calendar", frame)


#: Dataset.extra key: per file, the row number in students.csv of each row's student.
STUDENT_INDEX = "student_index"


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Problems by file (in reading order), then line, then the file's column order."""
    file_order = {f"{name}.{ext}": i for i, name in enumerate(FILES) for ext in ("csv", "parquet")}
    column_order = {
        (f"{name}.{ext}", c.name): j
        for name in FILES
        for ext in ("csv", "parquet")
        for j, c in enumerate(COLUMNS[name])
    }
    return sorted(
        problems,
        key=lambda p: (
            file_order.get(p.file, len(FILES)),
            p.line,
            column_order.get((p.file, p.column), -1),
        ),
    )


def write_exchange(dataset: Dataset, path: str | Path) -> Path:
    """Write ``dataset`` as an exchange directory (RULES.md §6): one CSV per frame, ISO dates,
    booleans ``true``/``false``, empty for null, no ``line`` column. Returns the directory."""
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    frames: dict[str, pl.DataFrame | None] = {
        "schools": dataset.schools,
        "students": dataset.students,
        "enrolments": dataset.enrolments,
        "absences": dataset.absences,
        "exemptions": dataset.exemptions,
        "calendar": dataset.calendar,
    }
    for name, frame in frames.items():
        if frame is None:
            continue
        columns = [c for c in SCHEMAS[name] if c != "line" and c in frame.columns]
        out = frame.select(
            [
                pl.col(c).dt.to_string("%Y-%m-%d")
                if frame.schema[c] == pl.Date
                else pl.col(c).cast(pl.String())
                for c in columns
            ]
        )
        out.write_csv(directory / f"{name}.csv", null_value="")
    return directory
