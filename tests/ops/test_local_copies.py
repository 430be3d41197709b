"""The page cache's per-process copies (Redis backend only): a hit without a round trip to
Redis, dropped at once when any process bumps the version, and rechecked against Redis
every few seconds so emptying Redis by hand is noticed."""

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nspm_portal import cache as page_cache
from tests.ops.servers import redis_problem

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("OPS_PAGE_REDIS_URL", "redis://127.0.0.1:6379/5")
NOW = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def redis_cache(settings, monkeypatch):
    problem = redis_problem(REDIS_URL)
    if problem:
        (pytest.fail if os.environ.get("NSPM_REQUIRE_ALL") == "1" else pytest.skip)(problem)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    monkeypatch.setattr(page_cache, "next_status_change", lambda now: None)
    import redis

    raw = redis.Redis.from_url(REDIS_URL)
    raw.flushdb()
    page_cache._local_copies()  # subscribe (once per process)
    _wait_for(lambda: page_cache._local.version is not None)
    page_cache.bump_content_version()  # a version of this test's own
    yield raw
    raw.flushdb()
    page_cache.forget_local_copies()


def _wait_for(condition, seconds=5.0):
    # The subscription runs in its own thread: wait for it, briefly.
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the page cache's subscription did not answer"
        time.sleep(0.01)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_hit_is_served_from_the_process_copy_without_redis(client, redis_cache):
    url = reverse("pages:about")
    with time_machine.travel(NOW, tick=False):
        first = client.get(url)
        redis_cache.flushdb()  # Redis no longer holds the page (nor the version)
        with CaptureQueriesContext(connection) as ctx:
            second = client.get(url)
    assert len(ctx.captured_queries) == 0
    assert second.content == first.content


def test_a_bump_from_another_process_drops_the_copies_at_once(client, redis_cache):
    url = reverse("pages:about")
    with time_machine.travel(NOW, tick=False):
        client.get(url)
        assert _queries(client, url) == 0
        # What another server's save does: a new version and its message, together.
        backend = page_cache.caches["default"]
        new_version = "from-another-server"
        with redis_cache.pipeline(transaction=True) as pipe:
            pipe.set(
                backend.make_key(page_cache.VERSION_KEY),
                backend._cache._serializer.dumps(new_version),
            )
            pipe.publish(page_cache._channel(backend), new_version)
            pipe.execute()
        _wait_for(lambda: page_cache._local.version == new_version)
        assert _queries(client, url) > 0


def test_copies_are_rechecked_against_redis_every_few_seconds(client, redis_cache):
    url = reverse("pages:about")
    with time_machine.travel(NOW, tick=False) as traveller:
        client.get(url)
        redis_cache.flushdb()  # emptied by hand: no message is sent
        traveller.shift(timedelta(seconds=page_cache.LOCAL_SECONDS - 0.5))
        assert _queries(client, url) == 0
        traveller.shift(timedelta(seconds=0.5))
        assert _queries(client, url) > 0


def test_an_editors_save_in_this_process_drops_the_copies(client, redis_cache):
    from pages.models import Page

    url = reverse("pages:about")
    with time_machine.travel(NOW, tick=False):
        client.get(url)
        page = Page.objects.by_slug(Page.ABOUT)
        page.title = "Ny rubrik"
        page.save()
        assert "<h1>Ny rubrik</h1>" in client.get(url).content.decode()
