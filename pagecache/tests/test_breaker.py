"""After a few failures in a row Redis is not asked for a while: a Redis that hangs costs the
first calls their short timeout, and the rest nothing, until a trial call finds it back."""

import socket
import time

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from pagecache.breaker import CacheUnavailable, CircuitBreaker, reset_breakers


def _timeout():
    raise redis.TimeoutError("no answer")


def test_the_breaker_opens_after_the_failures_in_a_row(monkeypatch):
    breaker = CircuitBreaker(failures=3, reset_after=10)
    calls = []

    def failing():
        calls.append(1)
        _timeout()

    for _ in range(3):
        with pytest.raises(redis.TimeoutError):
            breaker.call(failing)
    for _ in range(5):
        with pytest.raises(CacheUnavailable):
            breaker.call(failing)
    assert len(calls) == 3  # the last five never reached the server


def test_a_success_in_between_starts_the_count_again():
    breaker = CircuitBreaker(failures=3, reset_after=10)
    for _ in range(2):
        with pytest.raises(redis.TimeoutError):
            breaker.call(_timeout)
    assert breaker.call(lambda: "svar") == "svar"
    for _ in range(2):
        with pytest.raises(redis.TimeoutError):
            breaker.call(_timeout)
    assert not breaker.is_open


def test_after_the_pause_one_trial_closes_or_reopens_it(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    breaker = CircuitBreaker(failures=1, reset_after=5)
    with pytest.raises(redis.TimeoutError):
        breaker.call(_timeout)
    now[0] += 4.9
    with pytest.raises(CacheUnavailable):
        breaker.call(lambda: "svar")
    now[0] += 0.2
    with pytest.raises(redis.TimeoutError):
        breaker.call(_timeout)  # the trial fails: another pause
    with pytest.raises(CacheUnavailable):
        breaker.call(lambda: "svar")
    now[0] += 5.1
    assert breaker.call(lambda: "svar") == "svar"  # the trial succeeds: closed
    assert not breaker.is_open
    assert breaker.call(lambda: "igen") == "igen"


def test_other_errors_are_answers_and_do_not_count():
    breaker = CircuitBreaker(failures=1, reset_after=10)

    def wrong_type():
        raise redis.ResponseError("WRONGTYPE")

    with pytest.raises(redis.ResponseError):
        breaker.call(wrong_type)
    assert not breaker.is_open


@pytest.fixture
def hanging_redis(settings):
    """A "Redis" that accepts connections and never answers (the kernel completes the
    handshake and takes the bytes; nobody reads them)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "socket_connect_timeout": 0.2,
                "socket_timeout": 0.2,
                "BREAKER_FAILURES": 3,
                "BREAKER_SECONDS": 30,
            },
        }
    }
    yield port
    listener.close()
    reset_breakers()


def test_a_hanging_redis_costs_three_short_timeouts_and_then_nothing(hanging_redis):
    cache = caches["default"]
    timings = []
    for _ in range(8):
        started = time.monotonic()
        with pytest.raises(redis.RedisError):
            cache.get("x")
        timings.append(time.monotonic() - started)
    assert all(0.15 < t < 1.0 for t in timings[:3]), timings
    assert all(t < 0.05 for t in timings[3:]), timings


@pytest.mark.django_db
def test_pages_render_quickly_while_redis_hangs(hanging_redis, views, no_next_change):
    started = time.monotonic()
    for _ in range(10):
        assert Client().get("/plain/").status_code == 200
    # Three timeouts of 0.2 s at most, shared by the page cache and Django's cache backend.
    assert time.monotonic() - started < 3
    assert views["count"] == 10
