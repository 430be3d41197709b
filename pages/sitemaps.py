"""The content pages for /sitemap.xml, each with the date its text last changed."""

from django.contrib.sitemaps import Sitemap

from .models import URL_NAMES, Page


class PageSitemap(Sitemap):
    def items(self):
        # Only pages the site shows somewhere; a page without an address has no URL.
        return Page.objects.filter(slug__in=list(URL_NAMES)).order_by("pk")

    def lastmod(self, page: Page):
        return page.updated_on
