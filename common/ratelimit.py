"""django-ratelimit's ``is_ratelimited``, failing closed when its counters cannot be read.

The counters live in the cache (Redis). When it does not answer, django-ratelimit raises
the cache's error, which would be a 500. Here that becomes ``RateLimitUnavailable``, which
``ServiceUnavailableMiddleware`` answers with the 503 page ("try again in a while, nothing
you wrote was saved"): a limit that cannot be counted counts as reached (fail closed), so
an outage is no window for mass signups, and the visitor is told the truth instead of
being thanked for a signup that was dropped.
"""

from __future__ import annotations

import logging

import redis
from django_ratelimit.core import is_ratelimited as _count

from .logging import warn_now_and_then

logger = logging.getLogger(__name__)


class RateLimitUnavailable(Exception):
    """The rate-limit counters could not be read or written."""


def is_ratelimited(request, **kwargs) -> bool:
    """Same arguments and answer as ``django_ratelimit.core.is_ratelimited``."""
    try:
        return _count(request, **kwargs)
    except (redis.RedisError, OSError) as exc:  # the cache is down, hangs or refuses
        warn_now_and_then(logger, "rate limit unavailable: requests refused")
        raise RateLimitUnavailable from exc
