from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OtpStaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpAppConfig


class EditorsConfig(AppConfig):
    """The editors' side: roles, two-factor login, login records, the admin start page."""

    name = "editors"
    default = True
    verbose_name = _("Redaktion")


class NspmAdminConfig(admin_apps.AdminConfig):
    """The staff admin at /redaktion/, in Swedish, behind two-factor login."""

    # Listed by its dotted path in INSTALLED_APPS; "editors" alone means EditorsConfig.
    default = False
    default_site = "editors.sites.NspmAdminSite"


# Third-party apps under Swedish names, the way Django's documentation tells a project to
# rename an app it installs: a subclass of the app's config, named in INSTALLED_APPS.
class AxesConfig(AxesAppConfig):
    verbose_name = _("Inloggningsförsök")


class OtpTotpConfig(OtpTotpAppConfig):
    verbose_name = _("Tvåstegsinloggning: appar")


class OtpStaticConfig(OtpStaticAppConfig):
    verbose_name = _("Tvåstegsinloggning: reservkoder")
