"""Login limits beyond django-axes' own, the one lockout page, and failed-login activity.

django-axes locks one username from one network after AXES_FAILURE_LIMIT failures. It has
a single failure limit, so the wider limit (LOGIN_NETWORK_FAILURE_LIMIT failures from one
network in LOGIN_NETWORK_WINDOW, whatever the usernames) is counted here, from the same
failure records axes keeps (AccessFailureLog, one row per failed login, its address the
network from `common.clientip.client_network`).
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from axes.models import AccessFailureLog
from django.conf import settings
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from common.clientip import client_network

# The start page shows networks no finer than this: an IPv4 /24 and an IPv6 /48 are
# each about one organisation's or household's block, never one person's address.
DISPLAY_PREFIX = {4: 24, 6: 48}
ACTIVITY_ROWS = 10


def network_lockout(request) -> timedelta | None:
    """How long until the client's network may try to log in again; None if it may now.

    A sliding window: the block lifts when the LOGIN_NETWORK_FAILURE_LIMIT-th newest
    failure leaves the window. Refused attempts are not recorded, so the block does not
    grow while someone keeps knocking; each new failure after it lifts blocks again.
    """
    limit = settings.LOGIN_NETWORK_FAILURE_LIMIT
    if limit <= 0:
        return None
    window = settings.LOGIN_NETWORK_WINDOW
    now = timezone.now()
    recent = (
        AccessFailureLog.objects.filter(
            ip_address=client_network(request), attempt_time__gt=now - window
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)[:limit]
    )
    recent = list(recent)
    if len(recent) < limit:
        return None
    return recent[limit - 1] + window - now


def lockout_response(request, original_response=None, credentials=None):
    """The 429 page for either lock (AXES_LOCKOUT_CALLABLE and the admin login view).

    When both the username lock and the network lock hold, the page names the one that
    lasts longer, so the time it gives is never too early.
    """
    username_wait = get_cool_off(request) if getattr(request, "axes_locked_out", False) else None
    network_wait = network_lockout(request)
    network = network_wait is not None and (username_wait is None or network_wait > username_wait)
    context = {
        "network": network,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "network_limit": settings.LOGIN_NETWORK_FAILURE_LIMIT,
        "network_window_minutes": int(settings.LOGIN_NETWORK_WINDOW.total_seconds() // 60),
        "cooloff_timedelta": network_wait if network else username_wait,
    }
    return render(request, "admin/lockout.html", context, status=429)


def display_network(address: str | None) -> str:
    """ "192.0.2.0/24" for 192.0.2.77; "2001:db8:1::/48" for any address in that /48."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "–"
    return str(ipaddress.ip_network(f"{ip}/{DISPLAY_PREFIX[ip.version]}", strict=False))


def failed_login_activity(*, since: datetime) -> dict:
    """Failed logins since ``since``: counts by username and by network, never an address."""
    pairs = (
        AccessFailureLog.objects.filter(attempt_time__gte=since)
        .values_list("ip_address", "username")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_username: dict[str, int] = defaultdict(int)
    by_network: dict[str, int] = defaultdict(int)
    usernames_by_network: dict[str, set] = defaultdict(set)
    total = 0
    for address, username, n in pairs:
        network = display_network(address)
        total += n
        by_username[username or ""] += n
        by_network[network] += n
        usernames_by_network[network].add(username or "")
    return {
        "total": total,
        "by_username": _top({"username": name, "failures": n} for name, n in by_username.items()),
        "by_network": _top(
            {"network": net, "failures": n, "usernames": len(usernames_by_network[net])}
            for net, n in by_network.items()
        ),
    }


def _top(rows) -> list[dict]:
    return sorted(rows, key=lambda row: (-row["failures"], str(row)))[:ACTIVITY_ROWS]
