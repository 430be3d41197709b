"""The admin login form: username, password and a one-time code on one page."""

import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.forms import otp_verification_failed
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# A TOTP code is six digits; a backup code (otp_static) is eight letters and digits 2–7,
# so the shape of what was typed tells which kind of device to check. Checking only that
# kind keeps a mistyped app code from throttling the backup codes, and the other way round.
# ASCII digits only: `\d` would also take "١٢٣٤٥٦", which django-otp's int() accepts.
TOTP_CODE = re.compile(r"^[0-9]{6}$")

# One message for every failure, so the page never tells a guesser which of the
# three was right.
INVALID_LOGIN = _(
    "Fel användarnamn, lösenord eller engångskod. Kontrollera alla tre och försök igen. "
    "Tänk på att stora och små bokstäver räknas i användarnamn och lösenord."
)


class EditorLoginForm(AdminAuthenticationForm):
    """Password plus a code from the editor's authenticator app or one backup code.

    A failed code counts as a failed login for django-axes, so the same lockout that
    stops password guessing also stops guessing codes.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
    }

    otp_token = forms.CharField(
        label=_("Engångskod"),
        max_length=32,
        help_text=_(
            "Sex siffror från appen för engångskoder, eller en av dina reservkoder "
            "(åtta tecken, varje reservkod fungerar en gång)."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
        error_messages={"required": _("Skriv engångskoden.")},
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Användarnamn")
        # AuthenticationForm sets max_length after the field is built, so no validator
        # checks it: a 10 000-character name would reach django-axes and overflow its
        # 255-character column on PostgreSQL. Refuse it here, before any lookup.
        username.validators.append(
            MaxLengthValidator(
                username.max_length,
                message=_("Användarnamnet kan vara högst %(limit_value)d tecken."),
            )
        )
        self.fields["password"].label = _("Lösenord")
        self.fields["username"].error_messages["required"] = _("Skriv ditt användarnamn.")
        self.fields["password"].error_messages["required"] = _("Skriv ditt lösenord.")

    def clean(self):
        cleaned_data = super().clean()  # checks the password; raises on a wrong one
        user = self.get_user()
        if user is None:
            return cleaned_data  # no password was checked: a field is missing or refused
        # A code that is missing, refused by its field (too long, a NUL) or empty once
        # spaces and dashes are gone ("-", " - ") is a wrong code like any other: the
        # same answer as a wrong password, and counted, or the answer would tell a
        # guesser that the password was right.
        token = normalise_token(cleaned_data.get("otp_token") or "")
        device = verify_second_factor(user, token) if token else None
        if device is None:
            otp_verification_failed.send(sender=self.__class__, user=user)
            self.refuse_login(user)
        # django_otp stores this device in the session when Django logs the user in.
        user.otp_device = device
        return cleaned_data

    def confirm_login_allowed(self, user):
        # The right password of an account that may not use the admin (not staff) must
        # be counted too: otherwise a count that stops growing gives the password away.
        try:
            super().confirm_login_allowed(user)
        except forms.ValidationError:
            self.refuse_login(user)

    def refuse_login(self, user):
        """Count the attempt with the password failures (django-axes listens to this
        signal) and answer with the one message every failed login gets."""
        user_login_failed.send(
            sender=__name__,
            credentials={"username": user.get_username()},
            request=self.request,
        )
        self.user_cache = None
        raise forms.ValidationError(INVALID_LOGIN, code="invalid_login")


def normalise_token(value: str) -> str:
    """Codes are often copied with spaces ("123 456") or typed in capitals."""
    return re.sub(r"[\s-]", "", value).lower()


def verify_second_factor(user, token: str):
    """The user's confirmed device that accepts ``token``, or None."""
    model = TOTPDevice if TOTP_CODE.match(token) else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            allowed, _extra = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                return device
    return None
