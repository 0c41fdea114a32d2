"""``Cache-Control: no-store`` on every answer that may hold personal data (finding 10 of issue
9): every response to a logged-in user or an API token, and everything under /api/. No browser
cache, shared proxy or back button after logging out keeps a child's page, an htmx fragment, an
API answer or a download. Static files keep their own (long) caching."""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

API_PREFIX = "/api/"


def holds_personal_data(request) -> bool:
    """Whether the answer to this request may hold personal data (the simple, honest rule)."""
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return False
    if request.path.startswith(API_PREFIX):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if holds_personal_data(request):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
