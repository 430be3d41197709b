"""The client address behind trusted proxies, and the network lockout and rate limits count."""

import logging

import pytest

from common.checks import trusted_proxies_are_addresses
from common.clientip import client_ip, client_network

PROXY = "10.0.0.1"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_IPS = ["10.0.0.0/8"]
    return settings


def test_client_ip_uses_the_trusted_proxy_count(rf, settings):
    settings.TRUSTED_PROXY_IPS = ["10.0.0.0/8"]  # 10.0.0.1 is our proxy
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    # The client can write anything to the left; only the proxy's own entry counts.
    assert client_ip(request) == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"


def test_a_client_reaching_the_app_server_past_the_proxy_cannot_choose_its_address(
    rf, behind_one_proxy, caplog
):
    # Straight to gunicorn from the internet, with a header naming someone else.
    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "198.51.100.7"
    assert [r.getMessage() for r in caplog.records] == [
        "X-Forwarded-For from a peer outside TRUSTED_PROXY_IPS ignored"
    ]


def test_a_star_trusts_every_peer(rf, behind_one_proxy):
    behind_one_proxy.TRUSTED_PROXY_IPS = ["*"]
    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_a_unix_socket_peer_is_the_proxy(rf, behind_one_proxy):
    # gunicorn on a Unix socket has no peer address; the proxy on the socket is trusted.
    request = rf.get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_no_header_from_the_proxy_means_the_proxy_itself(rf, behind_one_proxy):
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY


BAD_HOPS = [
    "192.000.002.077",
    "unknown",
    "1.2.3.4:80",
    "[::1]",
    "fe80::1%eth0",
    "::1%25lo",
    "<script>alert(1)</script>",
    "1.2.3.4\x00",
    "١٩٢.٠.٢.١",
    "１.２.３.４",
    "2001:db8::1::1",
    "9" * 5000,
    "garbage-7f3a",
]


@pytest.mark.parametrize("hop", BAD_HOPS)
def test_a_hop_that_is_not_an_address_falls_back_to_the_peer_and_is_logged_once(
    rf, behind_one_proxy, caplog, hop
):
    caplog.set_level(logging.DEBUG)
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=hop)
    assert client_ip(request) == PROXY
    # Lockout, rate limit and login view all ask within one request: one line.
    assert client_network(request) == PROXY
    assert client_ip(request) == PROXY
    lines = [r.getMessage() for r in caplog.records if r.name == "common.clientip"]
    assert lines == ["X-Forwarded-For hop is not an IP address; next hop used"]
    assert hop not in "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)


@pytest.mark.parametrize("hop", BAD_HOPS[:4])
def test_a_bad_hop_falls_back_to_the_next_trusted_hop_not_to_the_client_side(
    rf, behind_one_proxy, hop
):
    behind_one_proxy.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {hop}, 198.51.100.20")
    # 6.6.6.6 is further left than the two trusted hops: never used.
    assert client_ip(request) == "198.51.100.20"


def test_addresses_are_normalised(rf, behind_one_proxy):
    def ip(hop):
        return client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=hop))

    assert ip("2001:DB8:0:0::1") == "2001:db8::1"
    assert ip("::ffff:192.0.2.1") == "192.0.2.1"  # IPv4 written as IPv6 is the IPv4 client
    assert ip(" 192.0.2.1 ") == "192.0.2.1"


def test_ipv6_clients_are_counted_by_their_64_and_ipv4_by_address(rf):
    def network(address):
        return client_network(rf.get("/", REMOTE_ADDR=address))

    same = {network(f"2001:db8:1:2::{n:x}") for n in range(1, 40)}
    same.add(network("2001:db8:1:2:ffff:ffff:ffff:ffff"))
    assert same == {"2001:db8:1:2::"}
    assert network("2001:db8:1:3::1") == "2001:db8:1:3::"
    assert network("192.0.2.1") != network("192.0.2.2")
    assert network("192.0.2.1") == "192.0.2.1"


def test_a_missing_peer_address_gives_the_shared_placeholder(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR="")) == "0.0.0.0"  # noqa: S104


def test_the_trusted_proxies_setting_is_checked(settings):
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1", "10.0.0.0/8", "*"]
    assert trusted_proxies_are_addresses(None) == []
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1", "proxy.internal"]
    (error,) = trusted_proxies_are_addresses(None)
    assert error.id == "common.E001"
    assert "proxy.internal" in error.msg
