"""The client's address, and the network the login lockout and rate limits count by.

Only the hops the operator trusts are read: the connecting peer (REMOTE_ADDR) must be one
of the proxies in TRUSTED_PROXY_IPS (the same FORWARDED_ALLOW_IPS gunicorn reads), and of
X-Forwarded-For only the last TRUSTED_PROXY_COUNT entries, the ones those proxies appended.
Everything further left was written by the client. A hop that is not a plain IP address
is skipped for the next more trustworthy one (ending with the peer itself); the skip is
logged without the value, because the value is whatever an attacker chose to send.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)

# When the peer address is missing or not an address at all (a Unix socket without a
# proxy header): one shared placeholder, never an address anything listens on.
UNKNOWN = "0.0.0.0"  # noqa: S104

# IPv6 clients are counted by their /64: one subscriber line or one LAN gets at least a
# /64, so rotating addresses inside it must not reset anybody's count.
IPV6_CLIENT_PREFIX = 64

# Set on the request once a bad or untrusted hop has been logged for it, so the several
# callers in one request (lockout, rate limits, the login view) log it once.
_WARNED = "nspm_client_ip_warned"


def client_ip(request) -> str:
    """The client's address as a normalised string ("192.0.2.1", "2001:db8::1")."""
    peer = parse_ip(request.META.get("REMOTE_ADDR", ""))
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return str(peer) if peer else UNKNOWN
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if peer is not None and not is_trusted_proxy(peer):
        # Reached without passing the proxy: the peer is the client, its headers are not.
        if header:
            _warn_once(request, "X-Forwarded-For from a peer outside TRUSTED_PROXY_IPS ignored")
        return str(peer)
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    # The leftmost trusted hop is the client; each hop to its right was written by a
    # proxy closer to us, and the peer is closest of all.
    for candidate in hops[-count:]:
        address = parse_ip(candidate)
        if address is not None:
            return str(address)
        _warn_once(request, "X-Forwarded-For hop is not an IP address; next hop used")
    return str(peer) if peer else UNKNOWN


def client_network(request) -> str:
    """What the login lockout and the rate limits count by: the IPv4 address itself, or
    the network address of the IPv6 /64 ("2001:db8:1:2::"). Still a valid IP address,
    so it fits django-axes' address column and django-ratelimit's own masking."""
    return network_key(client_ip(request))


def network_key(address: str) -> str:
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False).network_address)
    return str(ip)


def parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``value`` if it is exactly one plain IPv4 or IPv6 address, else None.

    Refused: ports ("1.2.3.4:80"), brackets ("[::1]"), zone ids ("fe80::1%eth0", which
    PostgreSQL's inet cannot store), leading zeros ("192.000.002.077"), words ("unknown").
    An IPv4-mapped IPv6 address is the IPv4 address it carries.
    """
    if not value or len(value) > 45:  # the longest textual IPv6 address
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6:
        if address.scope_id:
            return None
        if address.ipv4_mapped:
            return address.ipv4_mapped
    return address


def is_trusted_proxy(peer: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    entries = tuple(settings.TRUSTED_PROXY_IPS)
    if "*" in entries:
        return True
    return any(peer in network for network in trusted_networks(entries))


@lru_cache(maxsize=8)
def trusted_networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """The networks in TRUSTED_PROXY_IPS; `common.checks` refuses a value that is not one."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _warn_once(request, message: str) -> None:
    if getattr(request, _WARNED, False):
        return
    setattr(request, _WARNED, True)
    logger.warning(message)
