from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorsConfig(AppConfig):
    """The editors' side: roles, two-factor login, login records, the admin start page."""

    name = "editors"
    verbose_name = _("Redaktion")
