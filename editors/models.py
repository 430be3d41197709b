"""Swedish names for django-otp's and django-axes' models, which speak English only.

django-otp names its models in plain English ("TOTP device"), and django-axes' records call
themselves "Access Log for … @ …"; no translation catalogue can reach either. These proxies
are the same tables under Swedish names; the admin registers them instead of the originals
(editors/admin.py), so superusers read "Appar för engångskoder".
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


class AuthenticatorApp(TOTPDevice):
    class Meta:
        proxy = True
        verbose_name = _("app för engångskoder")
        verbose_name_plural = _("appar för engångskoder")


class BackupCodes(StaticDevice):
    class Meta:
        proxy = True
        verbose_name = _("uppsättning reservkoder")
        verbose_name_plural = _("uppsättningar reservkoder")


class BackupCode(StaticToken):
    class Meta:
        proxy = True
        verbose_name = _("reservkod")
        verbose_name_plural = _("reservkoder")


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


class LoginAttempt(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = _("räknare för misslyckade inloggningar")
        verbose_name_plural = _("räknare för misslyckade inloggningar")

    def __str__(self) -> str:
        return _("Försök %(when)s") % {"when": _moment(self.attempt_time)}


class LoginRecord(AccessLog):
    class Meta:
        proxy = True
        verbose_name = _("inloggning")
        verbose_name_plural = _("inloggningar")

    def __str__(self) -> str:
        return _("Inloggning %(when)s") % {"when": _moment(self.attempt_time)}


class LoginFailure(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = _("misslyckad inloggning")
        verbose_name_plural = _("misslyckade inloggningar")

    def __str__(self) -> str:
        return _("Misslyckad inloggning %(when)s") % {"when": _moment(self.attempt_time)}


#: The Swedish stand-in for each English-only model, wherever a model is named by its
#: class (permission lists, "Senaste händelser").
SWEDISH_PROXIES = {
    TOTPDevice: AuthenticatorApp,
    StaticDevice: BackupCodes,
    StaticToken: BackupCode,
}
