"""The kinds of background work and who may start them.

A lower layer asks, the higher one answers: ``operations`` knows no import or detection; the app
that owns the work registers its :class:`JobType` when Django starts (its ``AppConfig.ready``),
in the web server and in the worker alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext_noop

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission

if TYPE_CHECKING:
    from inbeeld.operations.models import BackgroundJob

logger = logging.getLogger(__name__)


class Progress(Protocol):
    def __call__(self, percent: int, message: str) -> None: ...


@dataclass(frozen=True)
class JobType:
    """One kind of work: ``run(params, actor, progress)`` does it and returns the result's
    summary (JSON); ``result_url(job)`` the page (or file) that shows a finished job's outcome
    (or None), linked as ``result_label``; ``housekeeping()``, where given, tidies what the kind
    leaves behind (old files) and is called by the worker now and then."""

    kind: str
    #: a Dutch text (a gettext msgid; the page translates it)
    label: str
    permission: Permission
    run: Callable[[Mapping[str, Any], Actor | None, Progress], dict[str, Any]]
    result_url: Callable[[BackgroundJob], str | None] = field(default=lambda job: None)
    #: the page to return to (its list: the import page, the detection page)
    back_url: Callable[[], str] | None = None
    #: the result link's text (a gettext msgid)
    result_label: str = gettext_noop("Bekijk het resultaat")
    housekeeping: Callable[[], None] | None = None


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


def housekeeping() -> None:
    """Every kind's tidying (the worker's heartbeat calls it): one failing does not stop the
    others."""
    for kind in list(_TYPES.values()):
        if kind.housekeeping is None:
            continue
        try:
            kind.housekeeping()
        except Exception:
            logger.exception("housekeeping of background jobs %s failed", kind.kind)


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
