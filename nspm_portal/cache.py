"""The public page cache: whole rendered pages in Django's cache, shared by every app server.

How it fits together:

- Views opt in with ``@cache_public_page``. The decorator only marks the response; the
  work is done by ``PageCacheMiddleware``, which sits high in ``MIDDLEWARE`` (just below
  whitenoise) so a hit skips sessions, CSRF, auth, URL resolution and the view, and runs
  no SQL at all. It stores the *final* response (with the headers the middleware below it
  added, such as the CSP), so a hit is byte-for-byte what a miss sent.
- Invalidation is by a global content version, not a timer: every save, delete or m2m
  change of a content model (apps pages, helpline, contacts, nmt and
  ``newsletter.Issue``) sets a new random version, so an editor's change shows on the
  next request on every server. Subscriber, outbox and delivery writes do not touch it,
  or every signup would empty the cache. The version lives in the cache itself (Redis when
  ``CACHE_URL`` is set), read with the page in one round trip.
- With Redis, each process also keeps the pages it served (``_LocalCopies``), so most hits
  need no round trip: a bump publishes the new version on a Redis channel in the same
  transaction that sets it, and every process drops its copies when the message arrives.
  Copies are used only while the subscription is up, and rechecked against Redis every
  ``LOCAL_SECONDS``.
- Every page shows the helpline's status, so an entry lives at most until the next
  opening or closing (and the next local midnight, since pages show dates such as "the
  closed days of the next 60 days"), and at most ``PAGE_CACHE_SECONDS``. Browsers and
  proxies are told at most ``BROWSER_MAX_AGE`` seconds, and never past the next change.
- The keys carry a build id (a hash of the code, templates and static manifest), so a
  new release never serves HTML cached by the previous one.
- Never cached: anything but a 200 GET/HEAD, responses that set cookies (other than the
  CSRF cookie, see below), that read the session, that carry a CSP nonce or their own
  ``Cache-Control``/``Vary``; requests with a session or messages cookie (logged-in
  staff, a flash message after a POST) bypass the cache entirely.
- A page with a POST form (the newsletter signup) is stored with a placeholder where the
  CSRF token goes; each hit substitutes the visitor's own token and has Django's CSRF
  middleware set the cookie, exactly as a render would.
- If the cache backend fails (Redis down), pages are rendered as if there were no cache.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone

logger = logging.getLogger(__name__)

#: What browsers and shared proxies may keep a page for: they cannot be told when an
#: editor saves, so this bounds how long a visitor can see an old version.
BROWSER_MAX_AGE = 60

#: Apps whose every model is content shown on public pages.
CONTENT_APPS = frozenset({"pages", "helpline", "contacts", "nmt"})
#: Content models in apps that also hold private data (subscribers, outbox, deliveries).
CONTENT_MODELS = frozenset({"newsletter.issue"})

VERSION_KEY = "pagecache:version"
KEY_PREFIX = "pagecache:page"

#: Query strings longer than this are rendered but not stored: they are not links
#: anyone publishes, and storing them would let a crawler fill the cache.
MAX_QUERY_LENGTH = 256

# Exactly as long as a real (masked) token, so Content-Length is the same either way.
CSRF_PLACEHOLDER = "nspmCsrfTokenPlaceholder" + "0" * 40
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')

# Headers that are per response, not per page.
_UNSTORED_HEADERS = frozenset({"set-cookie", "cache-control", "expires", "date", "content-length"})
# Attributes django-csp reads from the response; kept so a hit gets the same policy.
_CSP_ATTRIBUTES = ("_csp_exempt", "_csp_exempt_ro", "_csp_config", "_csp_update", "_csp_replace")

MARK = "_nspm_page_cache"


# -- the seam to the helpline ---------------------------------------------------------------


def next_status_change(now: datetime) -> datetime | None:
    """When the helpline next opens or closes after ``now``; None when nothing is planned.

    Raises what the helpline raises (a DatabaseError when the schedule cannot be read):
    a page whose expiry cannot be known is not stored.
    """
    from helpline.loader import status_now

    return status_now(now).next_change


def _next_local_midnight(now: datetime) -> datetime:
    local = timezone.localtime(now)
    tomorrow = (local + timedelta(days=1)).date()
    return timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day))


def page_expiry(now: datetime) -> datetime:
    """The moment a page rendered at ``now`` stops being true."""
    candidates = [
        now + timedelta(seconds=settings.PAGE_CACHE_SECONDS),
        _next_local_midnight(now),
    ]
    change = next_status_change(now)
    if change is not None:
        candidates.append(change)
    return min(candidates)


# -- the content version ---------------------------------------------------------------------


def _new_version() -> str:
    return secrets.token_hex(8)


def bump_content_version(**_ignored) -> None:
    """Make every stored page stale, on every server."""
    version = _new_version()
    try:
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            # One transaction: no server can see the new version without the message that
            # drops its local copies, or the other way round.
            inner = backend._cache
            client = inner.get_client(write=True)
            with client.pipeline(transaction=True) as pipe:
                pipe.set(backend.make_key(VERSION_KEY), inner._serializer.dumps(version))
                pipe.publish(_channel(backend), version)
                pipe.execute()
        else:
            backend.set(VERSION_KEY, version, timeout=None)
    except Exception:  # a cache outage must not break an editor's save
        _log_cache_error("bump")
    _local.bumped_here(version)


def _is_content_model(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return False
    return meta.app_label in CONTENT_APPS or meta.label_lower in CONTENT_MODELS


def _content_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata; post_migrate covers fixtures loaded at deploy
    if not _is_content_model(sender):
        return
    # Now, so the next request in this transaction's own connection (and tests) sees it;
    # and again after commit, because a page rendered by another request between the
    # first bump and the commit still read the old rows.
    bump_content_version()
    transaction.on_commit(bump_content_version)


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if _is_content_model(type(instance)) or _is_content_model(kwargs.get("model")):
        bump_content_version()
        transaction.on_commit(bump_content_version)


def connect_signals() -> None:
    """Called from ``PagesConfig.ready()`` so every process (web, cron commands) bumps."""
    post_save.connect(_content_changed, dispatch_uid="nspm_page_cache_save")
    post_delete.connect(_content_changed, dispatch_uid="nspm_page_cache_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="nspm_page_cache_m2m")
    # Data migrations may change content without model signals.
    post_migrate.connect(bump_content_version, dispatch_uid="nspm_page_cache_migrate")


# -- keys ------------------------------------------------------------------------------------

_build_id: str | None = None


def build_id() -> str:
    """A hash of what shapes a page besides the database: code, templates, static manifest."""
    global _build_id
    if _build_id is None:
        digest = hashlib.sha256()
        base = Path(settings.BASE_DIR)
        roots = [base / "templates", base / "nspm_portal", base / "common", base / "locale"]
        roots += [base / label for label in sorted(CONTENT_APPS | {"newsletter"})]
        for root in roots:
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.suffix in {".py", ".html", ".txt", ".mo", ".svg"} and path.is_file():
                    digest.update(str(path.relative_to(base)).encode())
                    digest.update(path.read_bytes())
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.is_file():
            digest.update(manifest.read_bytes())
        _build_id = digest.hexdigest()[:16]
    return _build_id


def normalised_query(query_string: str) -> str:
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return urlencode(sorted(pairs))


def page_key(request) -> str:
    scheme = "https" if request.is_secure() else "http"
    query = normalised_query(request.META.get("QUERY_STRING", ""))
    raw = f"{scheme}://{request.get_host()}{request.path}?{query}"
    return f"{KEY_PREFIX}:{build_id()}:{hashlib.sha256(raw.encode()).hexdigest()}"


# -- the decorator ---------------------------------------------------------------------------


def cache_public_page(view):
    """Let ``PageCacheMiddleware`` store this view's GET responses (see the module doc)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            setattr(response, MARK, True)
        return response

    return wrapper


# -- reading: the hot path ---------------------------------------------------------------


class _Reader:
    """``get_many`` with one redis-py client per cache connection.

    Django's Redis backend builds a new ``redis.Redis`` object (and its table of ~170
    response callbacks) for every call, which costs as much as the round trip itself on
    a cache hit. This keeps one per connection pool; any other backend is used as is.
    """

    def __init__(self, backend):
        inner = getattr(backend, "_cache", None)
        self.backend = backend
        self.redis = None
        if isinstance(backend, RedisCache) and inner is not None:
            self.redis = inner._client(connection_pool=inner._get_connection_pool(write=False))
            self.loads = inner._serializer.loads

    def get_many(self, keys: list[str]) -> dict:
        if self.redis is None:
            return self.backend.get_many(keys)
        values = self.redis.mget([self.backend.make_key(k) for k in keys])
        return {k: self.loads(v) for k, v in zip(keys, values, strict=True) if v is not None}


def _read_many(keys: list[str]) -> dict:
    backend = caches["default"]  # one per thread
    reader = getattr(backend, "_nspm_page_reader", None)
    if reader is None:
        reader = _Reader(backend)
        backend._nspm_page_reader = reader
    return reader.get_many(keys)


# -- local copies: a hit without a round trip ---------------------------------------------

LOCAL_ENTRIES = 256
#: A copy is also checked against Redis at least this often, so emptying Redis by hand
#: (which sends no message) is noticed within seconds.
LOCAL_SECONDS = 2


def _channel(backend) -> str:
    # Per Redis database and key prefix: pub/sub channels are shared by all databases.
    location = settings.CACHES["default"].get("LOCATION", "")
    return backend.make_key(f"pagecache:bumps:{location}")


class _LocalCopies:
    """The pages this process served, kept so that a hit needs no round trip to Redis.

    Copies are used only while the process is subscribed to the channel on which every
    bump is published (in the same Redis transaction that sets the new version), so they
    are dropped the moment any server or cron job saves content. While the subscription is
    down (Redis restarting), every request asks Redis, as without copies.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.listening: tuple[int, str] | None = None  # (pid, Redis location)
        self.generation = 0
        self.version = None  # None: not subscribed; copies are not used
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

    def ensure_listening(self) -> None:
        location = settings.CACHES["default"].get("LOCATION", "")
        current = (os.getpid(), str(location))
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
        url = location[0] if isinstance(location, list | tuple) else str(location).split(",")[0]
        threading.Thread(
            target=self._listen, args=(generation, url), name="page-cache-bumps", daemon=True
        ).start()

    def _listen(self, generation: int, url: str) -> None:
        import redis

        while self.generation == generation:
            try:
                # Pings every 30 s, so a connection that died silently is noticed.
                client = redis.Redis.from_url(url, health_check_interval=30, socket_keepalive=True)
                with client.pubsub() as pubsub:
                    pubsub.subscribe(_channel(caches["default"]))
                    for message in pubsub.listen():
                        if self.generation != generation:
                            return
                        if message["type"] == "subscribe":
                            # Anything published from now on will reach us: start from
                            # the current version.
                            version = cache.get(VERSION_KEY)
                            if version is None:
                                bump_content_version()
                                version = cache.get(VERSION_KEY)
                            self.changed_to(version, generation)
                        elif message["type"] == "message":
                            self.changed_to(message["data"].decode(), generation)
            except Exception:
                self.changed_to(None, generation)
                _log_cache_error("subscribe")
                time.sleep(1)

    def changed_to(self, version: str | None, generation: int) -> None:
        with self.lock:
            if self.generation == generation:
                self.version = version
                self.entries.clear()


_local = _LocalCopies()


def forget_local_copies() -> None:
    """Drop this process's copies (after emptying the cache by hand, e.g. in tests)."""
    with _local.lock:
        _local.entries.clear()


def _local_copies() -> _LocalCopies | None:
    if not isinstance(caches["default"], RedisCache):
        return None  # a local-memory cache is already local
    _local.ensure_listening()
    return _local


# -- the middleware --------------------------------------------------------------------------

_last_error_log = 0.0


def _log_cache_error(action: str) -> None:
    # At most once a minute: a Redis outage would otherwise log every request.
    global _last_error_log
    now = time.monotonic()
    if now - _last_error_log >= 60:
        _last_error_log = now
        logger.warning("page cache unavailable", extra={"action": action}, exc_info=True)


def _max_age(expires_at: float, now: float) -> int:
    return max(0, min(BROWSER_MAX_AGE, math.floor(expires_at - now)))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        key = page_key(request)
        local = _local_copies()
        if local is not None:
            now = time.time()
            entry = local.get(key, now)
            if entry and entry["created"] <= now < entry["expires"]:
                return self._serve(request, entry, now)
        version = None
        try:
            found = _read_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            if version is None:
                # Never set, evicted or emptied by hand: whatever is stored is invalid, and
                # every process must hear of the new version, so this is a bump.
                bump_content_version()
                version = cache.get(VERSION_KEY)
            entry = found.get(key)
        except Exception:  # Redis down: render as if there were no cache
            _log_cache_error("get")
            return self.get_response(request)

        now = time.time()
        if entry and entry["version"] == version and entry["created"] <= now < entry["expires"]:
            if local is not None:
                local.put(key, entry, now)
            return self._serve(request, entry, now)

        response = self.get_response(request)
        if version is not None:
            self._store(request, response, key, version, now)
        return response

    @staticmethod
    def _may_use_cache(request) -> bool:
        if settings.DEBUG or settings.PAGE_CACHE_SECONDS <= 0:
            return False
        if request.method not in ("GET", "HEAD"):
            return False
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
            return False
        # A session means a logged-in editor (public pages never start one); a messages
        # cookie means a flash message waiting to be shown. Both get a fresh render.
        cookies = request.COOKIES
        return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies

    def _serve(self, request, entry, now: float):
        body = entry["body"]
        response = HttpResponse(status=entry["status"])
        for name, value in entry["headers"]:
            response.headers[name] = value
        for name, value in entry["attributes"].items():
            setattr(response, name, value)
        if entry["csrf"]:
            # Exactly what CsrfViewMiddleware does around a render that uses the token.
            self.csrf.process_request(request)
            body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        response.content = body
        response.headers["Content-Length"] = str(len(body))
        self._set_cache_control(response, entry["expires"], now, private=entry["csrf"])
        if entry["csrf"]:
            response = self.csrf.process_response(request, response)
        return response

    def _store(self, request, response, key: str, version: str, started: float) -> None:
        if not getattr(response, MARK, False):
            return
        if response.status_code != 200 or response.streaming:
            return
        if "Cache-Control" in response or getattr(request, "_csp_nonce", None):
            return
        session = getattr(request, "session", None)
        if session is not None and session.accessed:
            return
        csrf_cookie = settings.CSRF_COOKIE_NAME
        if any(name != csrf_cookie for name in response.cookies):
            return
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if vary - {"cookie"}:
            return

        body = response.content
        uses_csrf = csrf_cookie in response.cookies or "cookie" in vary
        if uses_csrf:
            text = body.decode(response.charset)
            stored_text, replaced = _CSRF_INPUT.subn(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", text)
            if replaced == 0 or replaced != text.count("csrfmiddlewaretoken"):
                return  # the token is used somewhere we cannot substitute it
            body = stored_text.encode(response.charset)

        try:
            # From the moment rendering began, not now: a page rendered across 16.00 may
            # show "Öppet nu" and must not outlive the closing it straddled.
            expires = page_expiry(datetime.fromtimestamp(started, tz=UTC)).timestamp()
        except Exception:  # e.g. the helpline schedule could not be read
            logger.warning("page not cached: expiry unknown", exc_info=True)
            return
        now = time.time()
        if expires <= now:
            return
        entry = {
            "version": version,
            "created": started,
            "expires": expires,
            "status": response.status_code,
            "headers": [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _UNSTORED_HEADERS
            ],
            "attributes": {
                name: getattr(response, name) for name in _CSP_ATTRIBUTES if hasattr(response, name)
            },
            "csrf": uses_csrf,
            "body": body,
        }
        try:
            cache.set(key, entry, timeout=math.ceil(expires - now))
        except Exception:
            _log_cache_error("set")
        else:
            local = _local_copies()
            if local is not None:
                local.put(key, entry, now)
        self._set_cache_control(response, expires, now, private=uses_csrf)

    @staticmethod
    def _set_cache_control(response, expires: float, now: float, *, private: bool) -> None:
        max_age = _max_age(expires, now)
        # A page with the visitor's own CSRF token may be kept by their browser only.
        response["Cache-Control"] = f"{'private, ' if private else ''}max-age={max_age}"
