from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Finding things across the site: /sok/ and /sitemap.xml. Reads every app; none reads it."""

    name = "search"
    verbose_name = _("Sök")
