"""The files of an import: a directory, a zip unpacked safely, or files uploaded on the page."""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Protocol

from django.conf import settings

from inbeeld.rules.exchange import FILES, Problem

#: File name endings an import accepts (RULES.md §6: CSV, or Parquet as the reader allows).
ALLOWED_SUFFIXES = (".csv", ".parquet")
#: Most bytes a zip may unpack to (protection against zip bombs); override in settings.
MAX_UNPACKED_BYTES_DEFAULT = 2 * 1024**3


class _Uploaded(Protocol):
    name: str

    def chunks(self) -> Iterable[bytes]: ...


def _max_unpacked_bytes() -> int:
    return int(getattr(settings, "INBEELD_IMPORT_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES_DEFAULT))


def exchange_directory(source: Path, scratch: Path) -> tuple[Path, list[Problem]]:
    """The directory holding the exchange files of ``source`` (a zip is unpacked into
    ``scratch``), and the problems that refuse it."""
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


def file_of(directory: Path, name: str) -> str | None:
    """The file name of one exchange table as the reader chose it (csv before parquet)."""
    for suffix in (".csv", ".parquet"):
        if (directory / f"{name}{suffix}").is_file():
            return f"{name}{suffix}"
    return None
