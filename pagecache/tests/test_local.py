"""The page cache's per-process copies (Redis only): a hit without a round trip to Redis,
dropped at once when any process bumps the version, and rechecked against Redis every few
seconds so emptying Redis by hand is noticed."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from pagecache import local, version
from pagecache.store import RedisStore, get_store

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def subscribed(redis_cache, views, no_next_change):
    local.local_copies(get_store(), version.bump)  # subscribe (once per process and Redis)
    _wait_for(lambda: local.copies.version is not None)
    version.bump()  # a version of this test's own
    return redis_cache


def _wait_for(condition, seconds=5.0):
    # The subscription runs in its own thread: wait for it, briefly.
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the page cache's subscription did not answer"
        time.sleep(0.01)


def test_a_hit_is_served_from_the_process_copy_without_redis(subscribed, views):
    with time_machine.travel(NOW, tick=False):
        first = Client().get("/plain/")
        subscribed.flushdb()  # Redis no longer holds the page (nor the version)
        second = Client().get("/plain/")
    assert views["count"] == 1
    assert second.content == first.content


def test_a_bump_from_another_process_drops_the_copies_at_once(subscribed, views, settings):
    with time_machine.travel(NOW, tick=False):
        Client().get("/plain/")
        Client().get("/plain/")
        assert views["count"] == 1
        # What another server's save does: a new version and its message, together.
        other_server = RedisStore(settings.CACHES["default"]["LOCATION"], {})
        other_server.set_version("from-another-server")
        _wait_for(lambda: local.copies.version == "from-another-server")
        Client().get("/plain/")
        assert views["count"] == 2


def test_copies_are_rechecked_against_redis_every_few_seconds(subscribed, views):
    with time_machine.travel(NOW, tick=False) as traveller:
        Client().get("/plain/")
        subscribed.flushdb()  # emptied by hand: no message is sent
        traveller.shift(timedelta(seconds=local.LOCAL_SECONDS - 0.5))
        Client().get("/plain/")
        assert views["count"] == 1
        traveller.shift(timedelta(seconds=0.5))
        Client().get("/plain/")
        assert views["count"] == 2


def test_a_bump_in_this_process_drops_the_copies(subscribed, views):
    with time_machine.travel(NOW, tick=False):
        Client().get("/plain/")
        version.bump()
        Client().get("/plain/")
        assert views["count"] == 2


def test_unknown_parameters_add_no_entries(subscribed, views):
    # The attack of the issue: 300 requests with made-up parameters made 300 keys.
    with time_machine.travel(NOW, tick=False):
        for number in range(300):
            Client().get(f"/lookup/?utm_source={number}&x{number}=1")
    pages = subscribed.keys("*pagecache:page:*")
    assert len(pages) == 1
    assert views["count"] == 1
