"""Personal API tokens: ``Authorization: Bearer ib_…`` (issue 3 §6).

Unknown, revoked and expired tokens, and tokens of a deactivated membership or user, answer 401;
the use of an expired one is recorded in the audit trail for its owner."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.client_ip import client_ip
from inbeeld.accounts.models import Membership, PersonalToken
from inbeeld.accounts.services import personal_token_refused_record


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(self.keyword + " "):
            return None
        key = header[len(self.keyword) + 1 :].strip()
        token = (
            PersonalToken.objects.select_related("membership__user", "membership__organisation")
            .filter(key_hash=PersonalToken.hash(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.membership.active or not token.membership.user.is_active:
            raise exceptions.AuthenticationFailed("invalid or revoked token")
        ip = client_ip(request)
        now = timezone.now()
        if token.is_expired(now):
            personal_token_refused_record(token=token, reason="expired", ip=ip)
            raise exceptions.AuthenticationFailed(
                _("Dit token is verlopen op %(date)s. Maak een nieuw token aan.")
                % {"date": date_format(timezone.localtime(token.expires_at), "j F Y H:i")}
            )
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        memberships = list(
            Membership.objects.filter(
                user=token.membership.user, organisation=token.membership.organisation, active=True
            ).select_related("user", "organisation")
        )
        request.actor = Actor.for_membership(memberships, ip=ip)
        return token.membership.user, token

    def authenticate_header(self, request):
        return self.keyword
