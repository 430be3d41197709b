"""The content pages for /sitemap.xml, each with the date its text last changed: the Swedish
page always, the English one (/en/…) when the page has an English text, with that text's
own date."""

from django.contrib.sitemaps import Sitemap
from django.utils import translation

from .models import Page


class PageSitemap(Sitemap):
    def items(self):
        # Only pages the site shows somewhere; a page without an address has no URL.
        pages = list(Page.objects.shown().order_by("pk"))
        return [(page, "sv") for page in pages] + [
            (page, "en") for page in pages if page.has_english_text
        ]

    def location(self, item) -> str:
        page, language = item
        with translation.override(language):
            return page.get_absolute_url()

    def lastmod(self, item):
        page, language = item
        return page.updated_on_en if language == "en" else page.updated_on
