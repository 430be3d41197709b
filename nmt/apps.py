from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NmtConfig(AppConfig):
    name = "nmt"
    verbose_name = _("Nationellt metodstödsteam")

    def ready(self):
        import pagecache

        from .models import Member, NmtContact

        pagecache.register_models(Member, NmtContact)
