from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Nyhetsbrev")

    def ready(self):
        import pagecache

        from .models import Issue

        # Issues are public pages; subscribers, the outbox and deliveries are not, and a
        # signup must not make every stored page stale.
        pagecache.register_models(Issue)
