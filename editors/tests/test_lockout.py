"""Lockout by network: IPv6 clients by their /64, and a limit per network across usernames."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from editors.lockout import display_network, failed_login_activity
from editors.testing import PASSWORD, current_code, make_staff, post_login

pytestmark = pytest.mark.django_db

START = timezone.make_aware(timezone.datetime(2026, 3, 10, 9, 0))
SPRAYER = "198.51.100.9"
OFFICE = "192.0.2.10"


def wrong(client, username, ip):
    return post_login(client, username, "fel-lösenord", "123456", ip=ip)


# IPv6 ------------------------------------------------------------------------------------


@time_machine.travel(START, tick=False)
def test_ipv6_rotation_inside_one_64_is_locked(client):
    """Thirty tries at one user from thirty addresses in one /64: locked after five."""
    user, enrolment = make_staff()
    statuses = [
        wrong(client, user.username, f"2001:db8:1:2::{n:x}").status_code for n in range(1, 31)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses == [200] * (limit - 1) + [429] * (30 - limit + 1)
    # The right password and code from yet another address in the /64: still locked.
    inside = post_login(
        client, user.username, PASSWORD, current_code(enrolment.device), ip="2001:db8:1:2:aa::1"
    )
    assert inside.status_code == 429
    # A colleague's network (another /64) is not affected.
    outside = post_login(
        client, user.username, PASSWORD, current_code(enrolment.device), ip="2001:db8:1:3::1"
    )
    assert outside.status_code == 302


# One network, many usernames -------------------------------------------------------------


def spray(client, ip, count, start=START, step=timedelta(minutes=1), prefix="gissning"):
    statuses = []
    for n in range(count):
        with time_machine.travel(start + n * step, tick=False):
            statuses.append(wrong(client, f"{prefix}{n}", ip).status_code)
    return statuses


def test_one_network_spraying_usernames_gets_429_for_every_username(client):
    with time_machine.travel(START, tick=False):
        user, enrolment = make_staff()
    limit = settings.LOGIN_NETWORK_FAILURE_LIMIT
    # One failure per username, so the per-username lock never applies: 40 names.
    statuses = spray(client, SPRAYER, 40)
    assert statuses == [200] * (limit - 1) + [429] * (40 - limit + 1)
    # Only the failures up to the limit were recorded: refused tries are not checked.
    assert AccessFailureLog.objects.filter(ip_address=SPRAYER).count() == limit

    # The editor herself, from the sprayer's network, with the right password and code.
    with time_machine.travel(START + timedelta(minutes=45), tick=False):
        locked = post_login(
            client, user.username, PASSWORD, current_code(enrolment.device), ip=SPRAYER
        )
    body = locked.content.decode()
    assert locked.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in body
    assert "för alla användarnamn" in body
    # The first failure was at 09.00 and the window is an hour.
    assert "Du kan försöka igen kl. 10.00." in body
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_network_limit_lifts_when_the_oldest_failure_leaves_the_window(client):
    with time_machine.travel(START, tick=False):
        user, enrolment = make_staff()
    limit = settings.LOGIN_NETWORK_FAILURE_LIMIT
    spray(client, SPRAYER, limit)  # 09.00, 09.01, … 09.19
    with time_machine.travel(START + timedelta(minutes=59, seconds=59), tick=False):
        still = post_login(
            client, user.username, PASSWORD, current_code(enrolment.device), ip=SPRAYER
        )
        assert still.status_code == 429
    with time_machine.travel(START + timedelta(hours=1, seconds=1), tick=False):
        lifted = post_login(
            client, user.username, PASSWORD, current_code(enrolment.device), ip=SPRAYER
        )
    assert lifted.status_code == 302


def test_a_colleague_from_another_network_is_not_affected(client):
    with time_machine.travel(START, tick=False):
        user, enrolment = make_staff()
    spray(client, SPRAYER, 40)
    with time_machine.travel(START + timedelta(minutes=40), tick=False):
        # The next IPv4 address over is another client.
        assert wrong(client, "gissning-granne", "198.51.100.10").status_code == 200
        office = post_login(
            client, user.username, PASSWORD, current_code(enrolment.device), ip=OFFICE
        )
    assert office.status_code == 302


def test_an_ipv6_network_rotating_addresses_and_usernames_is_limited_too(client):
    limit = settings.LOGIN_NETWORK_FAILURE_LIMIT
    statuses = []
    for n in range(limit + 5):
        with time_machine.travel(START + timedelta(seconds=30 * n), tick=False):
            statuses.append(wrong(client, f"namn{n}", f"2001:db8:77:1::{n + 1:x}").status_code)
    assert statuses == [200] * (limit - 1) + [429] * 6


def test_failures_of_one_username_count_towards_the_network_limit(client, settings):
    settings.LOGIN_NETWORK_FAILURE_LIMIT = 8
    statuses = []
    for n, username in enumerate(["anna"] * 4 + ["bertil"] * 4):  # under the lock per name
        with time_machine.travel(START + timedelta(minutes=n), tick=False):
            statuses.append(wrong(client, username, SPRAYER).status_code)
    assert statuses == [200] * 7 + [429]


def test_the_network_limit_comes_from_the_settings(client, settings):
    settings.LOGIN_NETWORK_FAILURE_LIMIT = 3
    settings.LOGIN_NETWORK_WINDOW = timedelta(minutes=10)
    with time_machine.travel(START, tick=False):
        user, enrolment = make_staff()
    assert spray(client, SPRAYER, 4) == [200, 200, 429, 429]
    # 09.00, 09.01 and 09.02 were recorded (09.03 was refused unchecked): free at 09.10.
    assert AccessFailureLog.objects.filter(ip_address=SPRAYER).count() == 3
    with time_machine.travel(START + timedelta(minutes=9, seconds=59), tick=False):
        assert wrong(client, "x", SPRAYER).status_code == 429
    with time_machine.travel(START + timedelta(minutes=10, seconds=1), tick=False):
        right = post_login(
            client, user.username, PASSWORD, current_code(enrolment.device), ip=SPRAYER
        )
    assert right.status_code == 302


def test_a_network_limit_of_zero_turns_it_off(client, settings):
    settings.LOGIN_NETWORK_FAILURE_LIMIT = 0
    assert set(spray(client, SPRAYER, 25)) == {200}


def test_a_get_of_the_login_page_is_not_refused(client):
    spray(client, SPRAYER, settings.LOGIN_NETWORK_FAILURE_LIMIT)
    with time_machine.travel(START + timedelta(minutes=30), tick=False):
        page = client.get(reverse("admin:login"), REMOTE_ADDR=SPRAYER)
    assert page.status_code == 200
    assert "oavsett användarnamn" in page.content.decode()


def test_when_both_locks_hold_the_page_names_the_later_end(client, settings):
    """The 5th failure for one username is also the network's 20th: the network lock
    (an hour from the first failure) outlasts the username's 15 minutes."""
    settings.LOGIN_NETWORK_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT
    statuses = []
    for n in range(settings.AXES_FAILURE_LIMIT):
        with time_machine.travel(START + timedelta(minutes=n), tick=False):
            statuses.append(wrong(client, "samma", SPRAYER))
    last = statuses[-1]
    assert last.status_code == 429
    body = last.content.decode()
    assert "för alla användarnamn" in body
    assert "Du kan försöka igen kl. 10.00." in body


# What superusers see ---------------------------------------------------------------------


def test_networks_are_shown_as_24_and_48_never_as_addresses():
    assert display_network("192.0.2.77") == "192.0.2.0/24"
    assert display_network("2001:db8:1:2::") == "2001:db8:1::/48"
    assert display_network(None) == "–"


def test_activity_counts_by_username_and_by_network_for_the_period(client):
    spray(client, SPRAYER, 3, prefix="gissning")  # 09.00–09.02, three names
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        wrong(client, "redaktor", "198.51.100.200")  # same /24 as the sprayer
        wrong(client, "redaktor", "2001:db8:5:6::1")
        wrong(client, "redaktor", "2001:db8:5:7::1")  # same /48
    with time_machine.travel(START - timedelta(hours=2), tick=False):
        wrong(client, "gammal", "203.0.113.1")  # before the period
    activity = failed_login_activity(since=START - timedelta(hours=1))
    assert activity["total"] == 6
    assert activity["by_username"][0] == {"username": "redaktor", "failures": 3}
    assert {row["username"] for row in activity["by_username"]} == {
        "redaktor",
        "gissning0",
        "gissning1",
        "gissning2",
    }
    assert activity["by_network"] == [
        {"network": "198.51.100.0/24", "failures": 4, "usernames": 4},
        {"network": "2001:db8:5::/48", "failures": 2, "usernames": 1},
    ]
