"""OpenAPI pieces shared by every endpoint: the token security scheme and problem+json errors."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

PROBLEM_JSON = "application/problem+json"


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "inbeeld.api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ib_…",
            "description": "A personal token (Authorization: Bearer ib_…), made in the application.",
        }


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The parameter or field, e.g. `[3].end_date`.")
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    invalidParams = InvalidParamSerializer(many=True, required=False)  # noqa: N815
    missingScope = serializers.CharField(  # noqa: N815
        required=False, help_text="The scope the token lacks (403), e.g. `cases:write`."
    )


_DESCRIPTIONS = {
    400: "Invalid parameters or body; `invalidParams` names each one.",
    401: "No valid credentials: a missing, unknown, revoked or expired token.",
    403: (
        "Not allowed: no API permission, no permission to see children, no organisation chosen, "
        "or a scope the token lacks (`missingScope`)."
    ),
    404: "Not found, or not visible to the acting organisation.",
    409: "Conflict with a concurrent change; send the request again.",
    429: "Too many requests with this token; `Retry-After` says in how many seconds to try again.",
}


def problems(*codes: int) -> dict:
    """Responses for ``extend_schema``: each error code as application/problem+json. Whatever
    takes a token (401) can also be throttled (429)."""
    if 401 in codes and 429 not in codes:
        codes = (*codes, 429)
    return {
        (code, PROBLEM_JSON): OpenApiResponse(ProblemSerializer, description=_DESCRIPTIONS[code])
        for code in codes
    }
