from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


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
