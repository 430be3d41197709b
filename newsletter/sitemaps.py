"""The newsletter's public pages for /sitemap.xml: the archive and every issue in it."""

from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Issue


class ArchiveSitemap(Sitemap):
    # Each page in Swedish and in English (/en/…), with hreflang alternates.
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["newsletter:archive"]

    def location(self, name: str) -> str:
        return reverse(name)

    @cached_property
    def _newest(self):
        return Issue.objects.published().aggregate(newest=Max("updated_at"))["newest"]

    def lastmod(self, name: str):
        return self._newest


class IssueSitemap(Sitemap):
    # An issue is Swedish; its English address shows the same Swedish text.
    def items(self):
        return Issue.objects.published().order_by("number").only("number", "updated_at")

    def lastmod(self, issue: Issue):
        return issue.updated_at
