"""Where pages, the content version and the staff-session marks are kept.

Two kinds of store, chosen from ``CACHES["default"]``:

- ``RedisStore`` when the default cache is Django's Redis backend (or ours, see
  ``backends.py``): the page cache's own redis-py client on the same server and database,
  behind the same circuit breaker. Its own client because Django's backend builds a new
  ``redis.Redis`` object for every call, which costs as much as the round trip itself on a
  cache hit. A bump sets the version and publishes it on a channel in one transaction, so
  every process can drop its local copies at once (``local.py``).
- ``DjangoCacheStore`` for any other backend (local memory in development and tests), through
  Django's public cache API.

Values are pickled, as Django's own Redis backend does: whoever can write to this Redis
database can already do anything the cache can.
"""

from __future__ import annotations

import os
import pickle
import threading

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from .backends import first_location, split_options
from .breaker import breaker_for

VERSION_KEY = "pagecache:version"

# Socket timeouts for the page cache's client when OPTIONS names none: a hit must never
# wait long on a Redis that hangs.
DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
# redis-py connection options that may be passed on from a cache's OPTIONS.
_CLIENT_OPTIONS = (
    "socket_connect_timeout",
    "socket_timeout",
    "socket_keepalive",
    "health_check_interval",
    "retry_on_timeout",
)


class DjangoCacheStore:
    """Any Django cache backend, through its public API."""

    subscribes = False

    @property
    def backend(self):
        return caches["default"]  # one per thread

    def read(self, keys: list[str]) -> dict:
        return self.backend.get_many(keys)

    def write(self, key: str, value, timeout: int) -> None:
        self.backend.set(key, value, timeout=timeout)

    def touch(self, key: str, timeout: int) -> None:
        self.backend.touch(key, timeout=timeout)

    def delete(self, key: str) -> None:
        self.backend.delete(key)

    def set_version(self, version: str) -> None:
        self.backend.set(VERSION_KEY, version, timeout=None)


class RedisStore:
    """The page cache's own client for the Redis of ``CACHES["default"]``."""

    subscribes = True

    def __init__(self, location: str, options: dict):
        self.url = location
        redis_options, breaker_options = split_options(options)
        client_options = {**DEFAULT_TIMEOUTS}
        client_options.update({k: v for k, v in redis_options.items() if k in _CLIENT_OPTIONS})
        self.client_options = client_options
        self.client = redis.Redis(
            connection_pool=redis.ConnectionPool.from_url(location, **client_options)
        )
        self.breaker = breaker_for(location, **breaker_options)
        # make_key is pure (prefix, version, key function): safe to share between threads.
        self.make_key = caches["default"].make_key
        # Pub/sub channels are shared by every database of a server: name it per database.
        self.channel = self.make_key(f"pagecache:bumps:{location}")

    def read(self, keys: list[str]) -> dict:
        values = self.breaker.call(self.client.mget, [self.make_key(k) for k in keys])
        return {k: pickle.loads(v) for k, v in zip(keys, values, strict=True) if v is not None}  # noqa: S301

    def write(self, key: str, value, timeout: int) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self.breaker.call(self.client.set, self.make_key(key), data, ex=max(1, int(timeout)))

    def touch(self, key: str, timeout: int) -> None:
        self.breaker.call(self.client.expire, self.make_key(key), max(1, int(timeout)))

    def delete(self, key: str) -> None:
        self.breaker.call(self.client.delete, self.make_key(key))

    def set_version(self, version: str) -> None:
        # One transaction: no process can see the new version without the message that
        # drops its local copies, or the other way round.
        def run():
            with self.client.pipeline(transaction=True) as pipe:
                pipe.set(self.make_key(VERSION_KEY), pickle.dumps(version))
                pipe.publish(self.channel, version)
                pipe.execute()

        self.breaker.call(run)

    def subscriber(self) -> redis.Redis:
        """A client for the bump channel: blocking reads, pinged every 30 s when idle."""
        return redis.Redis.from_url(
            self.url,
            socket_connect_timeout=self.client_options["socket_connect_timeout"],
            socket_keepalive=True,
            health_check_interval=30,
        )


_current: tuple | None = None  # (pid, the CACHES["default"] dict it was made for, store)
_lock = threading.Lock()


def get_store():
    """The store for the current ``CACHES["default"]`` (one per process and configuration)."""
    global _current
    config = settings.CACHES["default"]
    current = _current
    if current is not None and current[0] == os.getpid() and current[1] is config:
        return current[2]
    with _lock:
        if isinstance(caches["default"], RedisCache):
            store = RedisStore(
                first_location(config.get("LOCATION", "")), config.get("OPTIONS", {})
            )
        else:
            store = DjangoCacheStore()
        _current = (os.getpid(), config, store)
    return store
