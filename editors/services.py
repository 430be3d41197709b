"""Writes for the editors' side: two-factor devices, the login records, restoring a row."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import qrcode
import qrcode.image.svg
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.history import history_record_note

BACKUP_CODE_COUNT = 10
LOGIN_RECORD_DAYS = 30
TOTP_DEVICE_NAME = "App för engångskoder"
BACKUP_DEVICE_NAME = "Reservkoder"


@dataclass(frozen=True)
class Enrolment:
    """What the person setting up the device needs to see once, and never again."""

    device: TOTPDevice
    config_url: str
    secret: str
    backup_codes: tuple[str, ...]

    def qr_text(self) -> str:
        """The otpauth:// address as a QR code drawn with characters, for a terminal."""
        qr = qrcode.QRCode(border=2)
        qr.add_data(self.config_url)
        out = io.StringIO()
        qr.print_ascii(out=out, invert=True)
        return out.getvalue()

    def qr_svg(self) -> str:
        """The same QR code as an inline <svg> element (no data: URL, so CSP-clean)."""
        image = qrcode.make(self.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        return image.to_string(encoding="unicode")


class EnrolmentError(Exception):
    pass


def otp_device_enrol(*, user: AbstractBaseUser, replace: bool = False) -> Enrolment:
    """Give ``user`` a confirmed TOTP device and fresh backup codes.

    Refuses when the user already has a confirmed device, unless ``replace`` is set:
    then every existing device is removed first (a lost phone).
    """
    with transaction.atomic():
        existing = TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
        if existing and not replace:
            raise EnrolmentError(
                f"{user.get_username()} har redan en app för engångskoder. "
                "Använd --replace för att ersätta den (den gamla slutar då fungera)."
            )
        otp_devices_reset(user=user)
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        codes = backup_codes_renew(user=user)
    return Enrolment(
        device=device,
        config_url=device.config_url,
        secret=_base32(device.bin_key),
        backup_codes=codes,
    )


def backup_codes_renew(*, user: AbstractBaseUser) -> tuple[str, ...]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new single-use codes."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = tuple(StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT))
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def otp_devices_reset(*, user: AbstractBaseUser) -> int:
    """Remove all of the user's two-factor devices; they cannot log in until enrolled again.

    Also ends the user's sessions verified with the old device.
    """
    with transaction.atomic():
        count = TOTPDevice.objects.filter(user=user).delete()[1].get(
            TOTPDevice._meta.label, 0
        ) + StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    sessions_end(user=user)
    return count


def sessions_end(*, user: AbstractBaseUser) -> int:
    """Delete the database sessions that belong to ``user``."""
    from django.contrib.sessions.models import Session

    ended = 0
    user_pk = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_pk:
            session.delete()
            ended += 1
    return ended


@dataclass(frozen=True)
class PurgeResult:
    attempts: int
    failures: int
    logins: int


def login_records_purge(*, days: int = LOGIN_RECORD_DAYS) -> PurgeResult:
    """Delete django-axes records (attempts, failure log, login log) older than ``days``."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        attempts = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
        failures = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
        logins = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return PurgeResult(attempts=attempts, failures=failures, logins=logins)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode("ascii")


def history_row_restore(*, record, user: AbstractBaseUser) -> Model:
    """Put a row back as it was in ``record`` (a historical version), recreating it if it
    has been deleted. Raises ValidationError, with the model's Swedish messages, when that
    version is no longer allowed (say, a weekday that now exists twice)."""
    model = record.instance_type
    instance = model._default_manager.filter(pk=record.instance.pk).first()
    if instance is None:
        instance = record.instance  # deleted since: saved again under its old id
    else:
        # The row as it is, with the version's values; fields history leaves out stay.
        for field in model._meta.concrete_fields:
            if not field.primary_key and hasattr(record, field.attname):
                setattr(instance, field.attname, getattr(record, field.attname))
    instance.full_clean()
    when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    with transaction.atomic():
        instance.save()
        history_record_note(
            instance,
            user=user,
            reason=_("Återställd till versionen från %(when)s") % {"when": when},
        )
    return instance
