"""The contact pages for /sitemap.xml: the directory and the coordinator lookup."""

from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Contact, County, Phone, Region


class ContactPagesSitemap(Sitemap):
    # Each page in Swedish and in English (/en/…), with hreflang alternates.
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["contacts:list", "contacts:coordinators"]

    def location(self, name: str) -> str:
        return reverse(name)

    @cached_property
    def _newest_change(self):
        """When a contact, a number, a region or a county last changed (from their history)."""
        dates = [
            model.history.aggregate(newest=Max("history_date"))["newest"]
            for model in (Contact, Phone, Region, County)
        ]
        return max((d for d in dates if d is not None), default=None)

    def lastmod(self, name: str):
        return self._newest_change
