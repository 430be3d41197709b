import logging

from django.conf import settings
from django.contrib.sessions import middleware as sessions
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import DatabaseError, InterfaceError, OperationalError

from .database import begin_request, current_activity, gate, needs_gate, service_unavailable
from .ratelimit import RateLimitUnavailable

logger = logging.getLogger(__name__)


def security_headers(get_response):
    """Headers Django's SecurityMiddleware does not set."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


class ServiceUnavailableMiddleware:
    """Answer a clear 503 page in the site's layout when the database (or the rate-limit
    counters in the cache) cannot be reached, and time every query of the request (the
    watchdog in ``common/database.py``).

    Nothing crashes, and since connections are health-checked (or, by default, opened per
    request) the next request after the database returns is served normally, without a
    restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        begin_request()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimitUnavailable):
            return service_unavailable(request)  # logged where it was raised
        if not isinstance(exception, DatabaseError):
            return None
        return database_unavailable_response(request, exception)


def database_unavailable_response(request, exception: DatabaseError):
    logger.error("database unavailable: %s", type(exception).__name__)
    return service_unavailable(request)


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, except that a session save the database fails gets the 503 page.

    The session is saved after the view has answered (every staff request extends it), so
    a failure there never reaches ``process_exception`` above: Django turns a failed insert
    into a 500 and a failed update into a 400 ("session deleted by a concurrent logout").
    Only a real concurrent logout stays a 400: the update then finds no row, which Django
    reports as a plain DatabaseError, not as the driver's OperationalError or InterfaceError.
    """

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (DatabaseError, SessionInterrupted) as exc:
            failure = _driver_error(exc)
            if failure is None:
                raise
            return database_unavailable_response(request, failure)


def _driver_error(exc: BaseException | None) -> DatabaseError | None:
    """The database's own failure behind ``exc`` (Django re-raises it as UpdateError and
    then SessionInterrupted), if there is one."""
    while exc is not None:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return exc
        exc = exc.__context__
    return None


class DatabaseGateMiddleware:
    """At most ``DB_CONCURRENT_REQUESTS`` requests per process use the database at once;
    the others get the 503 page after ``DB_SLOT_WAIT`` (see ``common/database.py``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not needs_gate(request):
            return self.get_response(request)
        places = gate()
        activity = current_activity()
        if not places.enter(activity):
            return service_unavailable(request)
        try:
            return self.get_response(request)
        finally:
            places.leave(activity)
