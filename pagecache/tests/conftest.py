import os

import pytest

from pagecache import expiry, forget_local_copies, registry
from pagecache.tests.urls import RENDERS

# A Redis database of the page cache tests' own (flushed by them).
REDIS_URL = os.environ.get("OPS_PAGE_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def views(settings):
    """The test views of pagecache/tests/urls.py; ``views["count"]`` counts renders."""
    settings.ROOT_URLCONF = "pagecache.tests.urls"
    RENDERS["count"] = 0
    return RENDERS


@pytest.fixture
def no_next_change(monkeypatch):
    """Pages whose expiry does not depend on any app's schedule (for rules about storing)."""
    monkeypatch.setattr(expiry, "next_changes", lambda now: [])


@pytest.fixture
def group_is_content(monkeypatch):
    """``auth.Group`` registered as a content model (the page cache knows no app's models)."""
    monkeypatch.setattr(registry, "_models", set(registry.registered_models()) | {"auth.group"})


def redis_problem(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"needs Redis at {url} ({type(exc).__name__}): start redis-server"
    return None


@pytest.fixture
def redis_cache(settings):
    """The default cache on a Redis database of its own, emptied before and after."""
    import redis

    problem = redis_problem(REDIS_URL)
    if problem:
        (pytest.fail if os.environ.get("NSPM_REQUIRE_ALL") == "1" else pytest.skip)(problem)
    settings.CACHES = {
        "default": {"BACKEND": "pagecache.backends.ResilientRedisCache", "LOCATION": REDIS_URL}
    }
    raw = redis.Redis.from_url(REDIS_URL)
    raw.flushdb()
    yield raw
    raw.flushdb()
    forget_local_copies()
