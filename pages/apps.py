from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Sidor och dokument")

    def ready(self):
        import pagecache

        from .models import Document, Page

        pagecache.register_models(Page, Document)
