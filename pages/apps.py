from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Sidor och dokument")

    def ready(self):
        # The public page cache is emptied on every content save, in every process.
        from nspm_portal.cache import connect_signals

        connect_signals()
