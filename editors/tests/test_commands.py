"""The commands an administrator runs: enrol a device, reset one, purge login records."""

import io
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from editors.testing import (
    PASSWORD,
    current_code,
    login_verified,
    login_with_device,
    make_staff,
    post_login,
)

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 5, 4, 13, 0))


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_otp_enrol_prints_address_qr_and_backup_codes_that_log_in(client):
    user, _ = make_staff("lisa", enrol=False)
    output = run("otp_enrol", "lisa")

    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    uri = next(line for line in output.splitlines() if line.startswith("otpauth://"))
    parsed = urlparse(uri)
    assert parsed.netloc == "totp"
    assert parse_qs(parsed.query)["issuer"] == ["NSPM redaktion"]
    assert "lisa" in parsed.path
    assert "█" in output or "▀" in output  # the QR code, drawn with block characters

    codes = [line.strip() for line in output.splitlines() if line.startswith("  ")]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(codes)

    # The printed code logs in through the real form.
    assert post_login(client, "lisa", PASSWORD, codes[3]).status_code == 302


def test_otp_enrol_refuses_to_replace_silently(db):
    make_staff("lisa")
    with pytest.raises(CommandError, match="--replace"):
        run("otp_enrol", "lisa")


def test_otp_enrol_replace_makes_the_old_app_stop_working(client, db):
    with time_machine.travel(NOW, tick=False):
        user, old = make_staff("lisa")
        old_code = current_code(old.device)
        run("otp_enrol", "lisa", "--replace", "--no-qr")
        assert TOTPDevice.objects.filter(user=user).count() == 1
        assert post_login(client, "lisa", PASSWORD, old_code).status_code == 200
        assert post_login(client, "lisa", PASSWORD, old.backup_codes[0]).status_code == 200


def test_otp_enrol_unknown_user(db):
    with pytest.raises(CommandError, match="ingen användare"):
        run("otp_enrol", "finns-inte")


def test_otp_reset_removes_devices_and_logs_the_user_out(client, db):
    with time_machine.travel(NOW, tick=False):
        user, enrolment = make_staff("lisa")
        login_with_device(client, user, enrolment)
        assert client.get(reverse("admin:index")).status_code == 200
        output = run("otp_reset", "lisa")
    assert "otp_enrol lisa" in output
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert client.get(reverse("admin:index")).status_code == 302


def test_purge_login_records_deletes_only_those_older_than_30_days(db):
    def record(days_ago: float):
        when = timezone.now() - timedelta(days=days_ago)
        common = {"username": f"user{days_ago}", "ip_address": "192.0.2.1", "user_agent": "ua"}
        # attempt_time is auto_now_add, so it is set after creation.
        attempt = AccessAttempt.objects.create(
            **common, get_data="", post_data="", failures_since_start=1
        )
        failure = AccessFailureLog.objects.create(**common)
        login = AccessLog.objects.create(**common)
        for obj in (attempt, failure, login):
            type(obj).objects.filter(pk=obj.pk).update(attempt_time=when)

    for days_ago in (45, 31, 29, 1):
        record(days_ago)
    output = run("purge_login_records")
    assert "2 inloggningsförsök, 2 misslyckade inloggningar, 2 inloggningar" in output
    assert (
        AccessAttempt.objects.count()
        == AccessFailureLog.objects.count()
        == AccessLog.objects.count()
        == 2
    )
    assert "0 inloggningsförsök" in run("purge_login_records")


def test_purge_login_records_rejects_nonsense_days(db):
    with pytest.raises(CommandError):
        run("purge_login_records", "--days", "0")


# The superuser's way in the admin ------------------------------------------------------


def test_superuser_gives_a_colleague_a_new_device_in_admin(client, db):
    with time_machine.travel(NOW, tick=False):
        admin_user, admin_enrolment = make_staff("chef", superuser=True)
        colleague, old = make_staff("lisa")
        login_with_device(client, admin_user, admin_enrolment)
        changelist = reverse("admin:auth_user_changelist")
        data = {"action": "otp_new_device", "_selected_action": [colleague.pk]}

        confirm = client.post(changelist, data)
        assert confirm.status_code == 200
        assert "Ja, ge ny tvåstegsinloggning" in confirm.content.decode()
        assert TOTPDevice.objects.get(user=colleague).pk == old.device.pk  # nothing yet

        done = client.post(changelist, {**data, "post": "yes"})
        body = done.content.decode()
        assert done.status_code == 200
        assert "no-store" in done["Cache-Control"]
        assert "<svg" in body
        new_device = TOTPDevice.objects.get(user=colleague)
        assert new_device.pk != old.device.pk
        codes = list(
            StaticToken.objects.filter(device__user=colleague).values_list("token", flat=True)
        )
        assert len(codes) == 10 and all(code in body for code in codes)
        assert 'style="' not in body

    other = get_user_model().objects.get(pk=colleague.pk)
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        client.logout()
        assert (
            post_login(client, other.username, PASSWORD, current_code(new_device)).status_code
            == 302
        )


def test_new_device_action_is_for_superusers_only(client, db):
    from django.contrib.auth.models import Permission

    with time_machine.travel(NOW, tick=False):
        staff, enrolment = make_staff("personal")
        staff.user_permissions.set(
            Permission.objects.filter(codename__in=["view_user", "change_user"])
        )
        colleague, old = make_staff("lisa")
        login_with_device(client, staff, enrolment)
        changelist = reverse("admin:auth_user_changelist")
        page = client.get(changelist)
        assert page.status_code == 200
        assert "otp_new_device" not in page.content.decode()
        client.post(
            changelist,
            {"action": "otp_new_device", "_selected_action": [colleague.pk], "post": "yes"},
        )
    assert TOTPDevice.objects.get(user=colleague).pk == old.device.pk


def test_the_warning_about_a_lost_app_is_only_for_someone_who_had_one(client, db):
    admin_user, _ = make_staff("chef", superuser=True)
    login_verified(client, admin_user)
    changelist = reverse("admin:auth_user_changelist")
    veteran, _ = make_staff("lisa")
    newcomer, _ = make_staff("nyanstalld", enrol=False)

    def confirm(user) -> str:
        data = {"action": "otp_new_device", "_selected_action": [user.pk]}
        return client.post(changelist, data).content.decode()

    assert "slutar fungera" in confirm(veteran)
    page = confirm(newcomer)
    assert "slutar fungera" not in page
    assert "nyanstalld har ingen tvåstegsinloggning ännu." in page
    assert "Ja, ge tvåstegsinloggning" in page
