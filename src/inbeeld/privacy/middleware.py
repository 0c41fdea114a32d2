"""Refused attempts on the screens (issue 9): a page asked for with an id (in its path, or as
``?leerling=``) that answers 404 writes an audit event ``refused`` naming the screen and the id,
never a child. The user gets the same 404 either way. The API records its own (``api.base``)."""

from __future__ import annotations

from inbeeld.audit.services import audit_record_refused

#: query parameters that name an object a screen opens (the child of a form)
ID_PARAMETERS = ("leerling",)


def attempted_id(request) -> str:
    """The id the request asked for: the first numeric path parameter, or ``?leerling=``."""
    match = request.resolver_match
    for value in (match.kwargs if match else {}).values():
        if str(value).isdigit():
            return str(value)
    for name in ID_PARAMETERS:
        value = request.GET.get(name) or (
            request.POST.get(name) if request.method == "POST" else ""
        )
        if value:
            return str(value)[:64]
    return ""


def _is_api(request) -> bool:
    return getattr(request.resolver_match.func, "cls", None) is not None


class RefusedAttemptMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.resolver_match is not None:
            user = getattr(request, "user", None)
            object_id = attempted_id(request)
            if user is not None and user.is_authenticated and object_id and not _is_api(request):
                audit_record_refused(
                    actor=getattr(request, "actor", None),
                    user=user,
                    object_type=request.resolver_match.view_name,
                    object_id=object_id,
                    summary=f"geweigerd: {request.method} {request.path}",
                )
        return response
