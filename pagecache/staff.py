"""Which session cookies belong to logged-in staff, without asking the database.

Logged-in staff always get a freshly rendered page. Anybody can send a session cookie,
though, and a request that skipped the cache for any cookie would be a cheap way to make
every page hit the database. So a login by a staff user marks a keyed hash of the new
session key in the cache (with the session's lifetime), a logout removes the mark, and the
middleware looks for the mark in the same round trip as the page: a cookie without one is
treated as no cookie at all.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

from .errors import log_cache_error
from .keys import STAFF_PREFIX
from .store import get_store

_SALT = "pagecache.staff-session"


def staff_key(session_key: str) -> str:
    return f"{STAFF_PREFIX}:{salted_hmac(_SALT, session_key).hexdigest()}"


def staff_key_for(request) -> str | None:
    """The mark to look for, when the request carries a session cookie."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return staff_key(session_key) if session_key else None


def remember_staff_session(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: mark a staff user's new session."""
    session = getattr(request, "session", None)
    if not getattr(user, "is_staff", False) or session is None or not session.session_key:
        return
    try:
        get_store().write(staff_key(session.session_key), True, settings.SESSION_COOKIE_AGE)
    except Exception:  # without the mark this editor is served cached pages; no harm done
        log_cache_error("staff-login")


def forget_staff_session(sender, request, user, **kwargs) -> None:
    """``user_logged_out``: the session ends; its cookie is nobody's now."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return
    try:
        get_store().delete(staff_key(session.session_key))
    except Exception:
        log_cache_error("staff-logout")


def keep_staff_session(key: str) -> None:
    """A staff request: keep the mark as long as the session, which each request extends."""
    try:
        get_store().touch(key, settings.SESSION_COOKIE_AGE)
    except Exception:
        log_cache_error("staff-touch")
