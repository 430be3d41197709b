"""Is the site able to serve? ``/healthz`` asks, and answers within about a second.

Each check runs in a worker thread of its own with short limits, and the caller waits at
most ``timeout``: a database or Redis that hangs makes the check fail, not the probe hang.
The database is asked over a connection of its own (not the request's, which is bound by
the site's longer limits); Redis with a ping, when the cache is Redis. At most one check of
each kind runs at a time: probes that arrive meanwhile wait for its answer, so a load
balancer (or anyone) probing fast while the database hangs cannot pile up threads.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import connection

# libpq's shortest connect timeout; the caller gives up sooner anyway.
_CONNECT_TIMEOUT = 2
_STATEMENT_TIMEOUT_MS = 1000
_REDIS_TIMEOUT = 0.5
# Django's own keys in OPTIONS, which libpq does not know.
_DJANGO_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool"}

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")
_running: dict[str, Future] = {}
_lock = threading.Lock()


def _database_answers() -> bool:
    config = settings.DATABASES["default"]
    if not config["ENGINE"].endswith("postgresql"):
        return True  # SQLite (development) is a file: checked by the caller
    import psycopg

    options = {k: v for k, v in config.get("OPTIONS", {}).items() if k not in _DJANGO_OPTIONS}
    options.update(
        connect_timeout=_CONNECT_TIMEOUT,
        options=f"-c statement_timeout={_STATEMENT_TIMEOUT_MS}",
    )
    params = {
        "dbname": config["NAME"],
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        **options,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        return conn.execute("SELECT 1").fetchone() == (1,)


def _cache_answers() -> bool:
    import redis

    location = settings.CACHES["default"].get("LOCATION", "")
    first = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    client = redis.Redis.from_url(
        first, socket_connect_timeout=_REDIS_TIMEOUT, socket_timeout=_REDIS_TIMEOUT
    )
    try:
        return bool(client.ping())
    finally:
        client.close()


def _uses_redis() -> bool:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    return isinstance(caches["default"], RedisCache)


def _single_flight(name: str, check) -> Future:
    with _lock:
        future = _running.get(name)
        if future is None or future.done():
            future = _executor.submit(check)
            _running[name] = future
        return future


def _wait(future: Future, deadline: float) -> bool:
    try:
        return bool(future.result(timeout=max(0.0, deadline - time.monotonic())))
    except (FutureTimeout, Exception):
        return False


def site_is_healthy(timeout: float = 1.0) -> bool:
    """True when the database and (if the cache is Redis) Redis answer within ``timeout``."""
    deadline = time.monotonic() + timeout
    checks = [_single_flight("database", _database_answers)]
    if _uses_redis():
        checks.append(_single_flight("cache", _cache_answers))
    healthy = all(_wait(future, deadline) for future in checks)
    if healthy and not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    return healthy
