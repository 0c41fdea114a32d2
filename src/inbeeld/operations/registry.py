"""The kinds of background work and who may start them.

A lower layer asks, the higher one answers: ``operations`` knows no import or detection; the app
that owns the work registers its :class:`JobType` when Django starts (its ``AppConfig.ready``),
in the web server and in the worker alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission


class Progress(Protocol):
    def __call__(self, percent: int, message: str) -> None: ...


@dataclass(frozen=True)
class JobType:
    """One kind of work: ``run(params, actor, progress)`` does it and returns the result's
    summary (JSON); ``result_url(result)`` the page that shows its outcome (or None)."""

    kind: str
    #: a Dutch text (a gettext msgid; the page translates it)
    label: str
    permission: Permission
    run: Callable[[Mapping[str, Any], Actor | None, Progress], dict[str, Any]]
    result_url: Callable[[Mapping[str, Any]], str | None] = field(default=lambda result: None)
    #: the page to return to (its list: the import page, the detection page)
    back_url: Callable[[], str] | None = None


_TYPES: dict[str, JobType] = {}


def register(job_type: JobType) -> None:
    _TYPES[job_type.kind] = job_type


def job_type(kind: str) -> JobType:
    try:
        return _TYPES[kind]
    except KeyError:
        raise LookupError(f"no background job type {kind!r} is registered") from None


def job_permissions() -> set[Permission]:
    """The permissions that start some kind of background work."""
    return {t.permission for t in _TYPES.values()}


def steps(table: Mapping[str, tuple[int, str]], progress: Progress) -> Callable[[str], None]:
    """Turn an existing step's free text (``say("reading students.csv")``) into progress: the
    first entry of ``table`` whose key the text starts with gives its percentage and Dutch text;
    other texts leave the progress as it is."""

    def say(text: str) -> None:
        for prefix, (percent, message) in table.items():
            if text.startswith(prefix):
                progress(percent, message)
                return

    return say
