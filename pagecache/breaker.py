"""Stop asking a cache server that does not answer, for a short while.

A Redis that hangs costs every call its full socket timeout; a page may make several calls
(page, version, rate-limit counters, the helpline schedule). After ``failures`` calls in a
row have failed, the breaker opens: for ``reset_after`` seconds every call fails at once
without touching the network. Then one call is let through as a trial; if it succeeds the
breaker closes again, if not it stays open for another period.

One breaker per cache location and process, shared by every thread and by both users of
Redis (Django's cache backend and the page cache's own client).
"""

from __future__ import annotations

import logging
import threading
import time

import redis

logger = logging.getLogger(__name__)

#: Failures that say the server is unreachable or too slow (not a wrong command).
NETWORK_ERRORS = (redis.ConnectionError, redis.TimeoutError, OSError)


class CacheUnavailable(redis.ConnectionError):
    """Raised instead of calling Redis while the breaker is open."""


class CircuitBreaker:
    def __init__(self, *, failures: int = 3, reset_after: float = 10.0, name: str = "cache"):
        self.threshold = max(1, failures)
        self.reset_after = reset_after
        self.name = name
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until: float | None = None
        self._trial_running = False

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._open_until is not None

    def before_call(self) -> None:
        """Raise CacheUnavailable unless a call may go to the server now."""
        with self._lock:
            if self._open_until is None:
                return
            if time.monotonic() < self._open_until or self._trial_running:
                raise CacheUnavailable(f"{self.name}: not asked (circuit open)")
            self._trial_running = True  # this call is the trial

    def succeeded(self) -> None:
        if self._failures == 0 and self._open_until is None:
            return  # the usual case, without the lock
        with self._lock:
            was_open = self._open_until is not None
            self._failures = 0
            self._open_until = None
            self._trial_running = False
        if was_open:
            logger.warning("cache reachable again", extra={"cache": self.name})

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            was_open = self._open_until is not None
            if was_open or self._failures >= self.threshold:
                self._open_until = time.monotonic() + self.reset_after
            self._trial_running = False
            opened = not was_open and self._open_until is not None
        if opened:
            logger.warning(
                "cache unreachable; not asked for %s s",
                self.reset_after,
                extra={"cache": self.name},
            )

    def call(self, function, *args, **kwargs):
        """Run ``function`` through the breaker."""
        self.before_call()
        try:
            result = function(*args, **kwargs)
        except NETWORK_ERRORS:
            self.failed()
            raise
        except BaseException:
            # Any other outcome (a wrong type for incr, say) is an answer from the server.
            self.succeeded()
            raise
        self.succeeded()
        return result


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, *, failures: int = 3, reset_after: float = 10.0) -> CircuitBreaker:
    """The process's breaker for one cache location (created with the first caller's limits)."""
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None:
            breaker = CircuitBreaker(failures=failures, reset_after=reset_after, name="redis")
            _breakers[location] = breaker
        return breaker


def reset_breakers() -> None:
    """Forget every breaker (tests that point the cache elsewhere)."""
    with _breakers_lock:
        _breakers.clear()
