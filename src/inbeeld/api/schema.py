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


_DESCRIPTIONS = {
    400: "Invalid parameters or body; `invalidParams` names each one.",
    401: "No valid credentials: a missing, unknown or revoked token.",
    403: "Not allowed: no API permission, no permission to see children, or no organisation chosen.",
    404: "Not found, or not visible to the acting organisation.",
    409: "Conflict with a concurrent change; send the request again.",
}


def problems(*codes: int) -> dict:
    """Responses for ``extend_schema``: each error code as application/problem+json."""
    return {
        (code, PROBLEM_JSON): OpenApiResponse(ProblemSerializer, description=_DESCRIPTIONS[code])
        for code in codes
    }
