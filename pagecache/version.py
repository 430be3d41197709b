"""The content version: one value for the whole site, changed on every content change.

Every stored page carries the version it was rendered under and is served only while that
is still the current one, so a bump makes every page on every server stale at once.

One change, one bump: an editor's save in the admin writes the object, its history row and
its many-to-many rows in one transaction, and each of those sends a signal. The bump waits
for the commit and happens once per transaction, whatever the number of signals (before,
each signal bumped twice: once at once and once after the commit, four bumps a save).
Outside a transaction (a shell, a command) each change is its own commit and bumps at once.

Until that commit, this thread's own connection sees rows nobody else sees yet: its
requests (the test client inside a test's transaction) neither read nor store pages.
"""

from __future__ import annotations

import itertools
import secrets
import threading
from functools import partial

from django.db import DEFAULT_DB_ALIAS, transaction

from . import local
from .errors import log_cache_error
from .store import VERSION_KEY, get_store

_generations = itertools.count(1)
_thread = threading.local()  # .pending: last change registered here; .done: last one bumped
_owed = threading.Event()  # a bump failed (cache down): do it when the cache answers again


def new_version() -> str:
    return secrets.token_hex(8)


def bump() -> str | None:
    """Make every stored page stale, on every server. The new version, or None when the
    cache could not be told (then it is told as soon as it answers again). Never raises."""
    version = new_version()
    try:
        get_store().set_version(version)
    except Exception:  # a cache outage must not break an editor's save
        _owed.set()
        log_cache_error("bump")
        local.copies.bumped_here(version)
        return None
    _owed.clear()
    local.copies.bumped_here(version)
    return version


def current_version() -> str | None:
    """The current content version, for anything else kept per version (the contacts app's
    lookup index); None when it cannot be trusted, so the caller builds afresh: the cache is
    down, or this thread has a change that has not committed yet."""
    if uncommitted_change():
        return None
    try:
        found = get_store().read([VERSION_KEY])
    except Exception:  # a cache outage makes callers slower, never wrong
        log_cache_error("get")
        return None
    settle_owed_bump()
    return found.get(VERSION_KEY) or bump()


def settle_owed_bump() -> None:
    """Called once the cache answers again: a save made during the outage shows now."""
    if _owed.is_set():
        bump()


def content_changed(using: str | None = None) -> None:
    """A registered model changed: bump once, when its transaction commits."""
    using = using or DEFAULT_DB_ALIAS
    if not transaction.get_connection(using).in_atomic_block:
        bump()
        return
    generation = next(_generations)
    _thread.pending = generation
    transaction.on_commit(partial(_committed, generation), using=using)


def _committed(generation: int) -> None:
    # All callbacks of one commit run here, one after the other: the first bumps and
    # marks every change registered so far as done.
    if generation <= getattr(_thread, "done", 0):
        return
    _thread.done = getattr(_thread, "pending", generation)
    bump()


def uncommitted_change(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Has this thread changed content in a transaction that has not committed yet?"""
    if getattr(_thread, "pending", 0) <= getattr(_thread, "done", 0):
        return False
    if transaction.get_connection(using).in_atomic_block:
        return True
    # Out of every atomic block: the transaction was rolled back (a commit would have
    # marked it done), so its change never happened.
    forget_uncommitted_change()
    return False


def forget_uncommitted_change() -> None:
    """Drop this thread's mark (also between tests, whose transactions are rolled back)."""
    _thread.done = getattr(_thread, "pending", 0)
