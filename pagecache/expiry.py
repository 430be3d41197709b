"""When a stored page stops being true."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .registry import next_changes

#: What browsers and shared proxies may keep a page for: they cannot be told when an
#: editor saves, so this bounds how long a visitor can see an old version.
BROWSER_MAX_AGE = 60


def next_local_midnight(now: datetime) -> datetime:
    local = timezone.localtime(now)
    tomorrow = (local + timedelta(days=1)).date()
    return timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day))


def page_expiry(now: datetime) -> datetime:
    """The moment a page rendered at ``now`` stops being true: at most PAGE_CACHE_SECONDS
    later, at the next local midnight (pages say "today"), and at the next moment an app
    registered (``register_next_change``). Raises what those callables raise."""
    candidates = [
        now + timedelta(seconds=settings.PAGE_CACHE_SECONDS),
        next_local_midnight(now),
        *next_changes(now),
    ]
    return min(candidates)
