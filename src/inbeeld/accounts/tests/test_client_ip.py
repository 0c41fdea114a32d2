"""Finding 12: the audit IP is the client's, not the reverse proxy's. X-Forwarded-For counts only
when the request comes from a configured trusted proxy; otherwise it is anyone's to forge."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory

from inbeeld.accounts import services
from inbeeld.accounts.client_ip import client_ip
from inbeeld.accounts.middleware import actor_for
from inbeeld.accounts.models import Role
from inbeeld.accounts.tests.factories import PASSWORD, MembershipFactory
from inbeeld.audit.models import AuditEvent

PROXY = "10.0.0.2"
CLIENT = "203.0.113.9"


def request(remote_addr: str | None = PROXY, forwarded: str | None = None):
    meta = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    req = RequestFactory().get("/", **meta)
    if remote_addr is None:
        del req.META["REMOTE_ADDR"]
    else:
        req.META["REMOTE_ADDR"] = remote_addr
    return req


def test_without_trusted_proxies_the_peer_address_counts():
    assert client_ip(request(CLIENT)) == CLIENT


@override_settings(INBEELD_TRUSTED_PROXIES=[])
def test_a_spoofed_header_without_a_trusted_proxy_is_ignored():
    assert client_ip(request(CLIENT, forwarded="198.51.100.1")) == CLIENT


@override_settings(INBEELD_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_spoofed_header_from_an_untrusted_peer_is_ignored():
    assert client_ip(request(CLIENT, forwarded="198.51.100.1, 10.0.0.5")) == CLIENT


@override_settings(INBEELD_TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_the_forwarded_address_counts():
    assert client_ip(request(PROXY, forwarded=CLIENT)) == CLIENT


@override_settings(INBEELD_TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8::/32"])
def test_the_right_most_address_that_is_no_trusted_proxy_counts():
    # the client wrote a forged first entry; the proxies appended the real ones
    forwarded = "198.51.100.1, 203.0.113.9, 10.1.2.3"
    assert client_ip(request(PROXY, forwarded=forwarded)) == CLIENT
    assert client_ip(request("2001:db8::1", forwarded="2001:db8::2, 192.0.2.7")) == "192.0.2.7"


@override_settings(INBEELD_TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_without_a_usable_header_the_proxy_counts():
    assert client_ip(request(PROXY)) == PROXY
    assert client_ip(request(PROXY, forwarded="")) == PROXY
    assert client_ip(request(PROXY, forwarded="not-an-address, ")) == PROXY
    assert client_ip(request(PROXY, forwarded=PROXY)) == PROXY


@override_settings(INBEELD_TRUSTED_PROXIES=[PROXY])
def test_a_garbage_entry_stops_the_walk_instead_of_being_recorded():
    # right of the garbage stands a real client address: that one counts
    assert client_ip(request(PROXY, forwarded=f"evil<script>, {CLIENT}")) == CLIENT
    # the garbage is the first untrusted hop: the last trusted hop is recorded, never the garbage
    assert client_ip(request(PROXY, forwarded=f"{CLIENT}, evil")) == PROXY


def test_no_peer_address_gives_none():
    assert client_ip(request(None)) is None


@override_settings(INBEELD_TRUSTED_PROXIES=[PROXY])
@given(st.text(max_size=200))
def test_any_header_gives_a_valid_address(header):
    ipaddress.ip_address(client_ip(request(PROXY, forwarded=header)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded"),
    [([PROXY], PROXY, CLIENT), (None, CLIENT, "198.51.100.1")],
    ids=["the-client-behind-the-proxy", "a-forged-header-ignored"],
)
def test_the_login_audit_records_the_client(client, settings, trusted, remote, forwarded):
    """Behind a trusted proxy the forwarded address is the client's; sent by anyone else (no
    trusted proxy: the default) the header is forged and the client is the remote address."""
    if trusted is not None:
        settings.INBEELD_TRUSTED_PROXIES = trusted
    membership = MembershipFactory()
    client.post(
        reverse("accounts:login"),
        {"username": membership.user.username, "password": PASSWORD},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert AuditEvent.objects.get(action="login").ip == CLIENT
    client.post(reverse("accounts:logout"), REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert AuditEvent.objects.get(action="logout").ip == CLIENT


@pytest.mark.django_db
@override_settings(INBEELD_TRUSTED_PROXIES=[PROXY])
def test_the_actor_of_a_request_and_of_an_api_token_carries_the_client_address():
    membership = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)
    req = request(PROXY, forwarded=CLIENT)
    req.user = membership.user
    req.session = {}
    assert actor_for(req).ip == CLIENT

    _, key = services.personal_token_create(
        actor=actor_for(req), name="LAS", scopes={"students": "read"}
    )
    (authentication,) = [
        c()
        for c in api_settings.DEFAULT_AUTHENTICATION_CLASSES
        if c.__name__ == "PersonalTokenAuthentication"
    ]
    api_request = Request(
        APIRequestFactory().get(
            "/api/v1/",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=CLIENT,
        )
    )
    authentication.authenticate(api_request)
    assert api_request.actor.ip == CLIENT


def test_a_wrong_trusted_proxy_setting_stops_the_start_with_its_name(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from inbeeld.conf import env

    monkeypatch.setenv("INBEELD_TRUSTED_PROXIES", "10.0.0.0/8, proxy.example")
    with pytest.raises(ImproperlyConfigured, match=r"INBEELD_TRUSTED_PROXIES: 'proxy\.example'"):
        env.networks("INBEELD_TRUSTED_PROXIES")
    monkeypatch.setenv("INBEELD_TRUSTED_PROXIES", "10.0.0.0/8, ::1")
    assert env.networks("INBEELD_TRUSTED_PROXIES") == ["10.0.0.0/8", "::1"]
