"""``PageCacheMiddleware``: answers stored pages before anything touches the database.

It sits high in ``MIDDLEWARE`` (just below whitenoise), so a hit skips sessions, CSRF, auth,
the database guard and the view, and runs no SQL at all. It stores the *final* response
(with the headers the middleware below it added, such as the CSP), so a hit is
byte-for-byte what a miss sent.

Never stored: anything but a 200 GET/HEAD of a ``@cache_public_page`` view, responses that
set cookies (other than the CSRF cookie, see below), that read the session, that used a CSP
nonce or carry their own ``Cache-Control``/``Vary``. Requests with a staff session cookie
(see ``staff.py``) get a fresh page; any other session cookie is ignored.

A page with a POST form (the newsletter signup) is stored with a placeholder where the
CSRF token goes; each hit substitutes the visitor's own token and has Django's CSRF
middleware set the cookie, exactly as a render would.

If the cache fails (Redis down or hanging), pages are rendered as if there were no cache.
"""

from __future__ import annotations

import logging
import math
import re
import time
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token

from . import version
from .decorators import MARK
from .errors import log_cache_error
from .expiry import BROWSER_MAX_AGE, page_expiry
from .keys import MAX_QUERY_LENGTH, canonical_query, declared_params, page_key
from .local import local_copies
from .staff import keep_staff_session, staff_key_for
from .store import VERSION_KEY, get_store

logger = logging.getLogger("pagecache")

# Exactly as long as a real (masked) token, so Content-Length is the same either way.
CSRF_PLACEHOLDER = "nspmCsrfTokenPlaceholder" + "0" * 40
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')

# Headers that are per response, not per page.
_UNSTORED_HEADERS = frozenset({"set-cookie", "cache-control", "expires", "date", "content-length"})


def nonce_was_used(request) -> bool:
    """Did the response use django-csp's per-request nonce? (Then it is not shareable.)

    django-csp 4 sets ``request.csp_nonce`` to a lazy object that is true once evaluated;
    ``test_a_response_with_a_csp_nonce_is_never_stored`` fails if that ever changes.
    """
    return bool(getattr(request, "csp_nonce", None))


def _is_fresh(entry: dict, now: float) -> bool:
    return entry["created"] <= now < entry["expires"]


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        names = self._cacheable_params(request)
        if names is None:
            return self.get_response(request)
        key = page_key(request, names)
        staff = staff_key_for(request)
        store = get_store()
        local = local_copies(store, version.bump)
        if local is not None and staff is None:
            now = time.time()
            entry = local.get(key, now)
            if entry is not None and _is_fresh(entry, now):
                return self._serve(request, entry, now)
        try:
            found = store.read([VERSION_KEY, key] + ([staff] if staff else []))
        except Exception:  # the cache is down: render as if there were none
            log_cache_error("get")
            return self.get_response(request)
        version.settle_owed_bump()
        if staff is not None:
            if found.get(staff):
                keep_staff_session(staff)
                return self.get_response(request)
            # Not a staff session: this request is served and rendered like any visitor's.
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return self._answer(request, store, local, key, found)

    def _answer(self, request, store, local, key: str, found: dict):
        current = found.get(VERSION_KEY)
        if current is None:
            # Never set, evicted or emptied by hand: whatever is stored is invalid, and
            # every process must hear of the new version, so this is a bump.
            current = version.bump()
        entry = found.get(key)
        now = time.time()
        if entry and entry["version"] == current and _is_fresh(entry, now):
            if local is not None:
                local.put(key, entry, now)
            return self._serve(request, entry, now)
        response = self.get_response(request)
        if current is not None:
            self._store(request, response, store, local, key, current, now)
        return response

    @staticmethod
    def _cacheable_params(request) -> tuple[str, ...] | None:
        """The declared parameters of the view, or None when this request is not for the cache."""
        if settings.DEBUG or settings.PAGE_CACHE_SECONDS <= 0:
            return None
        if request.method not in ("GET", "HEAD"):
            return None
        names = declared_params(request.path_info)
        if names is None:
            return None
        if len(canonical_query(request.GET, names)) > MAX_QUERY_LENGTH:
            return None
        # Until this thread's transaction commits, its connection sees rows nobody else
        # sees yet: neither serve an older page nor store one built on them.
        if version.uncommitted_change():
            return None
        return names

    def _serve(self, request, entry: dict, now: float):
        body = entry["body"]
        response = HttpResponse(status=entry["status"])
        for name, value in entry["headers"]:
            response.headers[name] = value
        if entry["csrf"]:
            # Exactly what CsrfViewMiddleware does around a render that uses the token.
            self.csrf.process_request(request)
            body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        response.content = body
        response.headers["Content-Length"] = str(len(body))
        _set_cache_control(response, entry["expires"], now, private=entry["csrf"])
        if entry["csrf"]:
            response = self.csrf.process_response(request, response)
        return response

    def _store(self, request, response, store, local, key, current, started: float) -> None:
        entry = _entry_for(request, response, current, started)
        if entry is None:
            return
        now = time.time()
        try:
            store.write(key, entry, math.ceil(entry["expires"] - now))
        except Exception:
            log_cache_error("set")
        else:
            if local is not None:
                local.put(key, entry, now)
        _set_cache_control(response, entry["expires"], now, private=entry["csrf"])


def _shareable(request, response) -> bool:
    if not getattr(response, MARK, False):
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if "Cache-Control" in response or nonce_was_used(request):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    return not _vary(response) - {"cookie"}


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


def _entry_for(request, response, current: str, started: float) -> dict | None:
    """What to store for this response, or None when it must not be stored."""
    if not _shareable(request, response):
        return None
    body = response.content
    uses_csrf = settings.CSRF_COOKIE_NAME in response.cookies or "cookie" in _vary(response)
    if uses_csrf:
        text = body.decode(response.charset)
        stored_text, replaced = _CSRF_INPUT.subn(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", text)
        if replaced == 0 or replaced != text.count("csrfmiddlewaretoken"):
            return None  # the token is used somewhere we cannot substitute it
        body = stored_text.encode(response.charset)
    try:
        # From the moment rendering began, not now: a page rendered across 16.00 may
        # show "Öppet nu" and must not outlive the closing it straddled.
        expires = page_expiry(datetime.fromtimestamp(started, tz=UTC)).timestamp()
    except Exception:  # e.g. the helpline schedule could not be read
        logger.warning("page not cached: expiry unknown", exc_info=True)
        return None
    if expires <= time.time():
        return None
    return {
        "version": current,
        "created": started,
        "expires": expires,
        "status": response.status_code,
        "headers": [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in _UNSTORED_HEADERS
        ],
        "csrf": uses_csrf,
        "body": body,
    }


def _set_cache_control(response, expires: float, now: float, *, private: bool) -> None:
    max_age = max(0, min(BROWSER_MAX_AGE, math.floor(expires - now)))
    # A page with the visitor's own CSRF token may be kept by their browser only.
    response["Cache-Control"] = f"{'private, ' if private else ''}max-age={max_age}"
