"""Test builders shared by every app's admin tests: staff with a real TOTP device.

Not used by the running site. `login_verified` is the fast way in for tests about what a
role may do; the login form itself is tested through real POSTs in editors/tests.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import otp_device_enrol

PASSWORD = "ett-långt-lösenord-för-test"  # noqa: S105 - a test password


def make_staff(username: str = "redaktor", *, superuser: bool = False, groups=(), enrol=True):
    """A staff user (optionally superuser, in ``groups``) and her enrolment, or None."""
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=True, is_superuser=superuser
    )
    for group in groups:
        user.groups.add(group)
    enrolment = otp_device_enrol(user=user) if enrol else None
    return user, enrolment


def current_code(device: TOTPDevice) -> str:
    """The code the editor's phone shows right now."""
    device.refresh_from_db()
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{value:0{device.digits}d}"


def post_login(client, username: str, password: str, token: str, ip: str = "192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {
            "username": username,
            "password": password,
            "otp_token": token,
            "next": reverse("admin:index"),
        },
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Testläsare/1.0 (hemlig-agent)",
    )


def login_with_device(client, user, enrolment, ip: str = "192.0.2.10"):
    """Log in through the real form with the code the device shows now."""
    response = post_login(
        client, user.get_username(), PASSWORD, current_code(enrolment.device), ip=ip
    )
    assert response.status_code == 302, response.content.decode()[:2000]  # noqa: S101
    return response


def login_verified(client, user, device: TOTPDevice | None = None):
    """Log ``user`` in as if she had given a code (no form, no clock)."""
    client.force_login(user)
    device = device or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def browser_login(page, user, enrolment) -> None:
    """Log in through the real form in a Playwright ``page``, with the code the app shows."""
    page.goto(reverse("admin:login"))
    page.get_by_label("Användarnamn").fill(user.get_username())
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_label("Engångskod").fill(current_code(enrolment.device))
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**" + reverse("admin:index"))
