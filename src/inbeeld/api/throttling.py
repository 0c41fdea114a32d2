"""Throttling per personal token: each token has its own budget (``INBEELD_API_TOKEN_RATE``).

Over it the API answers 429 as problem+json with ``Retry-After``. A browser session is not
throttled here (logging in is throttled where it happens)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from inbeeld.accounts.models import PersonalToken


class TokenThrottled(exceptions.Throttled):
    default_detail = _("Te veel verzoeken met dit token.")
    extra_detail_singular = _("Probeer het over {wait} seconde opnieuw.")
    extra_detail_plural = _("Probeer het over {wait} seconden opnieuw.")


class PersonalTokenRateThrottle(SimpleRateThrottle):
    scope = "personal_token"

    def get_rate(self) -> str:
        return settings.INBEELD_API_TOKEN_RATE  # read per request: a changed setting counts at once

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if not isinstance(token, PersonalToken):
            return None
        # the hash, not the id: an id can come back after a rollback, a hash never does
        return self.cache_format % {"scope": self.scope, "ident": token.key_hash}
