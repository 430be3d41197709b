"""Logging in to /redaktion/: password plus a one-time code, lockout, and what is logged."""

import logging
import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editors.testing import PASSWORD, current_code, login_with_device, make_staff, post_login

pytestmark = pytest.mark.django_db

START = timezone.make_aware(timezone.datetime(2026, 3, 10, 9, 0))


def admin_urls():
    """The index and every registered model's changelist and add page."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
    return urls


def test_login_page_is_swedish_and_asks_for_three_things(client):
    response = client.get(reverse("admin:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Logga in på redaktionen" in body
    for name in ("username", "password", "otp_token"):
        assert f'name="{name}"' in body
    assert "Engångskod" in body
    assert 'autocomplete="one-time-code"' in body
    assert "otp_device" not in body


@time_machine.travel(START, tick=False)
def test_editor_logs_in_with_password_and_app_code(client):
    user, enrolment = make_staff()
    response = login_with_device(client, user, enrolment)
    assert response["Location"] == reverse("admin:index")
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "Startsida för redaktörer" in index.content.decode()


@time_machine.travel(START, tick=False)
def test_app_code_can_be_typed_with_a_space(client):
    user, enrolment = make_staff()
    code = current_code(enrolment.device)
    response = post_login(client, user.username, PASSWORD, f"{code[:3]} {code[3:]}")
    assert response.status_code == 302


@time_machine.travel(START, tick=False)
def test_the_same_app_code_cannot_be_used_twice(client):
    user, enrolment = make_staff()
    code = current_code(enrolment.device)
    assert post_login(client, user.username, PASSWORD, code).status_code == 302
    client.logout()
    again = post_login(client, user.username, PASSWORD, code)
    assert again.status_code == 200
    assert "Fel användarnamn, lösenord eller engångskod" in again.content.decode()


@time_machine.travel(START, tick=False)
def test_backup_code_works_once(client):
    user, enrolment = make_staff()
    code = enrolment.backup_codes[0]
    assert post_login(client, user.username, PASSWORD, code.upper()).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        reused = post_login(client, user.username, PASSWORD, code)
    assert reused.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    # The other nine still work.
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        other = post_login(client, user.username, PASSWORD, enrolment.backup_codes[1])
    assert other.status_code == 302


@pytest.mark.parametrize(
    "password,token",
    [
        ("fel-lösenord", None),  # right code, wrong password
        (PASSWORD, "000000"),  # right password, wrong code
        (PASSWORD, "abcdefgh"),  # right password, a backup code that does not exist
    ],
)
@time_machine.travel(START, tick=False)
def test_wrong_password_or_code_gives_the_same_message(client, password, token):
    user, enrolment = make_staff()
    if token == "000000" and current_code(enrolment.device) == "000000":
        token = "111111"
    response = post_login(client, user.username, password, token or current_code(enrolment.device))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fel:" in body
    assert "Fel användarnamn, lösenord eller engångskod" in body
    assert client.get(reverse("admin:index")).status_code == 302


@time_machine.travel(START, tick=False)
def test_password_is_not_sent_back_in_the_form(client):
    user, enrolment = make_staff()
    response = post_login(client, user.username, PASSWORD, "000001")
    assert PASSWORD not in response.content.decode()


def test_missing_code_is_a_field_error(client, db):
    user, _ = make_staff()
    response = post_login(client, user.username, PASSWORD, "")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skriv engångskoden." in body
    assert 'aria-invalid="true"' in body


@time_machine.travel(START, tick=False)
def test_staff_without_device_cannot_log_in(client):
    user, _ = make_staff(enrol=False)
    response = post_login(client, user.username, PASSWORD, "123456")
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_without_verified_device_reaches_no_admin_page(client, db):
    """Logged in by password alone (e.g. a session from elsewhere): every admin page says no."""
    user, _ = make_staff(superuser=True, enrol=False)
    client.force_login(user)
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_staff_with_a_device_but_no_code_this_session_reaches_no_admin_page(client, db):
    user, _ = make_staff(superuser=True)
    client.force_login(user)
    for url in admin_urls():
        assert client.get(url).status_code == 302, url


@time_machine.travel(START, tick=False)
def test_non_staff_cannot_log_in_even_with_device(client):
    user, enrolment = make_staff()
    user.is_staff = False
    user.save()
    response = post_login(client, user.username, PASSWORD, current_code(enrolment.device))
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


# Lockout ------------------------------------------------------------------------------


def fail(client, username, ip, times):
    responses = []
    for _ in range(times):
        responses.append(post_login(client, username, "fel-lösenord", "123456", ip=ip))
    return responses


@time_machine.travel(START, tick=False)
def test_lockout_after_the_configured_number_of_failures(client):
    user, enrolment = make_staff()
    limit = settings.AXES_FAILURE_LIMIT
    responses = fail(client, user.username, "192.0.2.10", limit)
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Inloggningen är tillfälligt spärrad" in body
    # 09.00 + 15 minutes, in Swedish time.
    assert "Du kan försöka igen kl. 09.15." in body
    assert "15 minuter" in body
    assert locked["Content-Security-Policy"]

    # Even the right password and code are refused while locked.
    right = post_login(client, user.username, PASSWORD, current_code(enrolment.device))
    assert right.status_code == 429


@time_machine.travel(START, tick=False)
def test_lockout_page_shows_the_time_it_ends(client):
    user, _ = make_staff()
    with time_machine.travel(START + timedelta(minutes=7, seconds=30), tick=False):
        locked = fail(client, user.username, "192.0.2.10", settings.AXES_FAILURE_LIMIT)[-1]
    # 09.07.30 + 15 min = 09.22.30: the page says 09.23, never a time before the lock ends.
    assert "Du kan försöka igen kl. 09.23." in locked.content.decode()


@time_machine.travel(START, tick=False)
def test_lockout_by_username_alone_is_not_possible(client):
    """Someone guessing from elsewhere cannot lock the editor out of her own office."""
    user, enrolment = make_staff()
    fail(client, user.username, "203.0.113.66", settings.AXES_FAILURE_LIMIT + 3)
    response = post_login(
        client, user.username, PASSWORD, current_code(enrolment.device), ip="192.0.2.10"
    )
    assert response.status_code == 302


@time_machine.travel(START, tick=False)
def test_lockout_from_one_ip_does_not_block_other_usernames(client):
    user, enrolment = make_staff()
    fail(client, "someone-else", "192.0.2.10", settings.AXES_FAILURE_LIMIT)
    response = post_login(client, user.username, PASSWORD, current_code(enrolment.device))
    assert response.status_code == 302


def test_lockout_ends_by_itself_after_the_cool_off(client, db):
    with time_machine.travel(START, tick=False):
        user, enrolment = make_staff()
        fail(client, user.username, "192.0.2.10", settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(START + timedelta(minutes=14, seconds=59), tick=False):
        still = post_login(client, user.username, PASSWORD, current_code(enrolment.device))
        assert still.status_code == 429
    # A failure during the lock starts the cool-off again, from 09.14.59.
    with time_machine.travel(START + timedelta(minutes=30), tick=False):
        response = post_login(client, user.username, PASSWORD, current_code(enrolment.device))
    assert response.status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, db):
    """With the password known, guessing the six digits is stopped by the same lockout."""
    with time_machine.travel(START, tick=False):
        user, enrolment = make_staff()
    codes = []
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Far enough apart that django-otp's own throttle is not what stops us.
        with time_machine.travel(START + timedelta(minutes=attempt), tick=False):
            wrong = f"{(int(current_code(enrolment.device)) + 500_000) % 1_000_000:06d}"
            codes.append(post_login(client, user.username, PASSWORD, wrong).status_code)
    assert codes[-1] == 429
    assert (
        AccessFailureLog.objects.filter(username=user.username).count()
        == settings.AXES_FAILURE_LIMIT
    )


@time_machine.travel(START, tick=False)
def test_failed_attempts_are_kept_in_the_database_without_the_code(client):
    user, _ = make_staff()
    post_login(client, user.username, "fel-lösenord", "kod12345")
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == "192.0.2.10"
    assert "kod12345" not in attempt.post_data
    assert "fel-lösenord" not in attempt.post_data
    assert AccessFailureLog.objects.filter(ip_address="192.0.2.10").count() == 1


@time_machine.travel(START, tick=False)
def test_login_failures_log_no_ip_user_agent_or_username(client, caplog):
    user, enrolment = make_staff("anna.svensson")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="axes")  # stricter than production (WARNING)
    fail(client, user.username, "198.51.100.77", settings.AXES_FAILURE_LIMIT + 1)
    post_login(client, user.username, PASSWORD, current_code(enrolment.device), ip="192.0.2.55")
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert caplog.records, "expected axes to log something at DEBUG"
    for secret in ("198.51.100.77", "192.0.2.55", "hemlig-agent", "anna.svensson"):
        assert secret not in text


def test_session_expires_after_a_working_day_of_inactivity(client, db):
    with time_machine.travel(START, tick=False):
        user, enrolment = make_staff()
        login_with_device(client, user, enrolment)
    with time_machine.travel(START + timedelta(hours=8, minutes=50), tick=False):
        assert client.get(reverse("admin:index")).status_code == 200  # activity renews it
    with time_machine.travel(START + timedelta(hours=17, minutes=40), tick=False):
        assert client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(START + timedelta(hours=26, minutes=41), tick=False):
        assert client.get(reverse("admin:index")).status_code == 302


HOSTILE = [
    "x" * 10_000,
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    "\x00\x01\x7f",
    "\u202eadmin\ufeff",
    "a" * 150,
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["username", "password", "otp_token"])
@time_machine.travel(START, tick=False)
def test_login_form_takes_hostile_input(client, field, value):
    user, enrolment = make_staff()
    data = {"username": user.username, "password": PASSWORD, "otp_token": "000000"}
    data[field] = value
    response = post_login(client, data["username"], data["password"], data["otp_token"])
    body = response.content.decode()
    assert response.status_code in (200, 429)
    assert "<script>alert(1)</script>" not in body
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_login_refuses_other_methods(client, db, method):
    response = getattr(client, method)(reverse("admin:login"))
    assert response.status_code == 405


def test_lockout_that_runs_past_midnight_names_the_day():
    from zoneinfo import ZoneInfo

    from editors.templatetags.editors_admin import try_again_at

    late = datetime(2026, 3, 10, 23, 50, tzinfo=ZoneInfo("Europe/Stockholm"))
    with time_machine.travel(late, tick=False):
        assert try_again_at(timedelta(minutes=15)) == "onsdag 11 mars kl. 00.05"
        assert try_again_at(timedelta(minutes=5)) == "kl. 23.55"


# A code that is empty or odd, and whole answers compared --------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def comparable(response) -> tuple:
    """Everything a guesser sees in an answer, less the per-answer CSRF token and Date."""
    body = CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())
    headers = {k: v for k, v in response.headers.items() if k.lower() != "date"}
    return response.status_code, headers, sorted(response.cookies), body


def fresh_post(username, password, token, ip="192.0.2.10"):
    """A POST from a new browser, so no cookie of an earlier answer changes this one."""
    return post_login(Client(), username, password, token, ip=ip)


EMPTY_CODES = ["-", "--", " - ", "- -", "", "   ", "\t-\n", "-\u00a0-"]


@pytest.mark.parametrize("code", EMPTY_CODES)
@time_machine.travel(START, tick=False)
def test_a_code_empty_after_normalising_with_the_right_password_is_a_wrong_password(code):
    user, _ = make_staff()
    right = fresh_post(user.username, PASSWORD, code)
    wrong = fresh_post(user.username, "fel-lösenord", code)
    assert right.status_code == 200
    assert comparable(right) == comparable(wrong)
    assert "Fel användarnamn, lösenord eller engångskod" in right.content.decode()
    assert settings.SESSION_COOKIE_NAME not in right.cookies
    # Both counted.
    assert AccessFailureLog.objects.filter(username=user.username).count() == 2


@pytest.mark.parametrize("code", ["-", "--", " - ", ""])
@time_machine.travel(START, tick=False)
def test_five_empty_codes_with_the_right_password_lock_the_username(client, code):
    user, enrolment = make_staff()
    statuses = [
        post_login(client, user.username, PASSWORD, code).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    right = post_login(client, user.username, PASSWORD, current_code(enrolment.device))
    assert right.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


def test_an_empty_code_never_resets_the_count(client, db):
    """The attack from the issue: four wrong passwords, then the right one with "-"."""
    with time_machine.travel(START, tick=False):
        user, _ = make_staff()
        statuses = []
        for _round in range(3):
            statuses += [s.status_code for s in fail(client, user.username, "192.0.2.10", 4)]
            statuses.append(post_login(client, user.username, PASSWORD, "-").status_code)
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}
    assert client.get(reverse("admin:index")).status_code == 302


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ODD_CODES = {
    "arabic-indic digits of the right code": lambda code: code.translate(ARABIC_INDIC),
    "fullwidth digits of the right code": lambda code: code.translate(FULLWIDTH),
    "arabic-indic 123456": lambda code: "١٢٣٤٥٦",
    "seven digits": lambda code: code + "0",
    "five digits": lambda code: code[:5],
    "right code with a NUL": lambda code: f"{code[:3]}\x00{code[3:]}",
    "only a NUL": lambda code: "\x00",
    "zero-width space inside": lambda code: f"{code[:3]}\u200b{code[3:]}",
    "very long": lambda code: "1" * 100_000,
    "33 characters": lambda code: "a" * 33,
    "sql": lambda code: "' OR 1=1 --",
    "right code twice": lambda code: code * 2,
}


@pytest.mark.parametrize("name", ODD_CODES)
@time_machine.travel(START, tick=False)
def test_an_odd_code_is_a_wrong_code_never_a_500_never_a_login(name):
    user, enrolment = make_staff()
    code = ODD_CODES[name](current_code(enrolment.device))
    browser = Client()
    right = post_login(browser, user.username, PASSWORD, code)
    wrong = fresh_post(user.username, "fel-lösenord", code)
    assert right.status_code == 200
    assert comparable(right) == comparable(wrong)
    assert browser.get(reverse("admin:index")).status_code == 302
    assert AccessFailureLog.objects.filter(username=user.username).count() == 2


@time_machine.travel(START, tick=False)
def test_right_password_and_wrong_code_is_indistinguishable_from_a_wrong_password():
    user, enrolment = make_staff()
    wrong_code = f"{(int(current_code(enrolment.device)) + 1) % 1_000_000:06d}"
    right_password = fresh_post(user.username, PASSWORD, wrong_code)
    wrong_password = fresh_post(user.username, "fel-lösenord", wrong_code)
    unknown_user = fresh_post("x" * len(user.username), "fel-lösenord", wrong_code)
    assert comparable(right_password) == comparable(wrong_password)
    # An unknown name of the same length: only the name echoed back in the form differs.
    status, headers, cookies, body = comparable(unknown_user)
    assert (status, headers, cookies, body.replace("x" * len(user.username), user.username)) == (
        comparable(wrong_password)
    )
    assert AccessFailureLog.objects.filter(username=user.username).count() == 2


@time_machine.travel(START, tick=False)
def test_the_right_password_of_a_non_staff_account_is_counted_like_a_wrong_one(client):
    user, enrolment = make_staff()
    user.is_staff = False
    user.save()
    right = fresh_post(user.username, PASSWORD, current_code(enrolment.device))
    wrong = fresh_post(user.username, "fel-lösenord", current_code(enrolment.device))
    assert comparable(right) == comparable(wrong)
    assert AccessFailureLog.objects.filter(username=user.username).count() == 2


# Where a login lands -------------------------------------------------------------------

UNSAFE_NEXT = [
    "//evil.example/",
    "https://evil.example/",
    "http://evil.example/redaktion/",
    "/\\evil.example/",
    "\\\\evil.example",
    "\\/evil.example/",
    "javascript:alert(1)",
    " //evil.example/",
    "https://testserver@evil.example/",
    "",
    "%2F%2Fevil.example",  # relative: would land on a page that does not exist
    "redaktion/",
    "/redaktion/\x00",
    "/redaktion/\r\nSet-Cookie: x=1",
]


def login_with_next(client, user, enrolment, next_value):
    data = {
        "username": user.username,
        "password": PASSWORD,
        "otp_token": current_code(enrolment.device),
    }
    if next_value is not None:
        data["next"] = next_value
    return client.post(reverse("admin:login"), data, REMOTE_ADDR="192.0.2.10")


@pytest.mark.parametrize("next_value", [*UNSAFE_NEXT, None])
@time_machine.travel(START, tick=False)
def test_an_unsafe_or_missing_next_lands_on_the_editors_start_page(client, next_value):
    user, enrolment = make_staff()
    response = login_with_next(client, user, enrolment, next_value)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index") == "/redaktion/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("next_value", ["//evil.example/", "https://evil.example/"])
@time_machine.travel(START, tick=False)
def test_an_unsafe_next_in_the_address_bar_is_ignored_too(client, next_value):
    user, enrolment = make_staff()
    url = f"{reverse('admin:login')}?{urlencode({'next': next_value})}"
    response = client.post(
        url,
        {
            "username": user.username,
            "password": PASSWORD,
            "otp_token": current_code(enrolment.device),
        },
        REMOTE_ADDR="192.0.2.10",
    )
    assert response["Location"] == "/redaktion/"


@time_machine.travel(START, tick=False)
def test_a_safe_next_is_followed(client):
    user, enrolment = make_staff()
    response = login_with_next(client, user, enrolment, reverse("admin:change_log"))
    assert response["Location"] == reverse("admin:change_log")


# The client address through the real login (django-axes stores it) ---------------------

BOGUS_FORWARDED_FOR = [
    "192.000.002.077",
    "unknown",
    "1.2.3.4:80",
    "[::1]",
    "fe80::1%eth0",
    "garbage, ,,",
    "x" * 20_000,
    "203.0.113.5\x00",
    "١٩٢.٠.٢.١",
]


@pytest.mark.parametrize("forwarded", BOGUS_FORWARDED_FOR)
@time_machine.travel(START, tick=False)
def test_a_bogus_forwarded_for_at_login_is_ignored_never_a_500(client, settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1  # behind one proxy at 127.0.0.1 (trusted by default)
    user, enrolment = make_staff()
    wrong = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": "fel-lösenord", "otp_token": "123456"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert wrong.status_code == 200
    assert "Fel användarnamn, lösenord eller engångskod" in wrong.content.decode()
    # Counted against the next trustworthy address: the proxy's.
    assert AccessFailureLog.objects.get().ip_address == "127.0.0.1"
    right = client.post(
        reverse("admin:login"),
        {
            "username": user.username,
            "password": PASSWORD,
            "otp_token": current_code(enrolment.device),
        },
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert right.status_code == 302


@time_machine.travel(START, tick=False)
def test_a_forwarded_for_from_outside_the_proxy_does_not_rotate_the_lockout(client, settings):
    """Reaching the app server directly, an attacker cannot pick a new address each try."""
    settings.TRUSTED_PROXY_COUNT = 1
    user, _ = make_staff()
    statuses = [
        client.post(
            reverse("admin:login"),
            {"username": user.username, "password": "fel-lösenord", "otp_token": "123456"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
