"""Django's Redis cache backend behind a circuit breaker (see ``breaker.py``).

Only public methods of Django's ``RedisCache`` are wrapped. The socket timeouts come from
``OPTIONS`` (``socket_connect_timeout``, ``socket_timeout``), which Django hands to redis-py;
the breaker's own limits are read from ``OPTIONS`` too and removed before that:

    CACHES = {"default": {
        "BACKEND": "pagecache.backends.ResilientRedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25,
                    "BREAKER_FAILURES": 3, "BREAKER_SECONDS": 10},
    }}

While the breaker is open every call raises ``CacheUnavailable`` (a ``redis.ConnectionError``)
at once, so callers keep handling an outage the way they already do.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache

from .breaker import breaker_for

BREAKER_OPTIONS = ("BREAKER_FAILURES", "BREAKER_SECONDS")


def split_options(options: dict) -> tuple[dict, dict]:
    """(redis-py's options, the breaker's options) from a cache's OPTIONS."""
    redis_options = {k: v for k, v in options.items() if k not in BREAKER_OPTIONS}
    breaker_options = {
        "failures": int(options.get("BREAKER_FAILURES", 3)),
        "reset_after": float(options.get("BREAKER_SECONDS", 10)),
    }
    return redis_options, breaker_options


def first_location(location) -> str:
    """The primary server of a LOCATION (a string, a comma-separated string or a list)."""
    if isinstance(location, list | tuple):
        return str(location[0])
    return str(location).replace(";", ",").split(",")[0]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        redis_options, breaker_options = split_options(params.get("OPTIONS", {}))
        super().__init__(server, {**params, "OPTIONS": redis_options})
        self.breaker = breaker_for(first_location(server), **breaker_options)

    def add(self, *args, **kwargs):
        return self.breaker.call(super().add, *args, **kwargs)

    def get(self, *args, **kwargs):
        return self.breaker.call(super().get, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self.breaker.call(super().set, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self.breaker.call(super().touch, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self.breaker.call(super().delete, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self.breaker.call(super().get_many, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self.breaker.call(super().has_key, *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self.breaker.call(super().incr, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self.breaker.call(super().set_many, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self.breaker.call(super().delete_many, *args, **kwargs)

    def clear(self):
        return self.breaker.call(super().clear)
