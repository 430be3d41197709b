"""What the coordinator pages build from content, built once per content version per process.

The lookup index (290 municipalities, 21 counties, 7 regions, ~15,000 postal codes), the
regions with their coordinators, and the HTML that depends only on them (the municipality
list, the map, the table of regions) do not change between requests: rebuilding them on every
uncached request made the lookup some fifty times slower than a static file.

The version is the page cache's content version (`pagecache.current_version`), bumped once
after every committed change to registered content, contacts' own models among them: one rule
for when content changed, not two. While it cannot be trusted (the cache is down, or this
thread's own change has not committed) nothing is memoised and each request builds afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.utils import translation

from pagecache import current_version

T = TypeVar("T")
UNREAD = object()  # "the caller has not read the version": memoised() reads it

_lock = threading.Lock()
_memo: dict[tuple, object] = {}
_memo_version: list[str | None] = [None]


def content_version() -> str | None:
    """The content version to build under, or None: build without memoising."""
    return current_version()


def memoised(name: str, build: Callable[[], T], *, version: str | None | object = UNREAD) -> T:
    """``build()`` once per content version (and language) in this process.

    ``version`` is the one the caller read (None: the cache is down, so build). Only the
    current version's values are kept, so memory stays bounded however often editors save.
    """
    version = content_version() if version is UNREAD else version
    if version is None:
        return build()
    key = (name, translation.get_language())
    with _lock:
        if _memo_version[0] == version and key in _memo:
            return _memo[key]  # type: ignore[return-value]
    value = build()
    with _lock:
        if _memo_version[0] != version:
            _memo.clear()
            _memo_version[0] = version
        _memo[key] = value
    return value


def forget() -> None:
    """Drop this process's memo (tests that change rows without signals)."""
    with _lock:
        _memo.clear()
        _memo_version[0] = None
