"""The address a request comes from, for the audit trail (finding 12 of issue 9).

Behind a reverse proxy every request's ``REMOTE_ADDR`` is the proxy's. The proxy names the client
in ``X-Forwarded-For``, but that header is anyone's to write: it counts only when the request comes
from a proxy listed in ``INBEELD_TRUSTED_PROXIES`` (addresses or networks, empty by default). Then
the header is read from the right (each proxy appends the address it got the request from) and the
first address that is not a trusted proxy is the client. A client may put anything at the left;
it is never reached while a real client address stands right of it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def trusted_networks() -> tuple[Network, ...]:
    """The configured trusted proxies as networks (a single address is a /32 or /128)."""
    return _networks(tuple(getattr(settings, "INBEELD_TRUSTED_PROXIES", ())))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind trusted proxies the right-most
    ``X-Forwarded-For`` address that is not one of them (None: no address known)."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not entry.strip():
            continue
        address = _address(entry)
        if address is None:
            break  # garbage: what stands left of it cannot be trusted either
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
