"""Bounds on waiting for the database, for requests (README, "When something fails").

A database that refuses connections is quick to notice. One that hangs (a held lock, a
stalled network, a proxy that accepts and holds) gives no error at all, and every thread
that touches it waits. The server-side limits (statement, lock and idle-in-transaction
timeouts, in settings) and libpq's connect timeout and TCP keepalives bound most waits;
two things here bound the rest:

- The **watchdog**: every query of a request is timed (a public ``execute_wrapper``). A
  query that has not answered after ``DB_QUERY_WATCHDOG`` seconds has its connection's
  socket shut down from a watchdog thread, so the waiting thread gets an error (and the
  visitor the 503 page) instead of waiting for ever. Django sends COMMIT and ROLLBACK on
  the connection itself, past ``execute_wrapper``: the database backend in
  ``common/postgresql`` times them, and connecting, the same way (``wait_watched``).
- The **gate**: at most ``DB_CONCURRENT_REQUESTS`` requests per process may use the
  database at once, so one gunicorn thread always stays free for cached pages, ``/healthz``
  and the 503 page. A request that gets no place within ``DB_SLOT_WAIT`` seconds, or at
  once when every place is held by a request that has already waited that long on one
  answer from the database (a request busy with its own work is waited for), gets the
  503 page.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from contextlib import ExitStack, contextmanager, nullcontext
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.template.response import TemplateResponse
from django.urls import Resolver404, get_urlconf, resolve

logger = logging.getLogger(__name__)

_UNAVAILABLE = "database_unavailable"
_EXEMPT = "outside_database_gate"


# -- the request's state ----------------------------------------------------------------


def mark_database_unavailable(request) -> None:
    """From here on this request must not touch the database (it is down, hung or full)."""
    setattr(request, _UNAVAILABLE, True)


def database_unavailable(request) -> bool:
    """Whether code rendering this request should do without the database (the helpline
    box on the 503 page shows the numbers from the cache, or the built-in ones)."""
    return bool(getattr(request, _UNAVAILABLE, False))


def service_unavailable(request):
    """The 503 page, rendered without touching the database."""
    mark_database_unavailable(request)
    response = TemplateResponse(request, "503.html", status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response.render()


def outside_database_gate(view):
    """For a view that never uses Django's database connection (``/healthz``): it needs no
    place at the gate, and must answer even when every place is taken."""
    setattr(view, _EXEMPT, True)
    return view


# -- the watchdog ---------------------------------------------------------------------------


class Activity:
    """One request's use of the database, as the watchdog and the gate see it."""

    __slots__ = ("query_started", "fd", "cut")

    def __init__(self):
        # When the wait on the database now under way began (a query, COMMIT or ROLLBACK,
        # or connecting); None while the request does its own work.
        self.query_started: float | None = None
        self.fd: int | None = None  # the socket of the connection the query runs on
        self.cut = False


class Watchdog:
    def __init__(self):
        self.lock = threading.Lock()
        self.running: dict[int, Activity] = {}  # thread id -> the query it waits on
        self.pid: int | None = None

    def query(self, activity: Activity, execute, sql, params, many, context):
        with self.watching(activity, context["connection"]):
            return execute(sql, params, many, context)

    @contextmanager
    def watching(self, activity: Activity, wrapper):
        """Cut ``wrapper``'s connection if what runs inside does not finish in time."""
        limit = settings.DB_QUERY_WATCHDOG
        fd = _socket_of(wrapper) if limit > 0 else None
        thread = threading.get_ident()
        if fd is not None:
            self._ensure_running()
        with self.lock:
            activity.query_started = time.monotonic()
            activity.fd, activity.cut = fd, False
            if fd is not None:
                self.running[thread] = activity
        try:
            yield
        finally:
            with self.lock:  # once released, the socket may close and its number be reused
                self.running.pop(thread, None)
                activity.query_started, activity.fd = None, None

    def _ensure_running(self) -> None:
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid != os.getpid():  # a new process (threads do not survive a fork)
                self.pid = os.getpid()
                self.running.clear()
                threading.Thread(target=self._run, name="db-watchdog", daemon=True).start()

    def _run(self) -> None:
        pid = os.getpid()
        while self.pid == pid:
            time.sleep(0.2)
            limit = settings.DB_QUERY_WATCHDOG
            if limit <= 0:
                continue
            now = time.monotonic()
            with self.lock:
                for activity in self.running.values():
                    if activity.cut or now - activity.query_started < limit:
                        continue
                    activity.cut = True
                    _shut_down(activity.fd)
                    logger.error("database query cut: no answer after %g s", limit)


def _socket_of(wrapper) -> int | None:
    try:
        return wrapper.connection.fileno()  # psycopg's public Connection.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # SQLite, or not connected: nothing to cut


def _shut_down(fd: int) -> None:
    """Wake whoever waits on this socket with an error; the owner still closes it."""
    try:
        duplicate = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


watchdog = Watchdog()
_requests = threading.local()  # .activity, .exit_stack


def begin_request() -> Activity:
    """Time every query of this thread's request (until ``end_request``)."""
    end_request()  # a request that ended without request_finished
    activity = Activity()
    stack = ExitStack()
    stack.enter_context(
        connection.execute_wrapper(
            lambda execute, sql, params, many, context: watchdog.query(
                activity, execute, sql, params, many, context
            )
        )
    )
    _requests.activity, _requests.exit_stack = activity, stack
    return activity


def end_request(**_signal) -> None:
    """``request_finished``: after the response was sent and its closers ran (the
    newsletter's mail after a signup uses the database there too)."""
    stack = getattr(_requests, "exit_stack", None)
    if stack is not None:
        _requests.exit_stack = _requests.activity = None
        stack.close()


def wait_watched(wrapper):
    """A wait on ``wrapper`` outside a cursor during a request (connecting, COMMIT,
    ROLLBACK), timed like its queries: the gate sees it, and the watchdog cuts it once
    there is a socket to cut (connecting has libpq's own connect timeout)."""
    activity = getattr(_requests, "activity", None)
    if activity is None:  # outside a request: nothing times its queries either
        return nullcontext()
    return watchdog.watching(activity, wrapper)


def current_activity() -> Activity:
    return getattr(_requests, "activity", None) or Activity()


# -- the gate ------------------------------------------------------------------------------


class Gate:
    def __init__(self, slots: int, wait: float):
        self.slots, self.wait = max(1, slots), wait
        self.condition = threading.Condition()
        self.holders: set[Activity] = set()
        self.refused = 0
        self.last_report = 0.0

    def enter(self, activity: Activity) -> bool:
        deadline = time.monotonic() + self.wait
        with self.condition:
            while len(self.holders) >= self.slots:
                now = time.monotonic()
                # Stuck on the database, not busy with their own work (a request building
                # the lookup index is getting somewhere, and will give its place back).
                stalled = all(
                    h.query_started is not None and now - h.query_started >= self.wait
                    for h in self.holders
                )
                if stalled or now >= deadline:
                    self._refused(now)
                    return False
                self.condition.wait(deadline - now)
            self.holders.add(activity)
            return True

    def leave(self, activity: Activity) -> None:
        with self.condition:
            self.holders.discard(activity)
            self.condition.notify()

    def _refused(self, now: float) -> None:
        # Counted, and logged at most once a minute: a stall would otherwise log every request.
        self.refused += 1
        if now - self.last_report >= 60:
            logger.warning(
                "database busy: %s request(s) answered 503 (no free place at the gate)",
                self.refused,
            )
            self.refused, self.last_report = 0, now


_gate: tuple[tuple, Gate] | None = None
_gate_lock = threading.Lock()


def gate() -> Gate:
    global _gate
    config = (settings.DB_CONCURRENT_REQUESTS, settings.DB_SLOT_WAIT, os.getpid())
    current = _gate
    if current is None or current[0] != config:
        with _gate_lock:
            if _gate is None or _gate[0] != config:
                _gate = (config, Gate(config[0], config[1]))
            current = _gate
    return current[1]


def needs_gate(request) -> bool:
    return not _exempt(get_urlconf() or settings.ROOT_URLCONF, request.path_info)


@lru_cache(maxsize=1024)
def _exempt(urlconf: str, path: str) -> bool:
    # Bounded: paths come from visitors.
    try:
        return getattr(resolve(path, urlconf).func, _EXEMPT, False)
    except Resolver404:
        return False
