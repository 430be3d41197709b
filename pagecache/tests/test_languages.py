"""The language is part of a page's key: a page cached in English is never served on the
Swedish address or the other way round, and the language is decided before the cache is
asked (LocaleMiddleware sits above the page cache)."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from pagecache.keys import page_key

pytestmark = pytest.mark.django_db


def test_the_key_holds_the_active_language():
    request = RequestFactory().get("/plain/?a=1")
    with translation.override("sv"):
        swedish = page_key(request, ("a",))
    with translation.override("en"):
        english = page_key(request, ("a",))
    assert swedish != english


def test_the_language_is_decided_before_the_cache_is_asked():
    order = settings.MIDDLEWARE
    assert order.index("django.middleware.locale.LocaleMiddleware") < order.index(
        "pagecache.middleware.PageCacheMiddleware"
    )


def fetch_both(client):
    return client.get("/en/about/"), client.get("/om-nspm/")


def test_each_language_is_stored_and_served_apart(client, django_assert_num_queries):
    rendered = fetch_both(client)
    with django_assert_num_queries(0):  # a hit runs no SQL at all
        served = fetch_both(client)
    for english, swedish in (rendered, served):
        assert '<html lang="en">' in english.content.decode()
        assert "About NSPM" in english.content.decode()
        assert '<html lang="sv">' in swedish.content.decode()
        assert "Om NSPM" in swedish.content.decode()
        assert "Set-Cookie" not in english.headers and "Set-Cookie" not in swedish.headers
