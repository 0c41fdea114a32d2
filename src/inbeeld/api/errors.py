"""Errors as ``application/problem+json`` (RFC 9457; Dutch API Design Rules)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler


def as_api_error(
    error: DjangoValidationError, rename: dict[str, str] | None = None
) -> serializers.ValidationError:
    """A service's ValidationError as the API's 400: per field (``rename`` maps a service's field
    name to the API's), or as a whole under ``request``. The one mapping; the handler below applies
    it to any that an endpoint does not catch itself."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(
            {
                (rename or {}).get(field, field): messages
                for field, messages in error.message_dict.items()
            }
        )
    return serializers.ValidationError({"request": error.messages})


def problem_exception_handler(exc, context):
    """Every error as problem+json; a service's refusals (Django's PermissionDenied and
    ValidationError) as 403 and 400 with ``invalidParams``."""
    if isinstance(exc, DjangoValidationError):
        exc = as_api_error(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    problem = {
        "type": "about:blank",
        "title": getattr(exc, "default_detail", str(exc)).__str__(),
        "status": response.status_code,
    }
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        problem["detail"] = str(detail["detail"])
    else:
        problem["detail"] = "The request has invalid parameters."
        problem["invalidParams"] = _invalid_params(detail)
    problem.update(getattr(exc, "extensions", None) or {})  # e.g. allowedStates of a transition
    request = context.get("request")
    if request is not None:
        problem["instance"] = request.get_full_path()
    response.data = problem
    response["Content-Type"] = "application/problem+json"
    response.content_type = "application/problem+json"
    return response


def _invalid_params(detail, prefix: str = "") -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            out += _invalid_params(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                out += _invalid_params(value, f"{prefix}[{index}]")
            else:
                out.append({"name": prefix or "request", "reason": str(value)})
    else:
        out.append({"name": prefix or "request", "reason": str(detail)})
    return out
