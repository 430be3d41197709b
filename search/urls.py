from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from pagecache import cache_public_page

from . import views
from .sitemaps import SITEMAPS

app_name = "search"
urlpatterns = [
    path(_("sok/"), views.results, name="results"),
    path(
        "sitemap.xml",
        cache_public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]
