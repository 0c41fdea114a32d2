"""Logs: one JSON object per line (or plain text), with the request they belong to, and never a
BSN.

``settings.LOGGING`` (conf/settings/base.py) puts both filters on its one handler and chooses the
formatter from ``INBEELD_LOG_FORMAT`` (``json`` or ``text``):

- :class:`RequestContext` adds ``request_id``, ``user_id`` and ``organisation`` (the acting
  organisation's id) of the request being served (:class:`RequestIdMiddleware`), empty outside
  a request (a management command, a worker);
- :class:`Redact` masks every run of nine digits (a BSN, or anything that looks like one) in the
  message and the traceback, whichever logger wrote it: Inbeeld's own code never logs a BSN, a
  name or a note's text (it logs primary keys and counts), and this filter is the net beneath.

The request id comes from the ``X-Request-ID`` header when it is a plain token (letters, digits,
``.``, ``_``, ``-``; at most 64) so that the reverse proxy's id joins both logs, else a new one;
the response carries it back in ``X-Request-ID``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from typing import Any

from django.core.signals import request_finished

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: nine digits standing alone (a BSN); longer digit runs (ids, timestamps) are left alone
_BSN_LIKE = re.compile(r"(?<!\d)\d{9}(?!\d)")
MASK = "*********"

_current_request: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "inbeeld_request", default=None
)


def redact(text: str) -> str:
    """``text`` with every stand-alone run of nine digits masked."""
    return _BSN_LIKE.sub(MASK, text)


def request_id_from(header: str | None) -> str:
    """The id the caller sent when it is a plain token, else a new one."""
    if header and _VALID_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the chain: gives the request its id (``request.request_id``), makes it the
    current request for the logs, and returns the id in the response's ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        # kept until the response is closed (request_finished): Django logs a 4xx/5xx response
        # ("Not Found: …") after the middleware has returned it
        _current_request.set(request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


def _forget_request(**kwargs: Any) -> None:
    _current_request.set(None)


request_finished.connect(_forget_request, dispatch_uid="inbeeld.conf.logs.forget_request")


def _user_id(request: Any) -> int | None:
    actor = getattr(request, "actor", None)
    if actor is not None:
        return actor.user.pk
    user = request.__dict__.get("user")  # only when authentication has already looked it up
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestContext(logging.Filter):
    """Adds ``request_id``, ``user_id`` and ``organisation`` of the current request (or None)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current_request.get()
        record.request_id = getattr(request, "request_id", None)
        record.user_id = None
        record.organisation = None
        if request is not None:
            try:
                record.user_id = _user_id(request)
                actor = getattr(request, "actor", None)
                record.organisation = actor.organisation.pk if actor is not None else None
            except Exception:  # a log line never fails on its context
                pass
        return True


class Redact(logging.Filter):
    """Masks BSN-like numbers in the message (after its arguments are filled in) and in the
    traceback; the record leaves this filter with the masked text and no arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    user_id, organisation, and the traceback as ``exception`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
            "organisation": getattr(record, "organisation", None),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The ``LOGGING`` dict: one handler to stderr with both filters, JSON or plain text."""
    if log_format not in {"json", "text"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"INBEELD_LOG_FORMAT={log_format!r}: use json or text")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_context": {"()": "inbeeld.conf.logs.RequestContext"},
            "redact": {"()": "inbeeld.conf.logs.Redact"},
        },
        "formatters": {
            "json": {"()": "inbeeld.conf.logs.JsonFormatter"},
            "text": {
                "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_context", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own loggers propagate to the root handler (and so through the filters)
            "django": {"handlers": [], "propagate": True},
            # django-axes logs every login at INFO; the audit trail has them already
            "axes": {"level": "WARNING"},
        },
    }
