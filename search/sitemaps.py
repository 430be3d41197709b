"""/sitemap.xml: each app says which of its pages are public (its own ``sitemaps.py``)."""

from contacts.sitemaps import ContactPagesSitemap
from newsletter.sitemaps import ArchiveSitemap, IssueSitemap
from pages.sitemaps import PageSitemap

SITEMAPS = {
    "pages": PageSitemap,
    "contacts": ContactPagesSitemap,
    "newsletter-archive": ArchiveSitemap,
    "newsletter-issues": IssueSitemap,
}
