from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Sidor och dokument")

    def ready(self):
        import pagecache

        from .models import Document, Page
        from .publication import next_publication

        pagecache.register_models(Page, Document)
        # A stored page must not outlive the moment a scheduled draft goes live.
        pagecache.register_next_change(next_publication)
