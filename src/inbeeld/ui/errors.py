"""The error answers: a styled Dutch page (templates 400.html, 403.html, 404.html, 500.html in
this app), or under /api/ an ``application/problem+json`` body (RFC 9457) like the API's own
errors. Nothing of the error itself is shown: an out-of-scope child and a missing one look alike.

A view turns "not found, or not yours" into the 404 with :func:`found_or_404`.

The 500 page is rendered as Django does it: the template alone, without the request, the database
or context processors (any of which may be what failed)."""

from __future__ import annotations

import json
from typing import TypeVar

from django.http import Http404, HttpResponse
from django.views import defaults

T = TypeVar("T")

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"
TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error"}
DETAILS = {
    400: "The request could not be understood.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "Something went wrong on our side; it has been logged.",
}


def _problem(request, status: int) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": TITLES[status],
        "status": status,
        "detail": DETAILS[status],
        "instance": request.path,
    }
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception):
    if _is_api(request):
        return _problem(request, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _problem(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return _problem(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return _problem(request, 500)
    return defaults.server_error(request)


def found_or_404(found: T | None, message: str = "") -> T:
    """What a selector found, or Not Found (404) when it found nothing: one outside the actor's
    scope looks like one that does not exist. ``message`` travels with the 404."""
    if found is None:
        raise Http404(message)
    return found
