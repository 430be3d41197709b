"""Each process's own copies of the pages it served: a hit without a round trip to Redis.

Copies are used only while the process is subscribed to the channel on which every bump is
published (in the same Redis transaction that sets the new version), so they are dropped
the moment any server or cron job changes content. While the subscription is down (Redis
restarting), every request asks Redis, as without copies. A copy is also checked against
Redis at least every ``LOCAL_SECONDS``, so emptying Redis by hand (which sends no message)
is noticed within seconds.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from .errors import log_cache_error
from .store import VERSION_KEY

LOCAL_ENTRIES = 256
LOCAL_SECONDS = 2


class LocalCopies:
    def __init__(self):
        self.lock = threading.Lock()
        self.listening: tuple[int, str] | None = None  # (pid, Redis URL)
        self.generation = 0
        self.version: str | None = None  # None: not subscribed; copies are not used
        self.entries: OrderedDict[str, tuple[float, dict]] = OrderedDict()

    def get(self, key: str, now: float) -> dict | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            kept_at, entry = found
            if entry["version"] != self.version or not kept_at <= now < kept_at + LOCAL_SECONDS:
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict, now: float) -> None:
        with self.lock:
            if self.version is None or entry["version"] != self.version:
                return  # read before a bump this process has already heard of
            self.entries[key] = (now, entry)
            self.entries.move_to_end(key)
            while len(self.entries) > LOCAL_ENTRIES:
                self.entries.popitem(last=False)

    def bumped_here(self, version: str) -> None:
        """A bump by this process: act on it now, not when its own message comes back."""
        with self.lock:
            if self.version is not None:
                self.version = version
            self.entries.clear()

    def forget(self) -> None:
        with self.lock:
            self.entries.clear()

    def ensure_listening(self, store, on_missing_version: Callable[[], object]) -> None:
        current = (os.getpid(), store.url)
        if self.listening == current:
            return
        with self.lock:
            if self.listening == current:
                return
            # A new process (a gunicorn worker after fork: threads do not survive a fork),
            # or another Redis (tests): start over, and let any older listener retire.
            self.listening = current
            self.generation += 1
            self.version = None
            self.entries.clear()
            generation = self.generation
        threading.Thread(
            target=self._listen,
            args=(generation, store, on_missing_version),
            name="page-cache-bumps",
            daemon=True,
        ).start()

    def _listen(self, generation: int, store, on_missing_version) -> None:
        while self.generation == generation:
            try:
                with store.subscriber().pubsub() as pubsub:
                    pubsub.subscribe(store.channel)
                    for message in pubsub.listen():
                        if self.generation != generation:
                            return
                        if message["type"] == "subscribe":
                            # Anything published from now on reaches us: start from the
                            # current version.
                            self.changed_to(
                                self._current_version(store, on_missing_version), generation
                            )
                        elif message["type"] == "message":
                            self.changed_to(message["data"].decode(), generation)
            except Exception:
                self.changed_to(None, generation)
                log_cache_error("subscribe")
                time.sleep(1)

    @staticmethod
    def _current_version(store, on_missing_version) -> str:
        version = store.read([VERSION_KEY]).get(VERSION_KEY)
        if version is None:
            on_missing_version()
            version = store.read([VERSION_KEY]).get(VERSION_KEY)
        return version

    def changed_to(self, version: str | None, generation: int) -> None:
        with self.lock:
            if self.generation == generation:
                self.version = version
                self.entries.clear()


copies = LocalCopies()


def local_copies(store, on_missing_version: Callable[[], object]) -> LocalCopies | None:
    """The process's copies, when the store can tell it about bumps (Redis).

    ``on_missing_version`` bumps the version when Redis has none (emptied or evicted).
    """
    if not store.subscribes:
        return None  # a local-memory cache is already local
    copies.ensure_listening(store, on_missing_version)
    return copies
