"""Importing the exchange format v1 into the database (issue 3 §3; RULES.md §6).

:func:`import_exchange` takes a directory or a ``.zip`` of the exchange files and is all or
nothing:

1. A zip is unpacked into a temporary directory first. Members outside the archive's folder
   (path traversal, absolute paths, links) and members that are not ``.csv`` or ``.parquet`` refuse
   the import.
2. Every file is read and checked by :func:`inbeeld.rules.exchange.read_exchange`, which reports
   every problem with file, line and column. Then the checks that only the database needs are made
   here: rows repeating the identity of an earlier row (a duplicate absence, enrolment, exemption
   or calendar period), BSNs and onderwijsnummers used twice or already belonging to another
   child, values longer than the database holds, and what the importing organisation may import.
3. Any problem: the :class:`ImportBatch` is stored with state ``refused`` and all its problems
   (the first :data:`MAX_STORED_PROBLEMS`; the returned batch carries every one in
   ``all_problems``), and nothing else is stored.
4. Otherwise everything is written in one transaction, in chunks of :data:`CHUNK_SIZE` rows:
   per chunk one query finds the rows that exist, then multi-row INSERTs and ``bulk_update``. A year of
   absences for 100,000 children (about 350,000 rows) never costs a query per row.

Identity (what makes a row "the same row" when the same data are imported again):

* schools: BRIN; students: ``student_id``; enrolments: (student, school, start date);
  exemptions: (student, article, start date); absences: (student, start date, reason).
* The same row again changes nothing (``unchanged``). A row with the same identity and other
  values is a correction and replaces the stored values (``updated``); for an absence that is a
  new end date or hours per day. Rows that are in the database but not in the files stay: an
  import adds and corrects, it never deletes children, enrolments, exemptions or absences.
* calendar.csv replaces the school-free periods of every region it names (RULES.md §1), as it
  does for ``inbeeld analyse``; a school's own free days are not touched.

Schools become :class:`~inbeeld.people.models.School` rows and each gets an organisation of type
school (code = BRIN) when it has none; a school's ``partnership`` becomes an organisation of type
samenwerkingsverband (created when missing, named after its code).

What an organisation may import (need-to-know, **(choice)**): a gemeente imports the exchange
files of its region; a school only rows of its own school (schools.csv holds only its BRIN); a
samenwerkingsverband only its member schools (schools.csv ``partnership`` = its code); GGD and
wijkteam import nothing. Only a gemeente imports calendar.csv (the vacations of a whole region).

The bulk import records one audit event per import (who, for which organisation, what file,
how many rows), not one per row.
"""

from __future__ import annotations

import csv
import logging
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.attendance.models import AbsenceRecord, ImportBatch
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.people.models import Enrolment, Exemption, School, SchoolFreePeriod, Student
from inbeeld.people.services import partnership_name
from inbeeld.rules.exchange import (
    FILES,
    MAX_HOURS_PER_DAY,
    ExchangeError,
    Problem,
    read_exchange,
)
from inbeeld.rules.model import Dataset

__all__ = [
    "CHUNK_SIZE",
    "ImportProgress",
    "import_batch_for",
    "import_batches_of",
    "import_exchange",
    "save_uploaded_files",
]

logger = logging.getLogger(__name__)

#: Rows written per round trip: one query finds the existing rows of a chunk, then bulk writes.
CHUNK_SIZE = 5_000
#: ``bulk_update`` builds a CASE over its batch; small batches keep that linear.
UPDATE_BATCH_SIZE = 500
#: Problems kept on a refused batch (the report shows them; the command prints every one).
MAX_STORED_PROBLEMS = 10_000
#: File name endings an import accepts (RULES.md §6: CSV, or Parquet as the reader allows).
ALLOWED_SUFFIXES = (".csv", ".parquet")
#: Most bytes a zip may unpack to (protection against zip bombs); override in settings.
MAX_UNPACKED_BYTES_DEFAULT = 2 * 1024**3

ImportProgress = Callable[[str], None]


class _Uploaded(Protocol):
    name: str

    def chunks(self) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class _Acting:
    """The party in the audit trail when no :class:`Actor` is given (a management command)."""

    user: Any
    organisation: Organisation
    ip: str | None = None


# -- reads ----------------------------------------------------------------------------------------


def import_batches_of(*, actor: Actor) -> QuerySet[ImportBatch]:
    """The imports of the organisation the actor acts for, newest first."""
    return ImportBatch.objects.filter(organisation=actor.organisation).select_related("user")


def import_batch_for(*, actor: Actor, pk: int) -> ImportBatch | None:
    """One import of the actor's organisation (None otherwise: the view answers 404)."""
    return import_batches_of(actor=actor).filter(pk=pk).first()


# -- the import -----------------------------------------------------------------------------------


def import_exchange(
    *,
    source: Path | str,
    actor: Actor | None = None,
    organisation: Organisation | None = None,
    user: Any = None,
    progress: ImportProgress | None = None,
    source_name: str | None = None,
) -> ImportBatch:
    """Import an exchange directory or zip for ``actor`` (or for ``organisation``, optionally on
    behalf of ``user``, when there is no actor: a management command). All or nothing.

    Returns the :class:`ImportBatch`: state ``done`` with ``counts`` per file (read, created,
    updated, unchanged), or ``refused`` with ``problems`` (file, line, column, message); a refused
    batch also has ``all_problems``, the full list of :class:`Problem`.
    """
    acting: Any
    if actor is not None:
        organisation, user, acting = actor.organisation, actor.user, actor
    elif organisation is not None:
        acting = _Acting(user=user, organisation=organisation)
    else:
        raise ValueError("import_exchange needs an actor or an organisation")
    source = Path(source)
    say = progress or (lambda message: None)
    batch = ImportBatch.objects.create(
        organisation=organisation,
        user=user if getattr(user, "pk", None) else None,
        source_name=(source_name or source.name or str(source))[:255],
    )
    with tempfile.TemporaryDirectory(prefix="inbeeld-import-") as scratch:
        directory, problems = _exchange_directory(source, Path(scratch))
        if problems:
            return _refuse(batch, acting, problems)
        try:
            dataset = read_exchange(directory, progress=say)
        except ExchangeError as error:
            return _refuse(batch, acting, error.problems)
        say("checking against the database")
        problems = _import_problems(dataset, directory, organisation)
        if problems:
            return _refuse(batch, acting, problems)
        try:
            with transaction.atomic():
                counts = _Writer(dataset, directory, batch, organisation, say).write()
                batch.state = ImportBatch.State.DONE
                batch.counts = counts
                batch.finished_at = timezone.now()
                batch.save(update_fields=["state", "counts", "finished_at"])
                audit_record(
                    actor=acting,
                    action=AuditAction.IMPORT,
                    summary=f"import {batch.source_name}: {_summary(counts)}",
                    obj=batch,
                    detail={"counts": counts, "source": batch.source_name},
                )
        except (DatabaseError, ValidationError) as error:
            logger.exception("import %s failed while writing", batch.pk)
            return _refuse(
                batch,
                acting,
                [
                    Problem(
                        "", 0, "", f"the database refused the import, nothing was stored: {error}"
                    )
                ],
            )
    say(f"import done: {_summary(batch.counts)}")
    return batch


def _summary(counts: dict[str, dict[str, int]]) -> str:
    total = {"created": 0, "updated": 0, "unchanged": 0}
    for figures in counts.values():
        for key in total:
            total[key] += figures.get(key, 0)
    return ", ".join(f"{value:,} {key}" for key, value in total.items())


def _refuse(batch: ImportBatch, acting: Any, problems: Sequence[Problem]) -> ImportBatch:
    with transaction.atomic():
        batch.state = ImportBatch.State.REFUSED
        batch.problems = [asdict(p) for p in problems[:MAX_STORED_PROBLEMS]]
        batch.counts = {"problems": len(problems)}
        batch.finished_at = timezone.now()
        batch.save(update_fields=["state", "problems", "counts", "finished_at"])
        audit_record(
            actor=acting,
            action=AuditAction.IMPORT,
            summary=f"import {batch.source_name} geweigerd: {len(problems)} probleem/problemen",
            obj=batch,
            detail={"problems": len(problems), "source": batch.source_name},
        )
    batch.all_problems = list(problems)  # type: ignore[attr-defined]
    return batch


# -- the files: a directory, a zip, or uploaded files ----------------------------------------------


def _max_unpacked_bytes() -> int:
    return int(getattr(settings, "INBEELD_IMPORT_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES_DEFAULT))


def _exchange_directory(source: Path, scratch: Path) -> tuple[Path, list[Problem]]:
    if source.is_dir():
        return source, []
    if source.is_file() and (source.suffix.lower() == ".zip" or zipfile.is_zipfile(source)):
        target = scratch / "exchange"
        target.mkdir()
        return target, _unpack_zip(source, target)
    return source, [Problem(source.name, 0, "", "is neither a directory nor a .zip file")]


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _unpack_zip(path: Path, target: Path) -> list[Problem]:
    """Unpack the exchange files of a zip into ``target`` (flat), refusing anything unsafe.

    Accepted: ``.csv`` and ``.parquet`` members at the top of the archive or all inside one folder.
    Folder entries and macOS resource forks (``__MACOSX/``) are skipped. Refused: absolute paths,
    ``..``, drive letters, links, other kinds of file, the same file name twice, and more than
    ``INBEELD_IMPORT_MAX_UNPACKED_BYTES`` unpacked.
    """
    zip_name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        return [Problem(zip_name, 0, "", f"is not a readable zip file: {error}")]
    problems: list[Problem] = []
    members: list[tuple[zipfile.ZipInfo, str]] = []
    folders: set[tuple[str, ...]] = set()
    total = 0
    with archive:
        for info in archive.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if info.is_dir() or not parts:
                continue
            if parts[0] == "__MACOSX":
                continue
            if (
                name.startswith(("/", "\\"))
                or ".." in parts
                or ":" in parts[0]
                or any(p in ("", ".") for p in parts)
            ):
                problems.append(
                    Problem(name, 0, "", "unsafe path in the zip (outside the archive's folder)")
                )
                continue
            if _is_link(info):
                problems.append(
                    Problem(name, 0, "", "the zip holds a link; only files are accepted")
                )
                continue
            if not parts[-1].lower().endswith(ALLOWED_SUFFIXES):
                problems.append(
                    Problem(
                        name, 0, "", "not an exchange file (only .csv and .parquet are accepted)"
                    )
                )
                continue
            total += info.file_size
            folders.add(tuple(parts[:-1]))
            members.append((info, parts[-1]))
        if total > _max_unpacked_bytes():
            problems.append(
                Problem(
                    zip_name,
                    0,
                    "",
                    f"unpacks to {total:,} bytes, more than the {_max_unpacked_bytes():,} allowed",
                )
            )
        if len(folders) > 1:
            problems.append(
                Problem(zip_name, 0, "", "the exchange files must all be in one folder of the zip")
            )
        seen: set[str] = set()
        for info, base in members:
            if base in seen:
                problems.append(Problem(info.filename, 0, "", f"{base} is in the zip twice"))
            seen.add(base)
        if not members and not problems:
            problems.append(Problem(zip_name, 0, "", "the zip holds no .csv or .parquet file"))
        if problems:
            return problems
        written = 0
        for info, base in members:
            # never ``extract``: the member's own name is not trusted, only its base name
            with archive.open(info) as source, (target / base).open("wb") as sink:
                while block := source.read(1024 * 1024):
                    written += len(block)
                    if written > _max_unpacked_bytes():  # the header may lie about the size
                        return [Problem(zip_name, 0, "", "unpacks to more bytes than allowed")]
                    sink.write(block)
    return []


def save_uploaded_files(*, files: Iterable[_Uploaded], directory: Path) -> list[Problem]:
    """Save uploaded exchange files (``schools.csv`` …) into ``directory`` under their own base
    names. Only the names of the exchange format (RULES.md §6) with ``.csv`` or ``.parquet`` are
    accepted, each once."""
    known = {f"{name}{suffix}" for name in FILES for suffix in ALLOWED_SUFFIXES}
    problems: list[Problem] = []
    seen: set[str] = set()
    for upload in files:
        base = PurePosixPath((upload.name or "").replace("\\", "/")).name
        if base.lower() not in known:
            problems.append(
                Problem(
                    base or "?",
                    0,
                    "",
                    "not a file of the exchange format (expected "
                    + ", ".join(f"{n}.csv" for n in FILES)
                    + ")",
                )
            )
            continue
        base = base.lower()
        if base in seen:
            problems.append(Problem(base, 0, "", f"{base} was uploaded twice"))
            continue
        seen.add(base)
        with (directory / base).open("wb") as sink:
            for block in upload.chunks():
                sink.write(block)
    if not seen and not problems:
        problems.append(Problem("", 0, "", "no file was uploaded"))
    return problems


def _file_of(directory: Path, name: str) -> str | None:
    """The file name of one exchange table as the reader chose it (csv before parquet)."""
    for suffix in (".csv", ".parquet"):
        if (directory / f"{name}{suffix}").is_file():
            return f"{name}{suffix}"
    return None


class _Lines:
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


# -- checks that need the database or its limits ---------------------------------------------------

#: (table, the columns that make a row's identity, what it is called in a message)
_IDENTITIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("enrolments", ("student_id", "brin", "start_date"), "enrolment"),
    ("exemptions", ("student_id", "article", "start_date"), "exemption"),
    ("calendar", ("region", "start_date", "end_date"), "school-free period"),
)

#: (table, column, most characters the database holds)
_LENGTHS: tuple[tuple[str, str, int], ...] = (
    ("schools", "name", School._meta.get_field("name").max_length or 0),
    ("schools", "partnership", Organisation._meta.get_field("code").max_length or 0),
    ("students", "student_id", Student._meta.get_field("external_id").max_length or 0),
    ("students", "given_names", Student._meta.get_field("given_names").max_length or 0),
    ("students", "family_name", Student._meta.get_field("family_name").max_length or 0),
    ("students", "postcode", Student._meta.get_field("postcode").max_length or 0),
    ("calendar", "name", SchoolFreePeriod._meta.get_field("name").max_length or 0),
)


#: The identity of an absence (attendance.models.AbsenceRecord).
ABSENCE_IDENTITY = ("student_id", "start_date", "reason")


def _frames(dataset: Dataset) -> dict[str, pl.DataFrame | None]:
    return {
        "schools": dataset.schools,
        "students": dataset.students.with_columns(_postcode(pl.col("postcode"))),
        "enrolments": dataset.enrolments,
        "absences": _merged_absences(dataset.absences),
        "exemptions": dataset.exemptions,
        "calendar": dataset.calendar,
    }


def _merged_absences(absences: pl.DataFrame) -> pl.DataFrame:
    """Rows of one file that share an absence's identity, combined into one row.

    RULES.md §3 adds up the hours of a day and reason (capped at the day's hours), so two rows
    ``L1, 2024-03-28, ziek, 3`` and ``L1, 2024-03-28, ziek, 4`` mean 7 hours that day, and a
    partial day next to a whole day is a whole day. The database keeps one row per identity
    (student, start date, reason), so such rows are stored as the one row that means the same to
    the rules: the latest end date, whole day (empty hours) when any row is, else the sum of the
    hours (capped at 24, above any school day). Rows that cannot be combined exactly (a longer
    partial-day row next to a shorter one) are refused by :func:`_absence_merge_problems`.
    """
    key = pl.struct(list(ABSENCE_IDENTITY))
    if absences.height == 0 or not absences.select(key.is_duplicated().any()).item():
        return absences
    hours = pl.col("hours_per_day")
    return (
        absences.group_by(list(ABSENCE_IDENTITY), maintain_order=True)
        .agg(
            pl.col("end_date").max(),
            pl.when(hours.null_count() > 0)
            .then(pl.lit(None, pl.Float64()))
            .otherwise(hours.sum().clip(upper_bound=MAX_HOURS_PER_DAY))
            .alias("hours_per_day"),
        )
        .select(absences.columns)
    )


def _absence_merge_problems(absences: pl.DataFrame, file: str, lines: _Lines) -> list[Problem]:
    """Rows sharing an absence's identity that cannot be stored as one row (see
    :func:`_merged_absences`): the rows reaching the latest end date are part-day and another
    row ends earlier."""
    key = pl.struct(list(ABSENCE_IDENTITY))
    indexed = absences.with_row_index("__row")
    shared = indexed.filter(key.is_duplicated())
    if shared.height == 0:
        return []
    last = pl.col("end_date").max()
    groups = shared.group_by(list(ABSENCE_IDENTITY)).agg(
        pl.col("__row").min().alias("__first"),
        pl.col("__row").filter(pl.col("__row") != pl.col("__row").min()).min().alias("__second"),
        (pl.col("hours_per_day").is_not_null() & (pl.col("end_date") == last))
        .any()
        .alias("__partial_last"),
        (pl.col("end_date") < last).any().alias("__shorter"),
    )
    bad = groups.filter(pl.col("__partial_last") & pl.col("__shorter")).sort("__second")
    problems = []
    for student, start, reason, first, second in bad.select(
        *ABSENCE_IDENTITY, "__first", "__second"
    ).iter_rows():
        (first_line,) = lines(file, [first])
        (line,) = lines(file, [second])
        problems.append(
            Problem(
                file,
                line,
                "end_date",
                f"absence of student {student} from {start} ({reason}) is also on line "
                f"{first_line} with another end date; rows with the same student, start date and "
                "reason are combined, which only works when the longest one is a whole-day "
                "absence (empty hours_per_day)",
            )
        )
    return problems


def _postcode(column: pl.Expr) -> pl.Expr:
    """Postcodes are stored without spaces, in capitals (``1234 ab`` → ``1234AB``)."""
    return column.str.replace_all(" ", "", literal=True).str.to_uppercase().alias("postcode")


def _import_problems(
    dataset: Dataset, directory: Path, organisation: Organisation
) -> list[Problem]:
    lines = _Lines(directory)
    frames = _frames(dataset)
    problems: list[Problem] = []
    problems.extend(_scope_problems(frames, directory, organisation, lines))
    for table, keys, what in _IDENTITIES:
        frame = frames[table]
        file = _file_of(directory, table)
        if frame is not None and file is not None and frame.height:
            problems.extend(_duplicate_rows(frame, keys, file, what, lines))
    absences_file = _file_of(directory, "absences")
    if absences_file is not None:
        problems.extend(_absence_merge_problems(dataset.absences, absences_file, lines))
    for table, column, limit in _LENGTHS:
        frame = frames[table]
        file = _file_of(directory, table)
        if frame is None or file is None or column not in frame.columns:
            continue
        long = frame.with_row_index("__row").filter(pl.col(column).str.len_chars() > limit)
        for line, value in zip(
            lines(file, long.get_column("__row").to_list()),
            long.get_column(column).to_list(),
            strict=True,
        ):
            problems.append(
                Problem(file, line, column, f"{column} {value} is longer than {limit} characters")
            )
    students_file = _file_of(directory, "students") or "students.csv"
    for column in ("bsn", "onderwijsnummer"):
        problems.extend(
            _identifier_problems(frames["students"], column, students_file, lines)  # type: ignore[arg-type]
        )
    return _ordered(problems)


def _ordered(problems: list[Problem]) -> list[Problem]:
    order = {f"{name}{suffix}": i for i, name in enumerate(FILES) for suffix in ALLOWED_SUFFIXES}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.line, p.column))


def _scope_problems(
    frames: dict[str, pl.DataFrame | None],
    directory: Path,
    organisation: Organisation,
    lines: _Lines,
) -> list[Problem]:
    """What the importing organisation may import (see the module docstring, a choice)."""
    kind = organisation.type
    if kind not in (
        OrganisationType.GEMEENTE,
        OrganisationType.SCHOOL,
        OrganisationType.SAMENWERKINGSVERBAND,
    ):
        return [
            Problem(
                "",
                0,
                "",
                f"a {organisation.get_type_display()} does not import registry or absence data",
            )
        ]
    problems: list[Problem] = []
    calendar_file = _file_of(directory, "calendar")
    if kind != OrganisationType.GEMEENTE and calendar_file and frames["calendar"] is not None:
        problems.append(
            Problem(
                calendar_file,
                0,
                "",
                "only a gemeente imports the vacations of a region; a school adds its own free "
                "days on the page Vrije dagen",
            )
        )
    schools = frames["schools"]
    schools_file = _file_of(directory, "schools") or "schools.csv"
    assert schools is not None
    indexed = schools.with_row_index("__row")
    if kind == OrganisationType.SCHOOL:
        own = {organisation.code} | set(
            School.objects.filter(organisation=organisation).values_list("brin", flat=True)
        )
        bad = indexed.filter(~pl.col("brin").is_in(sorted(own)))
        message = f"school {{}} is not the school you import for ({organisation.code})"
        values = bad.get_column("brin").to_list()
    elif kind == OrganisationType.SAMENWERKINGSVERBAND:
        bad = indexed.filter(pl.col("partnership").fill_null("") != organisation.code)
        message = f"school {{}} is not a member of samenwerkingsverband {organisation.code}"
        values = bad.get_column("brin").to_list()
    else:
        return problems
    for line, value in zip(
        lines(schools_file, bad.get_column("__row").to_list()), values, strict=True
    ):
        problems.append(Problem(schools_file, line, "brin", message.format(value)))
    return problems


def _duplicate_rows(
    frame: pl.DataFrame, keys: Sequence[str], file: str, what: str, lines: _Lines
) -> list[Problem]:
    """Later rows repeating the identity of an earlier row (the first one is fine)."""
    key = pl.struct(list(keys))
    indexed = frame.select(*keys, *(["line"] if "line" in frame.columns else [])).with_row_index(
        "__row"
    )
    later = indexed.filter(~key.is_first_distinct())
    if later.height == 0:
        return []
    firsts = indexed.filter(key.is_first_distinct() & key.is_duplicated()).select(
        *keys, pl.col("__row").alias("__first")
    )
    joined = later.join(firsts, on=list(keys), how="left").sort("__row")
    rows = joined.get_column("__row").to_list()
    first_rows = joined.get_column("__first").to_list()
    if "line" in joined.columns:
        line_of = dict(
            zip(
                indexed.get_column("__row").to_list(),
                indexed.get_column("line").to_list(),
                strict=True,
            )
        )
        at = [line_of[r] for r in rows]
        first_at = [line_of[r] for r in first_rows]
    else:
        at, first_at = lines(file, rows), lines(file, first_rows)
    problems = []
    for values, line, first in zip(joined.select(keys).iter_rows(), at, first_at, strict=True):
        identity = ", ".join(f"{k} {v}" for k, v in zip(keys, values, strict=True))
        problems.append(
            Problem(file, line, keys[0], f"duplicate {what} ({identity}): first on line {first}")
        )
    return problems


def _identifier_problems(
    students: pl.DataFrame, column: str, file: str, lines: _Lines
) -> list[Problem]:
    """A BSN or onderwijsnummer used twice in the file, or held by another child already."""
    given = students.with_row_index("__row").filter(pl.col(column).is_not_null())
    if given.height == 0:
        return []
    problems = _duplicate_rows(
        given.select(column, "__row").rename({"__row": "__orig"}),
        (column,),
        file,
        column,
        _RowLines(lines, file, given.get_column("__row").to_list()),
    )
    pairs = dict(
        zip(
            given.get_column(column).to_list(),
            given.get_column("student_id").to_list(),
            strict=False,
        )
    )
    rows = dict(
        zip(given.get_column(column).to_list(), given.get_column("__row").to_list(), strict=False)
    )
    values = list(pairs)
    for start in range(0, len(values), CHUNK_SIZE):
        chunk = values[start : start + CHUNK_SIZE]
        held = Student.objects.filter(**{f"{column}__in": chunk}).values_list(column, "external_id")
        for value, external_id in held:
            if pairs.get(value) != external_id:
                (line,) = lines(file, [rows[value]])
                problems.append(
                    Problem(
                        file,
                        line,
                        column,
                        f"{column} {value} already belongs to student {external_id}",
                    )
                )
    return problems


class _RowLines:
    """Line numbers for a filtered frame: its rows are rows ``originals`` of the file."""

    def __init__(self, lines: _Lines, file: str, originals: list[int]) -> None:
        self.lines, self.file, self.originals = lines, file, originals

    def __call__(self, file: str, rows: Iterable[int]) -> list[int]:
        return self.lines(self.file, [self.originals[r] for r in rows])


# -- writing --------------------------------------------------------------------------------------


def _hours(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _chunks(frame: pl.DataFrame, size: int | None = None) -> Iterator[pl.DataFrame]:
    size = size or CHUNK_SIZE
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)


def _in_chunks(values: Sequence[Any], size: int | None = None) -> Iterator[Sequence[Any]]:
    size = size or CHUNK_SIZE
    for offset in range(0, len(values), size):
        yield values[offset : offset + size]


def _tally(read: int = 0) -> dict[str, int]:
    return {"read": read, "created": 0, "updated": 0, "unchanged": 0}


class _Inserter:
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


class _Writer:
    """Writes a checked dataset; runs inside the import's transaction."""

    STUDENT_FIELDS = (
        "birth_date",
        "municipality_code",
        "region",
        "bsn",
        "onderwijsnummer",
        "given_names",
        "family_name",
        "postcode",
        "startkwalificatie_date",
        "kwalificatieplicht_exempt",
    )

    def __init__(
        self,
        dataset: Dataset,
        directory: Path,
        batch: ImportBatch,
        organisation: Organisation,
        say: ImportProgress,
    ) -> None:
        self.frames = _frames(dataset)
        self.absence_rows_read = dataset.absences.height
        self.directory = directory
        self.batch = batch
        self.organisation = organisation
        self.say = say
        self.now = timezone.now()
        self.student_pk: dict[str, int] = {}
        self.school_pk: dict[str, int] = {}

    def write(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        steps: list[tuple[str, Callable[[pl.DataFrame, str], dict[str, int]]]] = [
            ("schools", self._schools),
            ("students", self._students),
            ("enrolments", self._enrolments),
            ("absences", self._absences),
            ("exemptions", self._exemptions),
            ("calendar", self._calendar),
        ]
        for name, step in steps:
            frame = self.frames[name]
            file = _file_of(self.directory, name)
            if frame is None or file is None:
                continue
            counts[file] = step(frame, file)
        return counts

    def _progress(self, file: str, done: int, total: int) -> None:
        self.say(f"{file}: {done:,} of {total:,} rows written")

    # schools and their organisations

    def _organisations(self, kind: str, wanted: dict[str, dict[str, str]]) -> dict[str, int]:
        """code → pk of the organisations of ``kind`` with these codes, creating missing ones."""
        found: dict[str, int] = {}
        codes = sorted(wanted)
        for chunk in _in_chunks(codes):
            found.update(
                Organisation.objects.filter(type=kind, code__in=chunk).values_list("code", "pk")
            )
        missing = [Organisation(type=kind, code=c, **wanted[c]) for c in codes if c not in found]
        if missing:
            Organisation.objects.bulk_create(missing, batch_size=UPDATE_BATCH_SIZE)
            for chunk in _in_chunks([o.code for o in missing]):
                found.update(
                    Organisation.objects.filter(type=kind, code__in=chunk).values_list("code", "pk")
                )
        self.organisations_created += len(missing)
        return found

    def _schools(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        tally = _tally(frame.height)
        self.organisations_created = 0
        rows = frame.to_dicts()
        partnerships = self._organisations(
            OrganisationType.SAMENWERKINGSVERBAND,
            {
                r["partnership"]: {"name": partnership_name(r["partnership"])}
                for r in rows
                if r["partnership"]
            },
        )
        existing: dict[str, School] = {}
        for chunk in _in_chunks([r["brin"] for r in rows]):
            existing.update((s.brin, s) for s in School.objects.filter(brin__in=chunk))
        needing = {
            r["brin"]: {"name": r["name"], "municipality_code": r["municipality"]}
            for r in rows
            if r["brin"] not in existing or existing[r["brin"]].organisation_id is None
        }
        school_organisations = self._organisations(OrganisationType.SCHOOL, needing)
        fields = (
            "name",
            "sector",
            "region",
            "municipality_code",
            "hours_per_day",
            "partnership_id",
            "organisation_id",
        )
        new: list[School] = []
        changed: list[School] = []
        for r in rows:
            values = {
                "name": r["name"],
                "sector": r["sector"],
                "region": r["region"],
                "municipality_code": r["municipality"],
                "hours_per_day": _hours(r["hours_per_day"]),
                "partnership_id": partnerships[r["partnership"]] if r["partnership"] else None,
            }
            school = existing.get(r["brin"])
            if school is None:
                new.append(
                    School(
                        brin=r["brin"], organisation_id=school_organisations[r["brin"]], **values
                    )
                )
                continue
            if school.organisation_id is None:
                values["organisation_id"] = school_organisations[r["brin"]]
            if _set_changed(school, values):
                changed.append(school)
            else:
                tally["unchanged"] += 1
        School.objects.bulk_create(new, batch_size=UPDATE_BATCH_SIZE)
        School.objects.bulk_update(changed, list(fields), batch_size=UPDATE_BATCH_SIZE)
        tally["created"], tally["updated"] = len(new), len(changed)
        for chunk in _in_chunks([r["brin"] for r in rows]):
            self.school_pk.update(School.objects.filter(brin__in=chunk).values_list("brin", "pk"))
        tally["organisations_created"] = self.organisations_created
        self._progress(file, frame.height, frame.height)
        return tally

    # students

    def _students(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        tally = _tally(frame.height)
        fields = self.STUDENT_FIELDS
        inserter = _Inserter(Student, ("external_id", *fields))
        done = 0
        for chunk in _chunks(frame):
            rows = chunk.to_dicts()
            ids = [r["student_id"] for r in rows]
            existing = {
                s.external_id: s
                for s in Student.objects.filter(external_id__in=ids).only(
                    "pk", "external_id", *fields
                )
            }
            new: list[tuple[Any, ...]] = []
            changed: list[Student] = []
            for r in rows:
                values = {
                    "birth_date": r["birth_date"],
                    "municipality_code": r["municipality"],
                    "region": r["region"] or "",
                    "bsn": r["bsn"],
                    "onderwijsnummer": r["onderwijsnummer"],
                    "given_names": r["given_names"] or "",
                    "family_name": r["family_name"] or "",
                    "postcode": r["postcode"] or "",
                    "startkwalificatie_date": r["startkwalificatie_date"],
                    "kwalificatieplicht_exempt": bool(r["kwalificatieplicht_exempt"]),
                }
                student = existing.get(r["student_id"])
                if student is None:
                    new.append((r["student_id"], *values.values()))
                elif _set_changed(student, values):
                    changed.append(student)
                else:
                    tally["unchanged"] += 1
            inserter.insert(new)
            Student.objects.bulk_update(changed, list(fields), batch_size=UPDATE_BATCH_SIZE)
            tally["created"] += len(new)
            tally["updated"] += len(changed)
            self.student_pk.update((s.external_id, s.pk) for s in existing.values())
            if new:
                self.student_pk.update(
                    Student.objects.filter(external_id__in=[n[0] for n in new]).values_list(
                        "external_id", "pk"
                    )
                )
            done += chunk.height
            self._progress(file, done, frame.height)
        return tally

    # rows that belong to a student: (student, …) identities, looked up per chunk

    def _by_student(
        self,
        frame: pl.DataFrame,
        file: str,
        *,
        existing_rows: Callable[[list[int]], Iterable[tuple[Any, ...]]],
        identity: Callable[[int, dict[str, Any]], tuple[Any, ...]],
        values: Callable[[dict[str, Any]], dict[str, Any]],
        create: Callable[[int, dict[str, Any], dict[str, Any]], tuple[Any, ...]],
        update: Callable[[int, dict[str, Any]], Any],
        model: Any,
        insert_fields: Sequence[str],
        update_fields: list[str],
        compared: int = 1,
    ) -> dict[str, int]:
        """Upsert rows whose identity starts with the student. ``existing_rows(student_pks)`` gives
        (pk, *identity, *values) of the stored rows of those students, the last ``compared``
        items being the values ``values(row)`` gives, in the same order. ``create`` gives the
        values of ``insert_fields`` of a new row."""
        tally = _tally(frame.height)
        inserter = _Inserter(model, insert_fields)
        done = 0
        # sorted by student, so that a chunk's lookup touches few children
        for chunk in _chunks(frame.sort("student_id", maintain_order=True)):
            rows = chunk.to_dicts()
            student_pks = sorted({self.student_pk[r["student_id"]] for r in rows})
            stored: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}
            for pk, *rest in existing_rows(student_pks):
                key_width = len(rest) - compared
                stored[tuple(rest[:key_width])] = (pk, tuple(rest[key_width:]))
            new = []
            changed = []
            for r in rows:
                student = self.student_pk[r["student_id"]]
                key = identity(student, r)
                wanted = values(r)
                found = stored.get(key)
                if found is None:
                    new.append(create(student, r, wanted))
                elif found[1] != tuple(wanted.values()):
                    changed.append(update(found[0], wanted))
                else:
                    tally["unchanged"] += 1
            inserter.insert(new)
            model.objects.bulk_update(changed, update_fields, batch_size=UPDATE_BATCH_SIZE)
            tally["created"] += len(new)
            tally["updated"] += len(changed)
            done += chunk.height
            self._progress(file, done, frame.height)
        return tally

    def _enrolments(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        return self._by_student(
            frame,
            file,
            existing_rows=lambda pks: Enrolment.objects.filter(student_id__in=pks).values_list(
                "pk", "student_id", "school_id", "start_date", "end_date"
            ),
            identity=lambda student, r: (student, self.school_pk[r["brin"]], r["start_date"]),
            values=lambda r: {"end_date": r["end_date"]},
            create=lambda student, r, v: (
                student,
                self.school_pk[r["brin"]],
                r["start_date"],
                v["end_date"],
            ),
            update=lambda pk, v: Enrolment(pk=pk, **v),
            model=Enrolment,
            insert_fields=("student", "school", "start_date", "end_date"),
            update_fields=["end_date"],
        )

    def _absences(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        def update(pk: int, v: dict[str, Any]) -> AbsenceRecord:
            return AbsenceRecord(pk=pk, batch=self.batch, updated_at=self.now, **v)

        tally = self._by_student(
            frame,
            file,
            existing_rows=lambda pks: AbsenceRecord.objects.filter(student_id__in=pks).values_list(
                "pk", "student_id", "start_date", "reason", "end_date", "hours_per_day"
            ),
            identity=lambda student, r: (student, r["start_date"], r["reason"]),
            values=lambda r: {
                "end_date": r["end_date"],
                "hours_per_day": _hours(r["hours_per_day"]),
            },
            create=lambda student, r, v: (
                student,
                r["start_date"],
                v["end_date"],
                r["reason"],
                v["hours_per_day"],
                self.organisation.pk,
                self.batch.pk,
                self.now,
                self.now,
            ),
            update=update,
            model=AbsenceRecord,
            insert_fields=(
                "student",
                "start_date",
                "end_date",
                "reason",
                "hours_per_day",
                "organisation",
                "batch",
                "created_at",
                "updated_at",
            ),
            update_fields=["end_date", "hours_per_day", "batch", "updated_at"],
            compared=2,
        )
        # rows of the file combined with another row of the same absence (_merged_absences)
        tally["combined"] = self.absence_rows_read - frame.height
        tally["read"] = self.absence_rows_read
        return tally

    def _exemptions(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        return self._by_student(
            frame,
            file,
            existing_rows=lambda pks: Exemption.objects.filter(student_id__in=pks).values_list(
                "pk", "student_id", "article", "start_date", "end_date"
            ),
            identity=lambda student, r: (student, r["article"], r["start_date"]),
            values=lambda r: {"end_date": r["end_date"]},
            create=lambda student, r, v: (student, r["article"], r["start_date"], v["end_date"]),
            update=lambda pk, v: Exemption(pk=pk, **v),
            model=Exemption,
            insert_fields=("student", "article", "start_date", "end_date"),
            update_fields=["end_date"],
        )

    # the vacations of whole regions

    def _calendar(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        """calendar.csv replaces the periods of every region it names (RULES.md §1)."""
        tally = _tally(frame.height)
        tally["deleted"] = 0
        regions = sorted(set(frame.get_column("region").to_list()))
        stored = {
            (p.region, p.start_date, p.end_date): p
            for p in SchoolFreePeriod.objects.filter(school__isnull=True, region__in=regions)
        }
        kept: set[int] = set()
        new, changed = [], []
        for r in frame.to_dicts():
            name = r["name"] or ""
            period = stored.get((r["region"], r["start_date"], r["end_date"]))
            if period is None:
                new.append(
                    SchoolFreePeriod(
                        region=r["region"],
                        start_date=r["start_date"],
                        end_date=r["end_date"],
                        name=name,
                    )
                )
                continue
            kept.add(period.pk)
            if period.name != name:
                period.name = name
                changed.append(period)
            else:
                tally["unchanged"] += 1
        stale = [p.pk for p in stored.values() if p.pk not in kept]
        SchoolFreePeriod.objects.filter(pk__in=stale).delete()
        SchoolFreePeriod.objects.bulk_create(new)
        SchoolFreePeriod.objects.bulk_update(changed, ["name"])
        tally["created"], tally["updated"], tally["deleted"] = len(new), len(changed), len(stale)
        self._progress(file, frame.height, frame.height)
        return tally


def _set_changed(instance: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
