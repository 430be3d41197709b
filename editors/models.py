"""Swedish names for django-otp's models, which name themselves in English only.

django-otp gives its models plain English names ("TOTP device") that no translation catalogue
can reach. These proxies are the same tables under Swedish names; the admin registers them
instead of the originals (editors/admin.py), so superusers read "Appar för engångskoder".
"""

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


#: The Swedish stand-in for each English-only model, wherever a model is named by its
#: class (permission lists, "Senaste händelser").
SWEDISH_PROXIES = {
    TOTPDevice: AuthenticatorApp,
    StaticDevice: BackupCodes,
    StaticToken: BackupCode,
}
