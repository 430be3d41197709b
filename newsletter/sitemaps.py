"""The newsletter's public pages for /sitemap.xml: the archive and every issue in it."""

from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Issue


class ArchiveSitemap(Sitemap):
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
    def items(self):
        return Issue.objects.published().order_by("number").only("number", "updated_at")

    def lastmod(self, issue: Issue):
        return issue.updated_at
