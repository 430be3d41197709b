"""Rate limits whose counters cannot be read fail closed, with an exception the site turns
into the 503 page (never a 500)."""

import time

import pytest
from django.test import RequestFactory

from common.ratelimit import RateLimitUnavailable, is_ratelimited


def _limited(request):
    return is_ratelimited(request, group="t", key="ip", rate="5/h", method="POST", increment=True)


def test_counts_as_usual_when_the_cache_answers(settings):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    assert [_limited(request) for _ in range(6)] == [False] * 5 + [True]


@pytest.mark.parametrize("location", ["redis://127.0.0.1:9/0"])
def test_a_cache_that_is_down_is_reported_not_raised_as_a_500(settings, location):
    settings.CACHES = {
        "default": {"BACKEND": "pagecache.backends.ResilientRedisCache", "LOCATION": location}
    }
    from pagecache.breaker import reset_breakers

    reset_breakers()
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    started = time.monotonic()
    for _ in range(5):
        with pytest.raises(RateLimitUnavailable):
            _limited(request)
    assert time.monotonic() - started < 3
