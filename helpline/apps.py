from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplineConfig(AppConfig):
    name = "helpline"
    verbose_name = _("Stödtelefon")

    def ready(self):
        from . import signals

        signals.connect()
