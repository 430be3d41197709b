"""What the coordinator pages build from content, built once per content version per process.

The lookup index (290 municipalities, 21 counties, 7 regions, ~15,000 postal codes), the
regions with their coordinators, and the HTML that depends only on them (the municipality
list, the map, the table of regions) do not change between requests: rebuilding them on every
uncached request made the lookup some fifty times slower than a static file.

The content version lives in Django's cache, so every process sees an editor's save at once;
`content_version()` is the one place that says which version is current. A save bumps it
straight away and again after its transaction commits, so a request that read the old rows
in between cannot leave them memoised under the new version (the same rule as the helpline's
schedule and the page cache).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import translation

logger = logging.getLogger(__name__)

VERSION_KEY = "contacts:content:version"
T = TypeVar("T")
UNREAD = object()  # "the caller has not read the version": memoised() reads it

_lock = threading.Lock()
_memo: dict[tuple, object] = {}
_memo_version: list[str | None] = [None]


def content_version() -> str | None:
    """The current version of the contacts app's content, or None when the cache is down
    (then nothing is memoised and every request builds what it needs)."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _new_version(), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # a cache outage makes the lookup slower, never wrong
        logger.warning("contacts content version unavailable", exc_info=True)
        return None
    return None if version is None else str(version)


def _new_version() -> str:
    # Random, not the clock: a frozen or repeated clock must never bring back an old version.
    return secrets.token_hex(8)


def bump_content_version(**_ignored) -> None:
    try:
        cache.set(VERSION_KEY, _new_version(), timeout=None)
    except Exception:
        logger.warning("contacts content version unavailable", exc_info=True)


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


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    bump_content_version()
    transaction.on_commit(bump_content_version, robust=True)


def connect() -> None:
    """Every save, delete or many-to-many change of a contacts model, and every migrate."""
    from django.apps import apps

    for model in apps.get_app_config("contacts").get_models():
        uid = f"contacts-memo-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    from .models import Contact

    m2m_changed.connect(
        _changed, sender=Contact.regions.through, dispatch_uid="contacts-memo-regions"
    )
    post_migrate.connect(bump_content_version, dispatch_uid="contacts-memo-migrate")
