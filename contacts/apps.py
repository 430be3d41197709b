from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Kontakter")

    def ready(self):
        import pagecache

        from .models import Contact, County, Municipality, Phone, PostalCode, Region

        # Every save of these also renews what contacts.memo keeps per content version.
        pagecache.register_models(Contact, Phone, Region, County, Municipality, PostalCode)
